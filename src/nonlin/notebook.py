"""The one call at the top of every notebook: seeds, threads, print options, figures."""

from __future__ import annotations

import numpy as np

from .plotting import use_book_style
from .reproducible import one_thread, seed_everything

PRINT_PRECISION = 4


def setup_notebook(seed: int = 0, deterministic: bool = True) -> np.random.Generator:
    """Make a notebook reproducible and return a numpy random generator seeded with ``seed``.

    Seeds Python's ``random``, numpy's global state and torch; runs torch and numpy's BLAS on
    one thread (results then do not depend on the machine's core count) and, unless
    ``deterministic=False``, torch with deterministic algorithms; rounds printed arrays to
    4 decimals; applies the book's figure style; and, inside Jupyter, draws figures inline as PNG.

    ``deterministic=False`` is for a chapter that trains nothing and only times kernels: with
    one thread torch's CPU kernels give the same result every run anyway, and switching the
    mode on costs about a second (torch 2.13 imports its compiler's configuration to do it).
    """
    import torch

    if not isinstance(deterministic, bool):
        raise ValueError(f"deterministic must be True or False, got {deterministic!r}")
    seed_everything(seed)
    one_thread()
    if deterministic or torch.are_deterministic_algorithms_enabled():  # the call itself costs the second
        torch.use_deterministic_algorithms(deterministic)
    np.set_printoptions(precision=PRINT_PRECISION, suppress=True)
    torch.set_printoptions(precision=PRINT_PRECISION, sci_mode=False)
    use_book_style()
    _configure_inline_figures()
    return np.random.default_rng(seed)


def _configure_inline_figures() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to configure
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.run_line_magic("matplotlib", "inline")
    shell.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
