"""Re-run notebooks in place, top to bottom in a fresh kernel: what `make execute` does.

    python tools/execute_notebooks.py notebooks/01_why_nonlinearity.ipynb ...

After running, consecutive stream outputs of a cell (stdout, stderr) are merged into one:
the kernel splits a cell's prints into messages by timing, and merging keeps the saved
notebook the same from run to run. nbval merges them the same way before comparing. The
kernels run in the environment nonlin.reproducible pins (one thread, a fixed hash seed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from nonlin.reproducible import pin_environment


def merge_streams(cell) -> None:
    merged = []
    for output in cell.get("outputs", []):
        previous = merged[-1] if merged else None
        if (output.output_type == "stream" and previous is not None
                and previous.output_type == "stream" and previous.name == output.name):
            previous.text += output.text
        else:
            merged.append(output)
    cell.outputs = merged


def execute(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=300, record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            merge_streams(cell)
    nbformat.write(notebook, path)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python tools/execute_notebooks.py NOTEBOOK.ipynb ...")
    pin_environment()
    for name in sys.argv[1:]:
        print(f"executing {name}", flush=True)
        execute(Path(name))
