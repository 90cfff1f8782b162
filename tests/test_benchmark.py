"""nonlin.benchmark: the `make bench` table covers every function and derivative, and runs."""

from __future__ import annotations

import numpy as np
import pytest

from nonlin import ACTIVATIONS, benchmark


def test_benchmark_rows_cover_every_function_and_derivative():
    rows = list(benchmark.rows([2000], dtypes=(np.float32,), repeats=1))
    assert [r["function"] for r in rows] == [f"{n} {k}" for n in ACTIVATIONS for k in ("f", "f'")]
    for row in rows:
        assert row["n"] == 2000 and row["dtype"] == "float32"
        assert all(row[k] > 0 for k in ("nonlin", "torch", "copy")), row


def test_benchmark_command_line_prints_one_line_per_row(capsys):
    assert benchmark.main(["--sizes", "1000", "--repeats", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "taking turns" in lines[0] and "nonlin/torch" in lines[1]
    assert len(lines) == 3 + 2 * 2 * len(ACTIVATIONS)  # title, header, rule; 2 dtypes
    with pytest.raises(SystemExit):
        benchmark.main(["--sizes", "0"])
