"""Every script in examples/ and the demo command run end to end (smoke mode).

Each example runs in a subprocess with ``SEQKIT_SMOKE=1`` (tiny data, a few epochs), must
exit with 0 and print its score line. The scores of a smoke run mean nothing; only the
format is checked.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
NUMBER = r"-?\d+\.\d{3}"
# The score line(s) each example prints; an example not listed here must print at least
# one line with "accuracy" or "R²" and a number.
EXPECTED = {
    "classify_sequences.py": [rf"^test accuracy: {NUMBER}$"],
    "regress_sequences.py": [rf"^R² single output \(amplitude\): {NUMBER}$",
                             rf"^R² multi-output \(amplitude, frequency\): {NUMBER} "],
    "classify_text.py": [r"^best parameters: \{.*\}$", rf"^test accuracy: {NUMBER}$"],
    "caption_shapes.py": [rf"^test exact match: {NUMBER}$", rf"^test BLEU-4: {NUMBER}$",
                          r"^attention plot saved to .+\.png$"],
    "translate_dates.py": [rf"^test exact match: {NUMBER}$", rf"^test BLEU: {NUMBER}$"],
    "generate_text.py": [rf"^validation nats per character: {NUMBER}$",
                         r"^--- temperature 0\.5$", r"^--- temperature 1\.0$"],
}
DEFAULT_EXPECTED = [rf"(accuracy|R²).*{NUMBER}"]
SLOW = {"classify_text.py"}  # a grid search: several fits, over 20 s on a busy CPU


def _run(args, timeout=600):
    env = dict(os.environ, SEQKIT_SMOKE="1", TF_CPP_MIN_LOG_LEVEL="3",
               PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_examples_found():
    assert {path.name for path in EXAMPLES} >= set(EXPECTED)


@pytest.mark.parametrize(
    "example",
    [pytest.param(path, id=path.name,
                  marks=[pytest.mark.slow] if path.name in SLOW else [])
     for path in EXAMPLES],
)
def test_example_runs(example):
    result = _run([str(example)])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    for pattern in EXPECTED.get(example.name, DEFAULT_EXPECTED):
        assert re.search(pattern, result.stdout, re.MULTILINE), (
            f"{example.name} did not print a line matching {pattern!r}:\n{result.stdout}"
        )


def test_demo_quick():
    result = _run(["-m", "seqkit", "demo", "--quick"])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ItalyPowerDemand (UCR)")
    assert re.match(r"^model\s+test accuracy\s+fit seconds$", lines[1]), lines[1]
    rows = {}
    for line in lines[2:4]:
        match = re.match(r"^(.+?)\s+(\d\.\d{3})\s+(\d+\.\d)$", line)
        assert match, f"not a table row: {line!r}"
        rows[match[1]] = (float(match[2]), float(match[3]))
    assert set(rows) == {"seqkit SequenceClassifier()",
                         "1-nearest-neighbour (UCR baseline)"}
    for accuracy, seconds in rows.values():
        assert 0.0 <= accuracy <= 1.0 and seconds >= 0.0
    # 1-NN is deterministic: its UCR test accuracy on ItalyPowerDemand is 0.955.
    assert rows["1-nearest-neighbour (UCR baseline)"][0] == pytest.approx(0.955, abs=0.001)
    assert lines[4].startswith("Published (test accuracy):")
