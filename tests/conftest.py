"""Shared test settings: hypothesis profiles and a pinned environment for notebook kernels."""

import os

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
