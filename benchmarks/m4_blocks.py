"""Interval quality of M4 forecasts after the network's first ``horizon`` block.

Reads results of ``benchmarks/m4.py`` (which records coverage and the interval score of
each level by 6 forecast hours) for runs whose network ``horizon`` H is below 48 (the
default 12, or ``--params '{"horizon": H}'``) and prints, for the hours after the first
block (the recursive ones), the coverage of the 80 / 90 / 95 % intervals, the sum of
|coverage - nominal| and the MSIS (95 %); plus each level's coverage inside the first
block. Used by rounds 5, 6 and 7 of the forecaster's protocol
(docs/benchmarks/tuning-appendix.md).

    python benchmarks/m4_blocks.py benchmarks/results/m4_hourly_validation_c4_horizon12.json ...
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from _common import print_table, write_results

LEVELS = (80, 90, 95)
BLOCK_HOURS = 6  # m4.py's resolution


def after_first_block(result: dict, horizon: int) -> dict:
    """Coverage and interval scores of ``result`` (one method of m4.py) after hour ``horizon``."""
    if horizon % BLOCK_HOURS:
        raise ValueError(f"horizon must be a multiple of {BLOCK_HOURS}, got {horizon}")
    first = horizon // BLOCK_HOURS
    row = {f"coverage_{level}": float(np.mean(result[f"coverage_{level}_by_6_hours"][first:]))
           for level in LEVELS}
    row["coverage_error_sum"] = sum(abs(row[f"coverage_{level}"] - level / 100)
                                    for level in LEVELS)
    row["msis"] = float(np.mean(result["msis_95_by_6_hours"][first:]))
    row.update({f"coverage_{level}_first_block":
                float(np.mean(result[f"coverage_{level}_by_6_hours"][:first]))
                for level in LEVELS})
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--name", default="m4_hourly_after_first_block")
    args = parser.parse_args()
    rows, results = [], {}
    for path in args.files:
        run = json.loads(path.read_text())
        seqkit = run["results"]["seqkit"]
        horizon = seqkit.get("network_horizon", seqkit["params"].get("horizon"))
        row = after_first_block(seqkit, horizon)
        results[path.stem] = {"horizon": horizon, "owa": seqkit["owa"], **row}
        rows.append([path.stem, horizon, f"{seqkit['owa']:.4f}",
                     " / ".join(f"{row[f'coverage_{level}']:.3f}" for level in LEVELS),
                     f"{row['coverage_error_sum']:.3f}", f"{row['msis']:.2f}",
                     " / ".join(f"{row[f'coverage_{level}_first_block']:.3f}"
                                for level in LEVELS)])
    table = print_table(["run", "H", "OWA", "80/90/95 % coverage after block 1",
                         "sum |cov - nominal|", "MSIS after block 1",
                         "80/90/95 % coverage in block 1"],
                        rows, "M4 Hourly: intervals after the first horizon block")
    write_results(args.name, {"files": [str(path) for path in args.files]}, results, table)


if __name__ == "__main__":
    main()
