"""nonlin.timing: warm-up, taking turns with fresh input, quartiles (on a fake clock)."""

from __future__ import annotations

import numpy as np
import pytest

from nonlin import timing


def fake_timed(clock, calls):
    """A maker of fake functions: each call logs its name and advances the fake clock by its next duration."""
    def timed(name, durations):
        durations = iter(durations)

        def fn():
            calls.append(name)
            clock[0] += next(durations)
        return fn
    return timed



def test_turns_runs_setup_before_each_timed_run_and_returns_every_run():
    clock, calls = [0.0], []
    timed = fake_timed(clock, calls)

    def setup():
        calls.append("setup")
        clock[0] += 1000.0  # untimed: never in the result

    fns = {"a": timed("a", [50, 4, 2, 6]), "b": timed("b", [50, 1, 9, 3])}
    times = timing.turns(fns, repeats=3, warmup=1, setup=setup, clock=lambda: clock[0])
    assert times == {"a": [4.0, 2.0, 6.0], "b": [1.0, 9.0, 3.0]}  # each function's own runs, in its order
    assert calls[:4] == ["setup", "a", "setup", "b"]  # the warm-up, in the order of fns
    rounds = calls[4:]
    assert rounds[0::2] == ["setup"] * 6 and sorted(rounds[1::2]) == ["a"] * 3 + ["b"] * 3


def test_turns_warm_each_run_calls_the_function_untimed_before_its_setup_each_round():
    clock, calls = [0.0], []
    timed = fake_timed(clock, calls)

    def setup():
        calls.append("setup")

    fns = {"a": timed("a", [100, 4, 200, 6])}  # the untimed calls take 100 and 200: never in the result
    times = timing.turns(fns, repeats=2, warmup=0, setup=setup, clock=lambda: clock[0], warm_each_run=True)
    assert times == {"a": [4.0, 6.0]}
    assert calls == ["a", "setup", "a"] * 2  # untimed call, then fresh data, then the timed run
    with pytest.raises(TypeError, match="warm_each_run must be True or False, got int"):
        timing.turns(fns, warm_each_run=1)


def test_turns_shuffles_the_order_each_round_and_runs_each_round_once_per_round():
    calls = []
    names = "abcde"
    fns = {name: (lambda name=name: calls.append(name)) for name in names}
    timing.turns(fns, repeats=40, warmup=0, each_round=lambda: calls.append("round"))
    rounds = "".join(calls).split("round")[1:]
    assert len(rounds) == 40 and all(sorted(r) == list(names) for r in rounds)  # each once per round
    # a fixed order (or one that only rotates) fails: every function is first and last at
    # least once in 40 rounds, and a function is preceded by more than two neighbours
    assert {r[0] for r in rounds} == set(names) and {r[-1] for r in rounds} == set(names)
    before_c = {r[r.index("c") - 1] for r in rounds if r.index("c") > 0}
    assert len(before_c) > 2
    # the same seed gives the same orders; another seed, others
    def orders(seed):
        calls.clear()
        timing.turns(fns, repeats=10, warmup=0, each_round=lambda: calls.append("|"), seed=seed)
        return "".join(calls)
    assert orders(0) == orders(0) and orders(0) != orders(1)


def test_turns_takes_one_setup_per_function_from_a_dict():
    calls = []
    fns = {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}
    setups = {"a": lambda: calls.append("set a"), "b": lambda: calls.append("set b")}
    timing.turns(fns, repeats=3, warmup=0, setup=setups)
    assert sorted(zip(calls[0::2], calls[1::2])) == [("set a", "a")] * 3 + [("set b", "b")] * 3
    with pytest.raises(ValueError, match="same names as fns"):
        timing.turns(fns, setup={"a": setups["a"]})
    with pytest.raises(TypeError, match="setup must be callable, a dict or None, got int"):
        timing.turns(fns, setup=3)
    with pytest.raises(TypeError, match="clock must be callable, got str"):
        timing.turns(fns, clock="wall")
    with pytest.raises(TypeError, match="each_round must be callable or None, got int"):
        timing.turns(fns, each_round=1)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        timing.turns(fns, seed=-1)


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


def test_turns_refuses_bad_input():
    with pytest.raises(TypeError, match="fns must be a non-empty dict"):
        timing.turns({})
    with pytest.raises(TypeError, match=r"fns\['b'\] must be callable, got int"):
        timing.turns({"a": lambda: None, "b": 3})
    with pytest.raises(ValueError, match="repeats must be an integer >= 1"):
        timing.turns({"a": lambda: None}, repeats=0)
    with pytest.raises(ValueError, match="warmup must be an integer >= 0"):
        timing.turns({"a": lambda: None}, warmup=-1)


@pytest.mark.parametrize("shape", [1, 7, 65536, (4, 16), (3, 5)])
@pytest.mark.parametrize("dtype", ["float32", "float64", "uint8"])
def test_aligned_empty_starts_at_a_multiple_of_the_alignment(shape, dtype):
    for alignment in (64, 128, 4096):
        a = timing.aligned_empty(shape, dtype, alignment=alignment)
        assert a.ctypes.data % alignment == 0
        assert a.shape == (shape if isinstance(shape, tuple) else (shape,))
        assert a.dtype == np.dtype(dtype) and a.flags.c_contiguous and a.flags.writeable
        a[...] = 1  # all of it is usable memory
        assert a.sum() == a.size
    rows = timing.aligned_empty((4, 16), np.float32)  # 64 bytes a row: every row starts on a line
    assert all(row.ctypes.data % 64 == 0 for row in rows)


def test_aligned_empty_refuses_bad_arguments():
    not_power = "alignment must be a power of two and a multiple of the dtype's 4 bytes, got 48"
    with pytest.raises(ValueError, match=not_power):
        timing.aligned_empty(8, np.float32, alignment=48)
    not_whole = "alignment must be a power of two and a multiple of the dtype's 8 bytes, got 4"
    with pytest.raises(ValueError, match=not_whole):
        timing.aligned_empty(8, np.float64, alignment=4)
    with pytest.raises(ValueError, match="alignment must be an integer >= 1"):
        timing.aligned_empty(8, alignment=0)
    with pytest.raises(ValueError, match=r"shape\[i\] must be an integer >= 0"):
        timing.aligned_empty(-1)
    with pytest.raises(TypeError, match="shape must be an int or a non-empty tuple of ints"):
        timing.aligned_empty([8])
    with pytest.raises(TypeError, match="shape must be an int or a non-empty tuple of ints"):
        timing.aligned_empty(True)
