"""A generated translation task with an exact answer: dates in many formats to ISO."""

from __future__ import annotations

import datetime

from sklearn.utils import check_random_state

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _formats(date: datetime.date) -> list[str]:
    d, m, y = date.day, date.month, date.year
    month, short = MONTHS[m - 1], MONTHS[m - 1][:3]
    return [
        f"{d} {month} {y}", f"{d} {short} {y}", f"{month} {d}, {y}", f"{short} {d}, {y}",
        f"{d:02d}/{m:02d}/{y}", f"{d}.{m}.{y}", f"{y}/{m:02d}/{d:02d}",
        f"{DAYS[date.weekday()]}, {d} {month} {y}", f"{d} {month.lower()} {y}",
        f"{month.upper()} {d} {y}", f"{d:02d}-{short.upper()}-{y}",
    ]


def make_date_pairs(n: int, *, random_state=None) -> tuple[list[str], list[str]]:
    """Dates written in one of 11 formats, and the same dates as ISO ``YYYY-MM-DD``.

    Dates are drawn uniformly from 1900-01-01 to 2099-12-31; a translator has to learn
    month names, day-month order and zero padding.

    Parameters
    ----------
    n : int
        Number of pairs.
    random_state : int, RandomState or None
        Seeds the dates and formats.

    Returns
    -------
    X : list of str
        E.g. ``"3 March 1998"``, ``"03/03/1998"``, ``"Tuesday, 3 March 1998"``.
    y : list of str
        E.g. ``"1998-03-03"``.

    Examples
    --------
    >>> from seqkit.datasets import make_date_pairs
    >>> X, y = make_date_pairs(2, random_state=0)
    >>> len(X), y[0][4], y[0][7]
    (2, '-', '-')
    """
    rng = check_random_state(random_state)
    first = datetime.date(1900, 1, 1).toordinal()
    last = datetime.date(2099, 12, 31).toordinal()
    X, y = [], []
    for ordinal in rng.randint(first, last + 1, size=n):
        date = datetime.date.fromordinal(int(ordinal))
        formats = _formats(date)
        X.append(formats[rng.randint(len(formats))])
        y.append(date.isoformat())
    return X, y
