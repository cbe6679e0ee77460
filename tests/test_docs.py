"""The documentation site builds without warnings, and its code blocks run.

``mkdocs`` comes with the ``docs`` / ``test`` extras; these tests fail (not skip) when it
is missing, so a broken docs set-up cannot pass unnoticed.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# Fenced blocks tagged ``python`` are complete programs (per page, run in order);
# blocks tagged ``py`` are fragments (they use names such as X_train) and are not run.
RUNNABLE_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _env():
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", NO_MKDOCS_2_WARNING="1",
               PYTHONIOENCODING="utf-8")
    env.pop("SEQKIT_SMOKE", None)
    return env


def test_mkdocs_is_installed():
    import mkdocs  # noqa: F401  (an ImportError fails this test)
    import mkdocstrings  # noqa: F401
    import material  # noqa: F401


def test_mkdocs_build_strict(tmp_path):
    import mkdocs  # noqa: F401  (fail, not skip, without mkdocs)

    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict",
         "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    for page in ["index", "inputs/index", "classifier/index", "regressor/index",
                 "tokenizer/index", "parameters/index", "datasets/index"]:
        assert (tmp_path / "site" / f"{page}.html").exists(), page
    # The API reference is rendered, with the parameters declared in seqkit.params.
    classifier = (tmp_path / "site" / "classifier" / "index.html").read_text()
    assert "seqkit.classifier.SequenceClassifier" in classifier
    assert "validation_fraction" in classifier and "{parameters}" not in classifier


def test_nav_pages_exist():
    config = (ROOT / "mkdocs.yml").read_text()
    pages = re.findall(r":\s*([\w/]+\.md)\s*$", config, re.MULTILINE)
    assert "benchmarks/speed.md" in pages and "benchmarks/accuracy.md" in pages
    missing = [page for page in pages if not (DOCS / page).exists()]
    assert not missing, f"pages in mkdocs.yml nav but not in docs/: {missing}"


def _pages_with_code():
    return sorted(p.name for p in DOCS.glob("*.md") if RUNNABLE_BLOCK.search(p.read_text()))


@pytest.mark.slow
@pytest.mark.parametrize("page", _pages_with_code())
def test_code_blocks_run(page):
    code = "\n".join(RUNNABLE_BLOCK.findall((DOCS / page).read_text()))
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(),
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{page}:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
