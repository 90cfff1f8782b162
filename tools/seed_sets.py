"""Run chapter 6's code cells with another set of random seeds, printing every cell's output.

    python -m nonlin.reproducible python tools/seed_sets.py 5 10      (what `make seed-sets` runs)

Each number s runs the chapter once, in a fresh process, with its one line `SEEDS = range(5)`
replaced by `SEEDS = range(s, s + 5)`; nothing else changes. A failed assert is printed as
"ASSERT FAILED [cell n]: ..." and the run goes on, so one run shows every check that does not hold
with those seeds (the asserts were written for seeds 0-4). Figures are not drawn. The chapter's
text quotes what it says held "with seeds 5-9 and 10-14" from these runs.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "06_experiments.ipynb"
SEEDS_LINE = "SEEDS = range(5)"


class SoftAsserts(ast.NodeTransformer):
    """``assert test, msg`` -> ``if not test: print("ASSERT FAILED [cell n]:", "test", msg)``."""

    def __init__(self, cell: int):
        self.cell = cell

    def visit_Assert(self, node):
        args = [ast.Constant(f"ASSERT FAILED [cell {self.cell}]:"), ast.Constant(ast.unparse(node.test))]
        if node.msg is not None:
            args.append(node.msg)
        report = ast.Expr(ast.Call(ast.Name("print", ast.Load()), args, []))
        return ast.copy_location(ast.If(ast.UnaryOp(ast.Not(), node.test), [report], []), node)


def show(value) -> None:
    """Print a cell's last expression as Jupyter would show its text (tables whole)."""
    if value is None or type(value).__module__.startswith("matplotlib"):
        return
    print(value.to_string() if hasattr(value, "to_string") else value)


def run(first_seed: int) -> None:
    import json

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.show = lambda *args, **kwargs: plt.close("all")
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    sources = ["".join(cell["source"]) for cell in cells]
    found = sum(source.count(SEEDS_LINE) for cell, source in zip(cells, sources) if cell["cell_type"] == "code")
    if found != 1:
        sys.exit(f"expected the line {SEEDS_LINE!r} once in the code of {NOTEBOOK.name}, found it {found} times")
    namespace = {"__name__": "__main__", "__show": show}
    start = time.perf_counter()
    print(f"#### {NOTEBOOK.name} with seeds {first_seed}-{first_seed + 4}", flush=True)
    for n, (cell, source) in enumerate(zip(cells, sources)):
        if cell["cell_type"] != "code":
            continue
        source = source.replace(SEEDS_LINE, f"SEEDS = range({first_seed}, {first_seed + 5})")
        tree = SoftAsserts(n).visit(ast.parse(source))
        if tree.body and isinstance(tree.body[-1], ast.Expr):  # the value a notebook would display
            tree.body[-1] = ast.Expr(ast.Call(ast.Name("__show", ast.Load()), [tree.body[-1].value], []))
        ast.fix_missing_locations(tree)
        print(f"==== cell {n} ({time.perf_counter() - start:.0f} s)", flush=True)
        try:
            exec(compile(tree, f"cell {n}", "exec"), namespace)
        except Exception as error:  # report it and go on: later cells may not depend on it
            print(f"EXCEPTION [cell {n}]: {type(error).__name__}: {error}")
    print(f"#### seeds {first_seed}-{first_seed + 4} done in {time.perf_counter() - start:.0f} s", flush=True)


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "--one":
        run(int(argv[1]))
        return
    if not argv or not all(a.isdigit() for a in argv):
        sys.exit("usage: python tools/seed_sets.py FIRST_SEED ... (e.g. 5 10: seeds 5-9, then 10-14)")
    for first_seed in argv:  # one fresh process per seed set, in the notebooks' directory as the kernel runs
        subprocess.run([sys.executable, __file__, "--one", first_seed], cwd=NOTEBOOK.parent, check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
