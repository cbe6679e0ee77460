"""Plot helpers (matplotlib is an optional extra: ``pip install seqkit[plot]``)."""

from __future__ import annotations

import pandas as pd


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "plotting needs matplotlib; install it with `pip install seqkit[plot]` "
            "or `pip install matplotlib`"
        ) from error
    return plt


def _x(index: pd.Index):
    """Values matplotlib can place on one axis (periods become timestamps)."""
    return index.to_timestamp() if isinstance(index, pd.PeriodIndex) else index


def plot_forecast(history: pd.Series, forecast: pd.Series, interval: pd.DataFrame | None = None,
                  actual: pd.Series | None = None, *, ax=None, title: str | None = None,
                  label: str = "forecast"):
    """Plot a series' history, its forecast and, optionally, an interval band.

    Parameters
    ----------
    history : pandas Series
        The observed series.
    forecast : pandas Series
        The point forecast (e.g. :meth:`seqkit.forecasting.RNNForecaster.predict`).
    interval : DataFrame with columns ``lower`` and ``upper``, optional
        E.g. :meth:`~seqkit.forecasting.RNNForecaster.predict_interval`; drawn as a band.
    actual : pandas Series, optional
        Observed values over the forecast period, to compare with.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
    label : str, default="forecast"
        Legend entry of the forecast.

    Returns
    -------
    matplotlib Axes
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    ax.plot(_x(history.index), history.to_numpy(), color="black", lw=1.2, label="history")
    if actual is not None:
        ax.plot(_x(actual.index), actual.to_numpy(), color="black", lw=1.2, ls="--",
                label="actual")
    ax.plot(_x(forecast.index), forecast.to_numpy(), color="tab:blue", lw=1.8, label=label)
    if interval is not None:
        ax.fill_between(_x(interval.index), interval["lower"].to_numpy(),
                        interval["upper"].to_numpy(), color="tab:blue", alpha=0.2,
                        label="interval")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left")
    return ax


def plot_attention(image, caption: str, attention, *, columns: int = 4, alpha: float = 0.6,
                   cmap: str = "magma", panel_size: float = 2.2):
    """Draw where a captioner looked for each word: one panel per word over the image.

    Parameters
    ----------
    image : ndarray of shape (H, W, C) or (H, W)
        The image (uint8 pixels, or floats in [0, 1]).
    caption : str
        The caption: one attention map per word or punctuation mark, as the captioner's
        word tokenizer splits it (``"a dog, running."`` is 5 tokens).
    attention : ndarray of shape (n_words, h, w)
        Attention weights over the encoder's grid, e.g. from
        :meth:`seqkit.captioning.ImageCaptioner.predict_attention`; each map is
        stretched over the whole image.
    columns : int, default=4
        Panels per row.
    alpha : float, default=0.6
        Opacity of the attention overlay.
    cmap : str, default="magma"
        Colour map of the overlay.
    panel_size : float, default=2.2
        Width and height of a panel in inches.

    Returns
    -------
    matplotlib Figure
    """
    import re

    import numpy as np

    from seqkit.text import WORD_PATTERN

    plt = _pyplot()
    words = re.findall(WORD_PATTERN, caption)
    attention = np.asarray(attention, dtype=float)
    if attention.ndim != 3 or len(attention) != len(words):
        raise ValueError(f"attention has shape {attention.shape}; expected (n_words, h, w) "
                         f"with n_words = {len(words)}, the words and marks of the caption")
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    height, width = image.shape[:2]
    rows = max(1, -(-len(words) // columns))
    figure, axes = plt.subplots(rows, min(columns, max(1, len(words))), squeeze=False,
                                figsize=(panel_size * min(columns, max(1, len(words))),
                                         panel_size * rows))
    for ax in axes.ravel():
        ax.axis("off")
    for ax, word, weights in zip(axes.ravel(), words, attention, strict=False):
        ax.imshow(image, cmap="gray" if image.ndim == 2 else None)
        ax.imshow(weights, cmap=cmap, alpha=alpha, extent=(-0.5, width - 0.5, height - 0.5, -0.5),
                  interpolation="bilinear", vmin=0.0, vmax=max(float(weights.max()), 1e-12))
        ax.set_title(word)
    figure.tight_layout()
    return figure
