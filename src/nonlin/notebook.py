"""The one call at the top of every notebook: seeds, threads, print options, figures."""

from __future__ import annotations

import numpy as np

from .plotting import use_book_style
from .reproducible import one_thread, seed_everything

PRINT_PRECISION = 4


def setup_notebook(seed: int = 0) -> np.random.Generator:
    """Make a notebook reproducible and return a numpy random generator seeded with ``seed``.

    Seeds Python's ``random``, numpy's global state and torch; runs torch and numpy's BLAS on
    one thread and torch with deterministic algorithms (results then do not depend on the
    machine's core count); rounds printed arrays to 4 decimals; applies the book's figure
    style; and, inside Jupyter, draws figures inline as PNG.
    """
    import torch

    seed_everything(seed)
    one_thread()
    torch.use_deterministic_algorithms(True)
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
