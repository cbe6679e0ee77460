"""Command line: ``python -m seqkit demo``."""

from __future__ import annotations

import argparse
import os


def main(argv=None) -> int:
    """Run the seqkit command line."""
    parser = argparse.ArgumentParser(prog="seqkit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="train on bundled data and print scores")
    demo.add_argument("--quick", action="store_true", help="a few epochs only (smoke run)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if args.command == "demo":
        from seqkit.demo import run_demo

        run_demo(quick=args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
