"""The demo: train a recurrent classifier on bundled data and print its scores."""

from __future__ import annotations

import time


def run_demo(quick: bool = False) -> dict:
    """Train the default classifier on ItalyPowerDemand and compare it with 1-nearest-neighbour.

    Parameters
    ----------
    quick : bool, default=False
        Train for a few epochs only (a smoke run for tests).

    Returns
    -------
    dict
        Test accuracy and fit seconds of each model.
    """
    from sklearn.neighbors import KNeighborsClassifier

    from seqkit import SequenceClassifier
    from seqkit.datasets import load_italy_power_demand

    data = load_italy_power_demand()
    models = {
        "seqkit SequenceClassifier()": SequenceClassifier(
            random_state=0, **({"epochs": 3} if quick else {})
        ),
        "1-nearest-neighbour (UCR baseline)": KNeighborsClassifier(n_neighbors=1),
    }
    print("ItalyPowerDemand (UCR): 67 training days, 1,029 test days, 24 hourly values each")
    print(f"{'model':<38} {'test accuracy':>13} {'fit seconds':>12}")
    results = {}
    for name, model in models.items():
        X_train, X_test = data["X_train"], data["X_test"]
        if isinstance(model, KNeighborsClassifier):
            X_train, X_test = X_train[:, :, 0], X_test[:, :, 0]
        start = time.perf_counter()
        model.fit(X_train, data["y_train"])
        seconds = time.perf_counter() - start
        accuracy = model.score(X_test, data["y_test"])
        results[name] = {"accuracy": accuracy, "fit_seconds": seconds}
        print(f"{name:<38} {accuracy:>13.3f} {seconds:>12.1f}")
    print("Published (test accuracy): FCN 0.961, LSTM-FCN 0.962, InceptionTime 0.968")
    return results
