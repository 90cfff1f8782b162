"""Build nonlin's optional C extension, nonlin._kernels; everything else is in pyproject.toml.

The extension is optional: where it cannot be built (no C compiler, Windows), pip installs
nonlin without it and nonlin.activations computes with numpy alone, equally correct.
"""

import sys

from setuptools import Extension, setup

ext_modules = []
if sys.platform != "win32":
    ext_modules.append(
        Extension(
            "nonlin._kernels",
            sources=["src/nonlin/_kernels.c"],
            depends=["src/nonlin/_kernels_impl.h"],
            # Vectorise the loops marked `omp simd` (no OpenMP threads); math functions need
            # not set errno nor keep floating-point exception flags, which nothing reads.
            extra_compile_args=["-O3", "-fopenmp-simd", "-fno-math-errno", "-fno-trapping-math"],
            libraries=["mvec", "m"] if sys.platform.startswith("linux") else [],
            optional=True,
        )
    )

setup(ext_modules=ext_modules)
