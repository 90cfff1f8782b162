"""nonlin.benchmark: the `make bench` table covers every function and derivative, and runs."""

from __future__ import annotations

import numpy as np
import pytest

from nonlin import ACTIVATIONS, benchmark, caches


def test_benchmark_rows_cover_every_function_and_derivative():
    rows = list(benchmark.rows([2000], dtypes=(np.float32,), repeats=1))
    assert [r["function"] for r in rows] == [f"{n} {k}" for n in ACTIVATIONS for k in ("f", "f'")]
    for row in rows:
        assert row["n"] == 2000 and row["dtype"] == "float32"
        assert all(row[k] > 0 for k in ("nonlin", "torch", "copy")), row


def test_benchmark_command_line_prints_one_line_per_row(capsys):
    assert benchmark.main(["--sizes", "1000", "--repeats", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("activations:")))
    assert "taking turns" in lines[start] and "nonlin/torch" in lines[start + 1]
    assert len(lines) - start == 3 + 2 * 2 * len(ACTIVATIONS)  # title, header, rule; 2 dtypes
    assert lines[0].startswith("make bench:") and "no eviction" in lines[0] and "not chapter 7's test" in lines[1]
    assert lines[2].startswith("data caches:")
    cached = [line for line in lines if line.startswith("np.copyto") and "cached" in line]
    if caches.nontemporal_threshold() is not None:  # the label says rep movsb only where glibc uses it
        assert len(cached) == 1 and ("(rep movsb)" in cached[0]) == caches.rep_movsb_copies(2**20)
    for table, contenders in (("relu", 13), ("sigmoid", 6)):  # title, header, one line each
        first = lines.index(next(line for line in lines if line.startswith(f"{table}:")))
        assert lines[first + 2 + contenders] == ""
    with pytest.raises(SystemExit):
        benchmark.main(["--sizes", "0"])


@pytest.mark.parametrize(("table", "expected"), [
    ("relu", {"Python loop with if", "list comprehension", "np.where(x > 0, x, 0)", "x * (x > 0)",
              "np.maximum(x, 0)", "np.maximum(x, 0, out=out)", "np.maximum(x, zeros, out=out)",
              "torch.relu(t)", "torch.relu_(t)", "torch.clamp_min(t, 0, out=t_out)", "fused loop (Numba)",
              "fused loop in place (Numba)", "copy"}),
    ("sigmoid", {"naive numpy 1 / (1 + exp(-x))", "nonlin sigmoid (numpy chain)", "fused sigmoid (Numba)",
                 "fused loop of exp(-|x|) only (Numba)", "torch.sigmoid(t, out=t_out)", "copy"}),
])
def test_timed_rows_cover_every_contender_in_both_dtypes(table, expected):
    rows = list(benchmark.timed_rows(table, [1000], repeats=1))
    assert [(r["dtype"], r["n"]) for r in rows] == [("float32", 1000), ("float64", 1000)]
    for row in rows:
        assert set(row) - {"dtype", "n"} == expected
        assert all(row[k] >= 0 for k in expected)


def test_timed_rows_leave_out_the_python_loops_above_their_limit():
    (row,) = benchmark.timed_rows("relu", [benchmark.PYTHON_UP_TO + 1], dtypes=(np.float32,), repeats=1)
    assert "Python loop with if" not in row and "copy" in row
    with pytest.raises(ValueError, match="table must be 'relu' or 'sigmoid', got 'tanh'"):
        next(benchmark.timed_rows("tanh", [1000]))
