"""Shared test settings (for tests/ and for nbval on notebooks/): the pinned environment for
notebook kernels, hypothesis profiles, and each notebook's time against its budget."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, settings

from nonlin.reproducible import pin_environment

# Kernels that nbval starts inherit this environment: one thread and a fixed hash seed, so
# that a notebook's printed outputs are the same on every machine.
pin_environment()

# "default" (make test, CI): the same examples on every run, so a red CI is reproducible.
# "thorough": HYPOTHESIS_PROFILE=thorough make test draws 25 times more, fresh each run.
settings.register_profile(
    "default",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# Every chapter runs "in seconds" on a laptop: a budget for the time its cells take as nbval
# runs them (kernel start-up excluded). The times are measured and printed at the end of the
# run, against the budgets; they are not asserted, since a busy machine would fail a test
# that has nothing wrong with it.
NOTEBOOK_BUDGET_SECONDS = {"07_speed.ipynb": 15.0}
DEFAULT_NOTEBOOK_BUDGET_SECONDS = 30.0
_notebook_seconds: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    # Called in the main process for every test, also when pytest-xdist runs them elsewhere.
    path = report.nodeid.split("::")[0]
    if report.when == "call" and path.endswith(".ipynb"):
        _notebook_seconds[Path(path).name] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _notebook_seconds:
        return
    terminalreporter.section("notebook times (cells only, against each chapter's budget)")
    capability = os.environ.get("ATEN_CPU_CAPABILITY", "the CPU's best")
    terminalreporter.line(f"torch's kernels: {capability}")
    for name, seconds in sorted(_notebook_seconds.items()):
        budget = NOTEBOOK_BUDGET_SECONDS.get(name, DEFAULT_NOTEBOOK_BUDGET_SECONDS)
        verdict = "within budget" if seconds <= budget else "OVER BUDGET"
        terminalreporter.line(f"{name:32s} {seconds:6.1f} s of {budget:4.0f} s  {verdict}")
