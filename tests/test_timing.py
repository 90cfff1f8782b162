"""nonlin.timing: warm-up, repeats, taking turns, throughput (on a fake clock)."""

from __future__ import annotations

import pytest

from nonlin import timing


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
    with pytest.raises(ValueError, match=r"statistic must be one of \('min', 'median'\)"):
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
    with pytest.raises(ValueError, match=r"statistic must be one of \('min', 'median'\)"):
        timing.seconds(lambda: None, statistic="mean")
    with pytest.raises(TypeError, match="fn must be callable"):
        timing.measure(42)
    with pytest.raises(ValueError, match="elapsed must be a positive finite number"):
        timing.throughput(100, 0.0)
    with pytest.raises(ValueError, match="bytes_moved must be a non-negative finite number"):
        timing.throughput(-5, 1.0)
    with pytest.raises(TypeError, match="bytes_moved must be a real number, got str"):
        timing.throughput("8e6", 1.0)
    assert timing.throughput(2e9, 1.0) == 2.0



def test_turns_runs_setup_before_each_timed_run_and_returns_every_run(monkeypatch):
    clock, calls = [0.0], []

    def timed(name, durations):
        durations = iter(durations)

        def fn():
            calls.append(name)
            clock[0] += next(durations)
        return fn

    def setup():
        calls.append("setup")
        clock[0] += 1000.0  # untimed: never in the result

    fns = {"a": timed("a", [50, 4, 2, 6]), "b": timed("b", [50, 1, 9, 3])}
    times = timing.turns(fns, repeats=3, warmup=1, setup=setup, clock=lambda: clock[0])
    assert times == {"a": [4.0, 2.0, 6.0], "b": [1.0, 9.0, 3.0]}
    assert calls == ["setup", "a", "setup", "b"] + ["setup", "a", "setup", "b"] * 3


def test_turns_takes_one_setup_per_function_from_a_dict(monkeypatch):
    calls = []
    fns = {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}
    setups = {"a": lambda: calls.append("set a"), "b": lambda: calls.append("set b")}
    timing.turns(fns, repeats=1, warmup=0, setup=setups)
    assert calls == ["set a", "a", "set b", "b"]
    with pytest.raises(ValueError, match="same names as fns"):
        timing.turns(fns, setup={"a": setups["a"]})
    with pytest.raises(TypeError, match="setup must be callable, a dict or None, got int"):
        timing.turns(fns, setup=3)
    with pytest.raises(TypeError, match="clock must be callable, got str"):
        timing.turns(fns, clock="wall")


def test_turns_uses_the_wall_clock_by_default(monkeypatch):
    ticks = iter(range(100))
    monkeypatch.setattr(timing.time, "perf_counter", lambda: float(next(ticks)))
    assert timing.turns({"a": lambda: None}, repeats=2, warmup=0) == {"a": [1.0, 1.0]}


def test_spread_gives_quartiles_and_median():
    # inclusive quartiles of 1..5 are 2 and 4: an independent count by hand
    assert timing.spread([5.0, 1.0, 4.0, 2.0, 3.0]) == (2.0, 3.0, 4.0)
    assert timing.spread([7.0]) == (7.0, 7.0, 7.0)
    with pytest.raises(TypeError, match="runs must be a non-empty list of times"):
        timing.spread([])
    with pytest.raises(ValueError, match=r"runs\[i\] must be a non-negative finite number"):
        timing.spread([1.0, -2.0])
