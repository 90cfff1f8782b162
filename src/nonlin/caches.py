"""The machine's memory hierarchy, read at run time: cache sizes, and when ``memcpy`` streams.

Whether an array "is in cache" depends on the machine, so a benchmark that claims to measure
in cache or from memory must choose its sizes from the caches it runs on. Linux describes
each core's caches in sysfs (``/sys/devices/system/cpu/cpu0/cache/index*/``: level, type,
size); glibc answers ``sysconf(_SC_LEVEL2_CACHE_SIZE)`` and the like from the processor.

A copy is the roof for a function that reads one array and writes another, but which copy:
glibc's ``memcpy``/``memmove`` on x86-64 switch to non-temporal stores (written straight to
memory, without first reading the destination's cache lines) only for sizes at or above the
tunable ``glibc.cpu.x86_non_temporal_threshold``, which glibc derives from the size of the
last-level cache; ``nontemporal_threshold`` reads it with ``ld.so --list-tunables``, and
``memcpy_seconds`` times ``np.copyto`` in a fresh Python with the threshold moved (the
environment variable ``GLIBC_TUNABLES``, read when a process starts), to measure the copy
both ways: with non-temporal stores, and without. Without them, on an Intel processor with
fast string instructions (the ``erms`` flag), glibc copies a large block with one ``rep movsb``
instruction whose stores go through the cache; ``rep_movsb_copies`` says whether it does here,
and ``memcpy_seconds(..., rep_movsb=False)`` also raises ``glibc.cpu.x86_rep_movsb_threshold``
to its maximum, so that the copy is glibc's loop of ordinary vector stores.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys

from ._checks import integer, positive_number

_SIZE = re.compile(r"^(\d+)([KMG]?)$")
_TUNABLE = re.compile(r"glibc\.cpu\.(x86_\w+):\s*(0x[0-9a-fA-F]+|\d+)")


def parse_size(text: str) -> int:
    """Bytes in a sysfs cache size such as ``48K``, ``2048K``, ``300M`` (K = 1024 bytes)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    match = _SIZE.match(text.strip())
    if match is None:
        raise ValueError(f"text must be a size such as '48K', got {text!r}")
    return int(match.group(1)) * 1024 ** " KMG".index(match.group(2) or " ")


def cache_sizes(root: str = "/sys/devices/system/cpu/cpu0/cache") -> dict[str, int]:
    """The data caches of the first core, in bytes: ``{"L1": ..., "L2": ..., "L3": ...}``.

    From sysfs where Linux provides it, else from ``os.sysconf``; levels it cannot find are
    missing from the dict (an empty dict: nothing known).
    """
    if not isinstance(root, str):
        raise TypeError(f"root must be a str, got {type(root).__name__}")
    sizes: dict[str, int] = {}
    for index in sorted(glob.glob(os.path.join(root, "index*"))):
        try:
            with open(os.path.join(index, "type")) as f:
                kind = f.read().strip()
            with open(os.path.join(index, "level")) as f:
                level = int(f.read())
            with open(os.path.join(index, "size")) as f:
                size = parse_size(f.read())
        except (OSError, ValueError):
            continue
        if kind in ("Data", "Unified"):
            sizes[f"L{level}"] = size
    if not sizes:
        for level, name in ((1, "SC_LEVEL1_DCACHE_SIZE"), (2, "SC_LEVEL2_CACHE_SIZE"),
                            (3, "SC_LEVEL3_CACHE_SIZE")):
            try:
                size = os.sysconf(name)
            except (ValueError, OSError):
                continue
            if size > 0:
                sizes[f"L{level}"] = size
    return sizes


