"""The notebooks are committed in a state nbval can check, and follow the chapter pattern.

nbval itself (strict mode, `--nbval` in pyproject.toml) re-runs every notebook under
notebooks/ and compares each cell's outputs with the saved ones; these tests make sure there
is something to compare: every code cell run, in order, in a fresh kernel.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from notebook_rules import ROOT, toc_notebooks

NOTEBOOKS = toc_notebooks()
IDS = [p.stem for p in NOTEBOOKS]
MAX_NOTEBOOK_BYTES = 2_000_000


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def test_the_toc_lists_every_notebook_and_only_existing_ones():
    on_disk = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert NOTEBOOKS, "the table of contents lists no notebook"
    missing = [str(p.relative_to(ROOT)) for p in NOTEBOOKS if not p.exists()]
    assert not missing, f"listed in _toc.yml but missing: {missing}"
    unlisted = [str(p.relative_to(ROOT)) for p in on_disk if p not in NOTEBOOKS]
    assert not unlisted, f"not in _toc.yml, so neither built nor tested as a chapter: {unlisted}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_valid_and_small(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert path.stat().st_size < MAX_NOTEBOOK_BYTES, f"{path.name} is over 2 MB"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_was_run_top_to_bottom_in_a_fresh_kernel(path):
    cells = code_cells(nbformat.read(path, as_version=4))
    counts = [c.execution_count for c in cells]
    assert None not in counts, f"{path.name}: {counts.count(None)} code cell(s) saved unrun"
    assert counts == list(range(1, len(cells) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..n; run `make execute`"
    )
    errors = [c.execution_count for c in cells
              if any(o.output_type == "error" for o in c.outputs) and not raises_on_purpose(c)]
    assert not errors, f"{path.name}: cells {errors} saved with an error"


def raises_on_purpose(cell) -> bool:
    """A cell meant to show an error: tagged `raises-exception` (which nbval, nbclient and
    Jupyter Book all honour) and saying why in a `# Why ...` comment. nbval then checks the
    error's type and message, though not its traceback."""
    return ("raises-exception" in cell.metadata.get("tags", [])
            and any(line.strip().startswith("# Why") for line in cell.source.splitlines()))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_cells_marked_to_raise_do_raise(path):
    for cell in code_cells(nbformat.read(path, as_version=4)):
        if "raises-exception" in cell.metadata.get("tags", []):
            assert raises_on_purpose(cell), f"{path.name}: a cell tagged raises-exception says why"
            assert any(o.output_type == "error" for o in cell.outputs), f"{path.name}: marked cell did not raise"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_follows_the_chapter_pattern(path):
    nb = nbformat.read(path, as_version=4)
    first_md = next(c.source for c in nb.cells if c.cell_type == "markdown")
    assert first_md.startswith("# "), "a chapter opens with its title"
    assert "What you will learn" in first_md
    headings = [line for c in nb.cells if c.cell_type == "markdown"
                for line in c.source.splitlines() if line.startswith("## ")]
    for required in ("## Key takeaways", "## Exercises", "## References"):
        assert required in headings, f"{path.name} has no '{required}' section"
    assert "nonlin.setup_notebook(" in code_cells(nb)[0].source, (
        "the first code cell makes the notebook reproducible with nonlin.setup_notebook()"
    )
    solutions = sum(c.source.count('<details class="solution">') for c in nb.cells)
    assert solutions >= 1, "exercises come with solutions hidden in <details class=\"solution\">"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_nbval_marker_is_honoured_and_gives_its_reason(path):
    """A cell nbval skips or does not compare says why, on the comment line after the marker:

        # NBVAL_IGNORE_OUTPUT
        # Why: timings differ between machines

    nbval recognises a marker only when the comment is exactly its name, so the marker is
    checked with nbval's own parser: a marker it would silently ignore fails here.
    """
    from nbval.plugin import find_comment_markers

    for cell in code_cells(nbformat.read(path, as_version=4)):
        lines = [line.strip() for line in cell.source.splitlines()]
        for i, line in enumerate(lines):
            if line.startswith("#") and "NBVAL_" in line:
                assert list(find_comment_markers(line)), f"{path.name}: nbval ignores {line!r}"
                reason = lines[i + 1] if i + 1 < len(lines) else ""
                assert reason.startswith("# Why:") and len(reason) > 20, (
                    f"{path.name}: {line} needs a '# Why: ...' line after it"
                )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_saved_outputs_hold_no_machine_specific_text(path):
    text = json.dumps([c.get("outputs", []) for c in nbformat.read(path, as_version=4).cells])
    for pattern, what in [(r"/(?:home|root|work|tmp)/", "a local path"),
                          (r"\bat 0x[0-9a-f]{6,}", "a memory address")]:
        assert not re.search(pattern, text), f"{path.name}: saved output contains {what}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_streams_are_saved_merged(path):
    """`make execute` merges a cell's consecutive prints, so saved notebooks do not churn."""
    for cell in code_cells(nbformat.read(path, as_version=4)):
        kinds = [(o.output_type, o.get("name")) for o in cell.outputs]
        assert all(a != b or a[0] != "stream" for a, b in zip(kinds, kinds[1:])), (
            f"{path.name}: cell {cell.execution_count} has split stream outputs; run `make execute`"
        )
