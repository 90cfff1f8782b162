"""nonlin.caches: sysfs sizes, glibc's threshold, sizes from caches, the copy both ways."""

from __future__ import annotations

import itertools

import pytest

from nonlin import caches


@pytest.mark.parametrize(("text", "expected"), [("48K", 48 * 1024), ("2048K", 2 * 2**20),
                                                ("300M", 300 * 2**20), ("1G", 2**30), ("512", 512)])
def test_parse_size_reads_sysfs_sizes(text, expected):
    assert caches.parse_size(text + "\n") == expected


def test_parse_size_refuses_what_is_not_a_size():
    with pytest.raises(ValueError, match="text must be a size such as '48K', got '4KB'"):
        caches.parse_size("4KB")
    with pytest.raises(TypeError, match="text must be a str, got int"):
        caches.parse_size(48)


def test_cache_sizes_reads_data_and_unified_caches_from_a_sysfs_tree(tmp_path):
    for index, (level, kind, size) in enumerate([(1, "Data", "48K"), (1, "Instruction", "32K"),
                                                 (2, "Unified", "2048K"), (3, "Unified", "300M")]):
        folder = tmp_path / f"index{index}"
        folder.mkdir()
        (folder / "level").write_text(f"{level}\n")
        (folder / "type").write_text(f"{kind}\n")
        (folder / "size").write_text(f"{size}\n")
    assert caches.cache_sizes(str(tmp_path)) == {"L1": 48 * 1024, "L2": 2 * 2**20, "L3": 300 * 2**20}


def test_cache_sizes_of_this_machine_grow_with_the_level():
    sizes = list(caches.cache_sizes().values())
    assert sizes == sorted(sizes)


@pytest.mark.parametrize(("total", "at_least", "expected"), [
    (2 * 2**20 / 4, False, 2**16),   # a quarter of a 2 MiB L2, two float32 arrays
    (1.5 * 300 * 2**20, True, 2**26),  # 1.5 times a 300 MiB L3: 2^26 * 8 bytes = 512 MiB
    (1.5 * 300 * 2**20, False, 2**25),
    (8 * 2**10, True, 2**10), (8 * 2**10, False, 2**10),  # exact: no rounding either way
])
def test_power_of_two_elements(total, at_least, expected):
    n = caches.power_of_two_elements(total, at_least=at_least)
    assert n == expected
    assert (8 * n >= total) if at_least else (8 * n <= total < 16 * n)


def test_power_of_two_elements_refuses_bad_input():
    with pytest.raises(ValueError, match="total_bytes must be a positive finite number"):
        caches.power_of_two_elements(0)
    with pytest.raises(ValueError, match="arrays must be an integer >= 1"):
        caches.power_of_two_elements(1024, arrays=0)


def test_nontemporal_threshold_follows_glibc_tunables(monkeypatch):
    if caches.nontemporal_threshold() is None:
        pytest.skip("not glibc on x86-64")
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.cpu.x86_non_temporal_threshold=0x100000")
    assert caches.nontemporal_threshold() == 2**20


def test_glibc_tunables_reads_the_thresholds_as_numbers():
    tunables = caches.glibc_tunables()
    if not tunables:
        pytest.skip("not glibc on x86-64")
    assert tunables["x86_non_temporal_threshold"] == caches.nontemporal_threshold() > 0
    assert 0 < tunables["x86_rep_movsb_threshold"] < tunables["x86_non_temporal_threshold"]


def _cpuinfo(tmp_path, vendor, flags):
    path = tmp_path / "cpuinfo"
    path.write_text(f"processor\t: 0\nvendor_id\t: {vendor}\nflags\t\t: {flags}\n\n")
    return str(path)


def test_rep_movsb_copies_needs_intel_erms_and_the_threshold(tmp_path):
    threshold = caches.glibc_tunables().get("x86_rep_movsb_threshold")
    if threshold is None:
        assert not caches.rep_movsb_copies(2**30, cpuinfo=_cpuinfo(tmp_path, "GenuineIntel", "sse2 erms fsrm"))
        return
    intel = _cpuinfo(tmp_path, "GenuineIntel", "sse2 erms fsrm")
    assert caches.rep_movsb_copies(threshold, cpuinfo=intel)
    assert not caches.rep_movsb_copies(threshold - 1, cpuinfo=intel)  # below: vector stores
    assert not caches.rep_movsb_copies(2**30, cpuinfo=_cpuinfo(tmp_path, "AuthenticAMD", "sse2 erms fsrm"))
    assert not caches.rep_movsb_copies(2**30, cpuinfo=_cpuinfo(tmp_path, "GenuineIntel", "sse2 fsrm"))
    assert not caches.rep_movsb_copies(2**30, cpuinfo=str(tmp_path / "missing"))


def test_rep_movsb_copies_refuses_bad_input():
    with pytest.raises(ValueError, match="n_bytes must be an integer >= 1"):
        caches.rep_movsb_copies(0)
    with pytest.raises(TypeError, match="cpuinfo must be a str"):
        caches.rep_movsb_copies(1024, cpuinfo=3)


def test_memcpy_seconds_times_the_copy_both_ways():
    if caches.nontemporal_threshold() is None:
        with pytest.raises(RuntimeError, match="needs glibc on x86-64"):
            caches.memcpy_seconds(1000, nontemporal=True)
        return
    for nontemporal in (False, True):
        times = caches.memcpy_seconds(100_000, nontemporal=nontemporal, repeats=2)
        assert len(times) == 2 and all(t >= 0 for t in times)
    times = caches.memcpy_seconds(100_000, nontemporal=False, rep_movsb=False, repeats=2)
    assert len(times) == 2 and all(t >= 0 for t in times)
    with pytest.raises(TypeError, match="nontemporal must be True or False, got int"):
        caches.memcpy_seconds(1000, nontemporal=1)
    with pytest.raises(TypeError, match="rep_movsb must be True or False, got str"):
        caches.memcpy_seconds(1000, nontemporal=False, rep_movsb="no")
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        caches.memcpy_seconds(0, nontemporal=True)


def test_copy_tunables_are_what_glibc_reads(monkeypatch):
    # the independent check: glibc's own loader lists the tunables it parsed from the string
    if caches.nontemporal_threshold() is None:
        pytest.skip("no glibc tunables on this platform")
    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    default = caches.glibc_tunables()
    for nontemporal, rep_movsb in itertools.product((False, True), repeat=2):
        monkeypatch.setenv("GLIBC_TUNABLES", caches.copy_tunables(nontemporal=nontemporal, rep_movsb=rep_movsb))
        read = caches.glibc_tunables()
        threshold = caches.NONTEMPORAL_ALWAYS if nontemporal else caches.NONTEMPORAL_NEVER
        assert read["x86_non_temporal_threshold"] == threshold
        movsb = default["x86_rep_movsb_threshold"] if rep_movsb else caches.NONTEMPORAL_NEVER
        assert read["x86_rep_movsb_threshold"] == movsb
    with pytest.raises(TypeError, match="rep_movsb must be True or False, got int"):
        caches.copy_tunables(nontemporal=True, rep_movsb=0)
