"""Forecast a monthly series with RNNForecaster: point forecast, 90 % interval and a plot.

By default the series is generated (trend x seasonality x noise, 12 years monthly), so the
example runs anywhere; ``--airline`` uses the classic Airline passengers series from
``../shared/data/forecasting/Airline.csv``. The last 36 months are held out.

Usage::

    python examples/forecast_airline.py                 # generated series
    python examples/forecast_airline.py --airline       # Airline passengers
    python examples/forecast_airline.py --plot out.png  # where to save the plot

With ``SEQKIT_SMOKE=1`` it trains for a few epochs only (the numbers then mean nothing).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from seqkit.forecast_metrics import mape
from seqkit.forecasting import RNNForecaster

SMOKE = os.environ.get("SEQKIT_SMOKE") == "1"
HELD_OUT = 36
AIRLINE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "forecasting" \
    / "Airline.csv"


def generated_series() -> pd.Series:
    """144 months of multiplicative trend and seasonality with noise."""
    rng = np.random.default_rng(0)
    t = np.arange(144)
    values = (100 + 2.5 * t) * (1 + 0.2 * np.sin(2 * np.pi * t / 12)) \
        * np.exp(rng.normal(0, 0.03, t.size))
    return pd.Series(values, index=pd.period_range("2010-01", periods=144, freq="M"),
                     name="generated")


def airline_series() -> pd.Series:
    if not AIRLINE.exists():
        sys.exit(f"error: {AIRLINE.resolve()} not found; run without --airline to use a "
                 f"generated series, or put the shared data there (see its README.md)")
    frame = pd.read_csv(AIRLINE)
    return pd.Series(frame["Passengers"].to_numpy(float),
                     index=pd.PeriodIndex(frame["Date"], freq="M"), name="passengers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--airline", action="store_true", help="use the Airline series")
    parser.add_argument("--plot", help="save the plot here (default: forecast.png; "
                                       "a temporary file in smoke mode)")
    args = parser.parse_args()

    y = airline_series() if args.airline else generated_series()
    train, test = y.iloc[:-HELD_OUT], y.iloc[-HELD_OUT:]
    params = dict(epochs=3) if SMOKE else {}
    forecaster = RNNForecaster(random_state=0, **params).fit(train)

    forecast = forecaster.predict(HELD_OUT)  # indexed by the 36 future months
    interval = forecaster.predict_interval(HELD_OUT, coverage=0.9)
    naive = np.tile(train.to_numpy()[-12:], HELD_OUT // 12)
    inside = ((test >= interval["lower"]) & (test <= interval["upper"])).mean()
    print(f"series: {y.name}, {len(train)} months to train, {HELD_OUT} held out")
    print(f"first forecast months: {[str(p) for p in forecast.index[:3]]}")
    print(f"MAPE seqkit: {mape(test, forecast):.3f}")
    print(f"MAPE seasonal naive: {mape(test, naive):.3f}")
    print(f"forecast accuracy (1 - MAPE): {1 - mape(test, forecast):.3f}")
    print(f"90% interval coverage: {inside:.3f}")

    try:
        from seqkit.plotting import plot_forecast

        ax = plot_forecast(train, forecast, interval, actual=test,
                           title=f"{y.name}: forecast of the last {HELD_OUT} months")
    except ImportError as error:
        print(f"no plot: {error}")
        return
    path = args.plot or (os.path.join(tempfile.mkdtemp(), "forecast.png") if SMOKE
                         else "forecast.png")
    ax.figure.savefig(path, dpi=100, bbox_inches="tight")
    print(f"plot saved to {path}")


if __name__ == "__main__":
    main()