def glibc_tunables() -> dict[str, int]:
    """glibc's numeric x86 tunables for this environment, by name: ``{"x86_non_temporal_threshold":
    bytes, "x86_rep_movsb_threshold": bytes, ...}``; empty where there are none (not glibc on
    x86-64, or a glibc older than 2.33 without ``ld.so --list-tunables``).

    The values reflect ``GLIBC_TUNABLES`` in the environment, as the running process does.
    """
    loaders = sorted(glob.glob("/lib64/ld-linux-x86-64.so.*") + glob.glob("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.*"))
    for loader in loaders:
        try:
            listing = subprocess.run([loader, "--list-tunables"], capture_output=True, text=True,
                                     timeout=10, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        tunables = {name: int(value, 0) for name, value in _TUNABLE.findall(listing)}
        if tunables:
            return tunables
    return {}


def nontemporal_threshold() -> int | None:
    """glibc's ``x86_non_temporal_threshold`` in bytes (``glibc_tunables``), or None where there is none.

    ``memcpy`` of at least this many bytes uses non-temporal stores.
    """
    return glibc_tunables().get("x86_non_temporal_threshold")


def rep_movsb_copies(n_bytes: int, *, cpuinfo: str = "/proc/cpuinfo") -> bool:
    """Whether glibc's ``memcpy`` of n_bytes uses ``rep movsb`` once its non-temporal threshold is
    moved to the maximum (as ``memcpy_seconds(nontemporal=False)`` does).

    True where that is known: an Intel processor (``GenuineIntel``) with the ``erms`` flag in
    ``cpuinfo`` and n_bytes >= glibc's ``x86_rep_movsb_threshold`` (on Intel, glibc stops using
    ``rep movsb`` only at the non-temporal threshold). False elsewhere (on AMD glibc stops at the
    size of L2; other vendors are not checked), and where any of it is missing.
    """
    n_bytes = integer(n_bytes, "n_bytes", 1)
    if not isinstance(cpuinfo, str):
        raise TypeError(f"cpuinfo must be a str (a path), got {type(cpuinfo).__name__}")
    try:
        with open(cpuinfo) as f:
            text = f.read()
    except OSError:
        return False
    vendor = re.search(r"^vendor_id\s*:\s*(\S+)", text, re.MULTILINE)
    flags = re.search(r"^flags\s*:(.*)$", text, re.MULTILINE)
    if vendor is None or vendor.group(1) != "GenuineIntel" or flags is None or "erms" not in flags.group(1).split():
        return False
    threshold = glibc_tunables().get("x86_rep_movsb_threshold")
    return threshold is not None and n_bytes >= threshold


def power_of_two_elements(total_bytes: float, *, arrays: int = 2, itemsize: int = 4,
                          at_least: bool = False) -> int:
    """The power of two n whose ``arrays`` arrays of n items of ``itemsize`` bytes take at most
    (or, with ``at_least``, at least) ``total_bytes``: n = 2^floor(log2(total / (arrays * itemsize)))."""
    total_bytes = positive_number(total_bytes, "total_bytes")
    arrays, itemsize = integer(arrays, "arrays", 1), integer(itemsize, "itemsize", 1)
    per_array = total_bytes / (arrays * itemsize)
    n = 1
    while 2 * n <= per_array:
        n *= 2
    if at_least and n < per_array:
        n *= 2
    return n


_COPY = """
import sys, time
import numpy as np
n, repeats = int(sys.argv[1]), int(sys.argv[2])
x, out = np.ones(n, np.float32), np.ones(n, np.float32)  # both touched: no page faults later
np.copyto(out, x)  # warm-up
for _ in range(repeats):
    start = time.thread_time()  # the time this thread ran: not the time others had the core
    np.copyto(out, x)
    print(time.thread_time() - start)
"""
NONTEMPORAL_ALWAYS, NONTEMPORAL_NEVER = 0x10000, 0xFFFFFFFFFFFFFFF  # bytes: 64 KiB, glibc's maximum


def copy_tunables(*, nontemporal: bool, rep_movsb: bool = True) -> str:
    """The ``GLIBC_TUNABLES`` value for a copy with non-temporal stores from 64 KiB on
    (``nontemporal``) or never; without ``rep_movsb``, ``x86_rep_movsb_threshold`` is raised to
    glibc's maximum too, so that ``memcpy`` never uses ``rep movsb``."""
    for name, value in (("nontemporal", nontemporal), ("rep_movsb", rep_movsb)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    threshold = NONTEMPORAL_ALWAYS if nontemporal else NONTEMPORAL_NEVER
    tunables = f"glibc.cpu.x86_non_temporal_threshold={threshold:#x}"
    if not rep_movsb:
        tunables += f":glibc.cpu.x86_rep_movsb_threshold={NONTEMPORAL_NEVER:#x}"
    return tunables


def memcpy_seconds(n: int, *, nontemporal: bool, rep_movsb: bool = True, repeats: int = 3) -> list[float]:
    """Times (s, by ``time.thread_time``) of ``np.copyto`` between two float32 arrays of n elements, in a new Python
    process whose glibc ``memcpy`` uses non-temporal stores from 64 KiB on (``nontemporal``)
    or never, and, without ``rep_movsb``, never ``rep movsb`` (``copy_tunables``). Only where
    glibc on x86-64 has the tunable (``nontemporal_threshold()``)."""
    n, repeats = integer(n, "n", 1), integer(repeats, "repeats", 1)
    tunables = copy_tunables(nontemporal=nontemporal, rep_movsb=rep_movsb)
    if nontemporal_threshold() is None:
        raise RuntimeError("memcpy_seconds needs glibc on x86-64 (glibc.cpu.x86_non_temporal_threshold)")
    env = {**os.environ, "GLIBC_TUNABLES": tunables}
    result = subprocess.run([sys.executable, "-c", _COPY, str(n), str(repeats)], env=env,
                            capture_output=True, text=True, check=True, timeout=300)
    return [float(line) for line in result.stdout.split()]
