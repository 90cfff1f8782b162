"""Shared test settings (for tests/ and for nbval on notebooks/): hypothesis profiles, a
pinned environment for notebook kernels, and time budgets for the notebooks."""

import os

import pytest

from hypothesis import HealthCheck, settings

# Kernels that nbval starts inherit this environment: one thread and a fixed hash seed, so
# that a notebook's printed outputs are the same on every machine.
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("PYTHONHASHSEED", "0")

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


# Time budgets for the notebooks, on the cells' execution as nbval runs them (kernel start-up
# excluded): every chapter runs "in seconds" (COURSE.md), the chapter on speed in under 15 s
# (issue 8). Measured on this kind of machine: 14 s for chapter 6, 5 s for chapter 7, so each
# budget leaves a margin of two or more for a slower or busier machine. The last cell of a
# notebook fails if the notebook's cells together took longer.
NOTEBOOK_BUDGET_SECONDS = {"07_speed.ipynb": 15.0}
DEFAULT_NOTEBOOK_BUDGET_SECONDS = 30.0
_notebook_seconds: dict[str, float] = {}
_last_cell_of: dict[str, object] = {}


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            _last_cell_of[item.path.name] = item


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or item.path.suffix != ".ipynb":
        return
    name = item.path.name
    _notebook_seconds[name] = _notebook_seconds.get(name, 0.0) + call.duration
    budget = NOTEBOOK_BUDGET_SECONDS.get(name, DEFAULT_NOTEBOOK_BUDGET_SECONDS)
    if _last_cell_of.get(name) is item and report.passed and _notebook_seconds[name] > budget:
        report.outcome = "failed"
        report.longrepr = (f"{name}: its cells took {_notebook_seconds[name]:.1f} s together, "
                           f"over the budget of {budget:.0f} s")
