"""nonlin.timing and the benchmark behind `make bench` (structure, not speed)."""

from __future__ import annotations

import numpy as np
import pytest

from nonlin import benchmark, timing


def test_measure_warms_up_then_times_each_repeat():
    calls = []
    times = timing.measure(lambda: calls.append(1), repeats=4, warmup=3)
    assert len(calls) == 7 and len(times) == 4 and all(t >= 0 for t in times)
    assert timing.seconds(lambda: None, repeats=3, statistic="median") >= 0


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"repeats": 0}, ValueError, "repeats must be an integer >= 1"),
        ({"warmup": -1}, ValueError, "warmup must be an integer >= 0"),
        ({"repeats": 2.5}, ValueError, "repeats must be an integer"),
    ],
)
def test_measure_refuses_bad_counts(kwargs, error, message):
    with pytest.raises(error, match=message):
        timing.measure(lambda: None, **kwargs)


def test_seconds_and_throughput_refuse_bad_input():
    with pytest.raises(ValueError, match="statistic must be 'min' or 'median'"):
        timing.seconds(lambda: None, statistic="mean")
    with pytest.raises(TypeError, match="fn must be callable"):
        timing.measure(42)
    with pytest.raises(ValueError, match="elapsed must be positive"):
        timing.throughput(100, 0.0)
    assert timing.throughput(2e9, 1.0) == 2.0


def test_benchmark_rows_cover_every_function_and_derivative():
    rows = list(benchmark.rows([2000], dtypes=(np.float32,), repeats=1))
    assert len(rows) == 18
    assert {r["function"] for r in rows} >= {"relu f", "relu f'", "gelu f", "gelu f'"}
    for row in rows:
        assert all(row[k] > 0 for k in ("nonlin", "nonlin out=", "torch", "copy"))
        assert isinstance(row["met"], bool)
    assert [r["target"] for r in rows if r["function"] == "relu f"] == ["out= >= 0.8 x copy speed"]


def test_benchmark_command_line_runs(capsys):
    assert benchmark.main(["--sizes", "1000", "--repeats", "1"]) == 0
    printed = capsys.readouterr().out
    assert "targets met:" in printed and "sigmoid f'" in printed
    with pytest.raises(SystemExit):
        benchmark.main(["--sizes", "0"])
