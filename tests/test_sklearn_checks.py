"""scikit-learn's own estimator checks over both estimators."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from seqkit import SequenceClassifier, SequenceRegressor

# A small, fast network that still fits the checks' tiny tables well enough
# (check_classifiers_train wants training accuracy > 0.83, check_regressors_train R² > 0.5).
SMALL = dict(cell="gru", units=16, epochs=25, learning_rate=0.03, random_state=0)
ESTIMATORS = [SequenceClassifier(**SMALL), SequenceRegressor(**SMALL)]

EXPECTED_FAILURES = {
    # Integer sample weights equal repeated samples only in expectation for minibatch
    # gradient descent: repeating a sample changes the batches and the number of steps
    # per epoch, so the two fits cannot agree to the check's tolerance. scikit-learn's
    # own SGDClassifier and MLPClassifier are marked the same way.
    "check_sample_weight_equivalence_on_dense_data": (
        "minibatch gradient descent: repeated samples change the batches, so weights "
        "match repetitions only in expectation"
    ),
    # Predictions run in float32 batches. A sequence's output can change in the 7th
    # significant digit with its row in the batch (vectorised kernels treat the last
    # rows differently), and the check asks for rtol=1e-7 between a full set and its
    # subsets. seqkit sorts prediction batches by content, so order never matters
    # (check_methods_sample_order_invariance passes), but batch company can.
    "check_methods_subset_invariance": (
        "float32 batched kernels: a row's output may differ by ~1e-7 relative "
        "depending on which other sequences share its batch"
    ),
}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=lambda _: EXPECTED_FAILURES)
def test_sklearn_compatible(estimator, check):
    check(estimator)
