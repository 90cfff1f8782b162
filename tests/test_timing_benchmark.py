"""nonlin.timing and the benchmark behind `make bench` (structure, not speed)."""

from __future__ import annotations

import numpy as np
import pytest

from nonlin import benchmark, timing


def test_measure_warms_up_then_times_each_repeat(monkeypatch):
    """With a fake clock that each call of fn advances by 5, 1, 3, ... seconds."""
    clock = [0.0]
    durations = iter([100.0, 100.0, 5.0, 1.0, 3.0] * 2)  # two warm-ups, three timed runs

    def fn():
        clock[0] += next(durations)

    monkeypatch.setattr(timing.time, "perf_counter", lambda: clock[0])
    assert timing.measure(fn, repeats=3, warmup=2) == [5.0, 1.0, 3.0]
    assert timing.seconds(fn, repeats=3, warmup=2, statistic="median") == 3.0
    clock[0] = 0.0
    durations = iter([100.0, 100.0, 5.0, 1.0, 3.0])
    assert timing.seconds(fn, repeats=3, warmup=2) == 1.0


def test_interleaved_takes_turns_and_keeps_each_functions_statistic(monkeypatch):
    clock, calls = [0.0], []

    def timed(name, durations):
        durations = iter(durations)

        def fn():
            calls.append(name)
            clock[0] += next(durations)
        return fn

    monkeypatch.setattr(timing.time, "perf_counter", lambda: clock[0])
    # durations: a warm-up, then per round one untimed run (50) and one timed run
    fns = {"a": timed("a", [50, 50, 4, 50, 2, 50, 6]), "b": timed("b", [50, 50, 1, 50, 9, 50, 3])}
    assert timing.interleaved(fns, repeats=3, warmup=1) == {"a": 2.0, "b": 1.0}
    assert calls == ["a", "b"] + ["a", "a", "b", "b"] * 3  # warm-ups, then rounds in turn
    fns = {"a": timed("a", [50, 4, 50, 2, 50, 6]), "b": timed("b", [50, 1, 50, 9, 50, 3])}
    assert timing.interleaved(fns, repeats=3, warmup=0, statistic="median") == {"a": 4.0, "b": 3.0}


def test_interleaved_refuses_bad_input():
    with pytest.raises(TypeError, match="fns must be a non-empty dict"):
        timing.interleaved({})
    with pytest.raises(TypeError, match=r"fns\['b'\] must be callable, got int"):
        timing.interleaved({"a": lambda: None, "b": 3})
    with pytest.raises(ValueError, match="statistic must be 'min' or 'median'"):
        timing.interleaved({"a": lambda: None}, statistic="mean")
    with pytest.raises(ValueError, match="repeats must be an integer >= 1"):
        timing.interleaved({"a": lambda: None}, repeats=0)


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
        assert row["torch fwd+bwd"] is None or row["torch fwd+bwd"] > 0
    # torch computes these three derivatives from the forward's result, so from x it needs both
    assert {r["function"] for r in rows if r["torch fwd+bwd"] is not None} == {
        "sigmoid f'", "tanh f'", "relu f'"}
    assert [r["target"] for r in rows if r["function"] == "relu f"] == ["out= >= 0.8 x copy speed"]


@pytest.mark.parametrize(
    ("function", "times", "target", "met"),
    [
        ("relu f", (9.0, 1.2, 0.1, 1.0), "out= >= 0.8 x copy speed", True),  # 1/1.2 > 0.8 of copy
        ("relu f", (0.1, 1.3, 0.1, 1.0), "out= >= 0.8 x copy speed", False),  # 1/1.3 < 0.8
        ("relu f'", (2.0, 0.9, 1.0, 0.1), "<= torch", True),  # out= beats torch
        ("sigmoid f", (1.1, 1.2, 1.0, 0.1), "<= torch", False),
    ],
)
def test_benchmark_judges_each_row_by_its_target(function, times, target, met):
    assert benchmark.judge(function, *times) == (target, met)


def test_benchmark_command_line_runs(capsys):
    assert benchmark.main(["--sizes", "1000", "--repeats", "1"]) == 0
    printed = capsys.readouterr().out
    assert "targets met:" in printed and "sigmoid f'" in printed and "taking turns" in printed
    assert benchmark.main(["--sizes", "1000", "--repeats", "1", "--back-to-back"]) == 0
    assert "back to back" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        benchmark.main(["--sizes", "0"])
