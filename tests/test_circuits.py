"""nonlin.circuits: diodes and rectifiers checked against closed forms and the datasheet."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy import integrate, optimize

from nonlin import circuits
from nonlin.activations import relu

T = np.linspace(0, 1, 200_000, endpoint=False)  # one period of a 1 Hz source, uniformly sampled
SINE = np.sin(2 * np.pi * T)


def test_thermal_voltage_from_the_si_constants():
    assert circuits.thermal_voltage(300.0) == pytest.approx(0.025852, abs=1e-6)
    assert circuits.thermal_voltage(600.0) == pytest.approx(2 * circuits.thermal_voltage(300.0))


@pytest.mark.parametrize("temperature", [0.0, -5.0, float("nan"), float("inf")])
def test_thermal_voltage_needs_a_positive_temperature(temperature):
    with pytest.raises(ValueError, match="temperature must be a positive finite number"):
        circuits.thermal_voltage(temperature)


def test_shockley_without_series_resistance_is_the_exponential_law():
    v = np.linspace(-1, 0.8, 50)
    vt = circuits.thermal_voltage(300.0)
    expected = 1e-12 * np.expm1(v / (1.5 * vt))
    np.testing.assert_allclose(circuits.shockley_current(v, 1e-12, 1.5), expected, rtol=1e-12)
    assert circuits.shockley_current(-50.0, 1e-12) == pytest.approx(-1e-12)


def test_shockley_with_series_resistance_satisfies_the_implicit_equation():
    d = circuits.D1N4148
    v = np.linspace(-2, 30, 400)  # up to currents where the resistance dominates
    i = circuits.shockley_current(v, d.saturation_current, d.ideality, d.nominal_temperature, d.series_resistance)
    nvt = d.ideality * circuits.thermal_voltage(d.nominal_temperature)
    residual = d.saturation_current * np.expm1((v - i * d.series_resistance) / nvt) - i
    assert np.all(np.abs(residual) <= 1e-9 * np.maximum(1e-9, np.abs(i)))
    np.testing.assert_allclose(d.voltage(i[v > 0.3]), v[v > 0.3], rtol=1e-9)  # voltage inverts current
    assert np.all(np.diff(i) >= 0) and np.all(np.diff(i[v > 0]) > 0)


def _datasheet_breakdown_voltage(diode):
    """V(BR) as the datasheet measures it: the reverse voltage at which 100 uA flows."""
    return -optimize.brentq(lambda v: -diode.current(v) - 100e-6, -10 * diode.breakdown_voltage, 0.0, xtol=1e-12)


def test_the_1n4148_model_meets_its_datasheet():
    d = circuits.D1N4148
    assert d.voltage(10e-3) <= 1.0  # V_F at 10 mA: at most 1 V
    assert -d.current(-20.0) <= 25e-9  # reverse current at 20 V: at most 25 nA
    assert -d.current(-75.0) <= 5e-6  # reverse current at 75 V: at most 5 uA
    assert 100.0 <= _datasheet_breakdown_voltage(d) < 100.01  # V(BR) >= 100 V at 100 uA, just


def test_the_datasheet_breakdown_check_rejects_a_50_volt_diode():
    weak = dataclasses.replace(circuits.D1N4148, breakdown_voltage=50.0)
    assert _datasheet_breakdown_voltage(weak) < 100.0
    assert -weak.current(-100.0) > 100e-6  # far past 100 uA at the datasheet's 100 V


def _ngspice_knee(d, temperature):
    """DIOtBrkdwnV as ngspice's diotemp.c computes it, its stopping rule included."""
    i_s, vt = d.saturation_current_at(temperature), circuits.thermal_voltage(temperature)
    nbv_vt = d.ideality * vt  # NBV defaults to N
    cbv, bv = d.breakdown_current, d.breakdown_voltage
    if cbv < i_s * bv / vt:  # no match below BV: the knee at BV (raising IBV is TRACE-only)
        return bv
    xbv = bv - nbv_vt * math.log(1 + cbv / i_s)
    for _ in range(25):
        xbv = bv - nbv_vt * math.log(cbv / i_s + 1 - xbv / vt)
        xcbv = i_s * (math.exp((bv - xbv) / nbv_vt) - 1 + xbv / vt)
        if abs(xcbv - cbv) <= 1e-3 * cbv:
            return xbv
    raise AssertionError("ngspice's iteration did not match")


# ngspice-39 (Debian's package), operating points of the ngspice manual's line
#   .model 1n4148 D (is=2.495e-09 rs=4.755e-01 n=1.679e+00 tt=3.030e-09 cjo=1.700e-12 vj=1
#   + m=1.959e-01 bv=1.000e+02 ibv=1.000e-04)
# across a voltage source, with .options reltol=1e-6 abstol=1e-16 vntol=1e-12 gmin=1e-18 (GMIN,
# which the model leaves out, made negligible), printed with numdgt=12: {(degrees C, V): A}.
NGSPICE_39_DC = {
    (27, -101.0): -1.23349064121, (27, -100.5): -0.308529203781, (27, -100.0): -9.03108523005e-05,
    (27, -5.0): -2.49499620963e-09, (27, 0.2): 2.470639292596e-07, (27, 0.4): 2.495260825086e-05,
    (27, 0.6): 2.431198238523e-03, (27, 0.8): 9.160099261154e-02, (27, 1.0): 3.818339656400e-01,
    (37, -5.0): -6.03131411481e-09, (37, 0.4): 4.481038931770e-05, (37, 0.8): 1.071252493132e-01,
    (17, -5.0): -9.73185976250e-10, (17, 0.4): 1.337128415579e-05, (17, 0.6): 1.540736294153e-03,
}


@pytest.mark.parametrize(("celsius", "volts"), sorted(NGSPICE_39_DC))
def test_the_1n4148_model_reproduces_ngspice(celsius, volts):
    got = float(circuits.D1N4148.current(volts, 273.15 + celsius))
    # ngspice-39 has the CODATA 2014 k and q: its k/q is 3.4e-7 smaller, which raises a forward
    # current by 3.4e-7 V_j / (N V_T) less R_S's feedback, at most 5e-6 at these points; the
    # reverse currents differ by its solver's tolerance (< 1e-6).
    assert got == pytest.approx(NGSPICE_39_DC[celsius, volts], rel=1e-5)


@pytest.mark.parametrize("temperature", [None, 250.0, 350.0])
def test_breakdown_knee_is_ngspices(temperature):
    d = circuits.D1N4148
    t = d.temperature(temperature)
    assert d.breakdown_knee(temperature) == pytest.approx(_ngspice_knee(d, t), abs=1e-6)  # ngspice stops early
    i_s, vt, xbv = d.saturation_current_at(t), circuits.thermal_voltage(t), d.breakdown_knee(temperature)
    if i_s * d.breakdown_voltage / vt > d.breakdown_current:  # hot: IS too large, ngspice's guard
        assert xbv == d.breakdown_voltage
    else:  # at -BV the breakdown exponential carries IBV plus ngspice's matching terms exactly
        at_bv = i_s * math.exp((d.breakdown_voltage - xbv) / (d.ideality * vt))
        assert at_bv == pytest.approx(d.breakdown_current + i_s - i_s * xbv / vt, rel=1e-12)


def _ngspice_junction(vd, d, t):
    """ngspice's dioload.c, level 1, without GMIN, for one junction voltage."""
    i_s, vte, xbv = d.saturation_current_at(t), d.ideality * circuits.thermal_voltage(t), _ngspice_knee(d, t)
    if vd >= -3 * vte:
        return i_s * (math.exp(vd / vte) - 1)
    if vd >= -xbv:
        return -i_s * (1 + (3 * vte / (vd * math.e)) ** 3)
    return -i_s * math.exp(-(xbv + vd) / vte)


@pytest.mark.parametrize("load", [0.0, 1000.0])
def test_diode_current_solves_the_loop_with_rs_in_series_with_every_branch(load):
    d = circuits.D1N4148
    t = d.nominal_temperature
    r = d.series_resistance + load
    for v in [-120.0, -101.0, -100.5, -100.0, -99.8, -99.0, -20.0, -0.5, -0.12, -0.05, 0.0, 0.3, 0.665, 2.0, 30.0]:
        # The junction voltage lies between 0 and v; 1.5 V past the knee, or forward, |I| > 1e6 A.
        low, high = (0.0, min(v, 1.5)) if v >= 0 else (max(v, -_ngspice_knee(d, t) - 1.5), 0.0)
        vd = optimize.brentq(lambda x: x + r * _ngspice_junction(x, d, t) - v, low, high, xtol=1e-14, rtol=1e-15)
        expected = _ngspice_junction(vd, d, t)
        # the knee differs from ngspice's stopping point by < 1e-6 V; exp(1e-6 / N V_T) - 1 < 3e-5
        tolerance = 3e-5 if vd < -_ngspice_knee(d, t) else 1e-12
        assert float(d.current(v, load_resistance=load)) == pytest.approx(expected, rel=tolerance), v


def test_junction_current_is_continuous_where_its_pieces_meet():
    d = circuits.D1N4148
    nvt = d.ideality * circuits.thermal_voltage(d.nominal_temperature)
    for edge in (-3 * nvt, -d.breakdown_knee()):
        below, above = d.junction_current([edge * (1 + 1e-12), edge * (1 - 1e-12)])
        assert below == pytest.approx(above, rel=1e-9)


def test_reverse_branch_is_flat_at_minus_is_not_a_resistor():
    d = circuits.D1N4148
    i = d.current(np.linspace(-99.0, -5.0, 95))
    assert np.all(np.abs(i / d.saturation_current + 1) < 1e-6)  # a leak of 1 GOhm would add 40 I_S


def test_current_through_a_diode_and_its_series_resistance_is_monotone_and_breaks_down_through_rs():
    d = circuits.D1N4148
    v = np.linspace(-105, 5, 11001)
    i = d.current(v)
    assert np.all(np.diff(i) >= 0) and np.all(np.diff(i[v > -0.2]) > 0)
    # far into breakdown the series resistance limits the current: slope -> 1 / RS
    slope = (d.current(-110.0) - d.current(-111.0)) / 1.0
    assert -slope == pytest.approx(-1 / d.series_resistance, rel=0.1)


def test_saturation_current_grows_with_temperature_and_forward_voltage_falls():
    d = circuits.D1N4148
    t0 = d.nominal_temperature
    assert t0 == 300.15 and d.saturation_current_at() == d.saturation_current  # SPICE's TNOM, 27 C
    assert 2.4 < d.saturation_current_at(t0 + 10) / d.saturation_current < 2.45  # about 2.4-fold per 10 K
    slope = (d.voltage(10e-3, t0 + 1e-3) - d.voltage(10e-3, t0 - 1e-3)) / 2e-3
    # d V / d T at constant current, from SPICE's law: (V_j - XTI V_T - EG) / T
    v_j = d.voltage(10e-3) - 10e-3 * d.series_resistance
    expected = (v_j - d.saturation_exponent * circuits.thermal_voltage(t0) - d.band_gap) / t0
    assert slope == pytest.approx(expected, rel=1e-6)
    with pytest.raises(ValueError, match="temperature must be a positive"):
        d.saturation_current_at(-1.0)


def test_piecewise_linear_diode_is_a_shifted_scaled_relu():
    v = np.linspace(-2, 2, 41)
    np.testing.assert_allclose(circuits.piecewise_linear_current(v, 0.7, 5.0), relu(v - 0.7) / 5.0)


def test_half_wave_is_relu_with_dc_level_a_over_pi_and_known_ripple_factor():
    a = 3.0
    out = circuits.half_wave(a * SINE)
    np.testing.assert_array_equal(out, relu(a * SINE))
    assert circuits.dc_level(out) == pytest.approx(a / math.pi, rel=1e-9)
    assert circuits.ripple_factor(out) == pytest.approx(math.sqrt(math.pi**2 / 4 - 1), rel=1e-6)
    assert circuits.ripple(out) == pytest.approx(a)


def test_bridge_is_the_absolute_value_with_dc_level_2a_over_pi():
    a = 3.0
    out = circuits.full_wave_bridge(a * SINE)
    np.testing.assert_array_equal(out, relu(a * SINE) + relu(-a * SINE))
    assert circuits.dc_level(out) == pytest.approx(2 * a / math.pi, rel=1e-9)
    assert circuits.ripple_factor(out) == pytest.approx(math.sqrt(math.pi**2 / 8 - 1), rel=1e-6)


@pytest.mark.parametrize("amplitude", [1.5, 3.0, 10.0])
def test_bridge_with_forward_drops_matches_its_closed_form(amplitude):
    drop = 0.65
    out = circuits.full_wave_bridge(amplitude * SINE, forward_drop=drop)
    v = 2 * drop
    expected = 2 / math.pi * (math.sqrt(amplitude**2 - v**2) - v * math.acos(v / amplitude))
    assert circuits.dc_level(out) == pytest.approx(expected, rel=1e-6)
    assert circuits.dc_level(circuits.full_wave_bridge(1.2 * SINE, drop)) == 0.0  # below 2 V_F


@pytest.mark.parametrize("phases", [1, 2, 3, 4, 6, 12])
def test_polyphase_dc_levels_and_ripple_match_their_formulas(phases):
    star = circuits.star_rectifier(T, phases, 2.0)
    assert circuits.dc_level(star) == pytest.approx(circuits.star_dc_level(phases, 2.0), rel=1e-6)
    assert circuits.ripple(star) == pytest.approx(circuits.star_ripple(phases, 2.0), rel=1e-6)
    summed = circuits.summed_half_waves(T, phases, 2.0)
    assert circuits.dc_level(summed) == pytest.approx(circuits.summed_dc_level(phases, 2.0), rel=1e-6)


@pytest.mark.parametrize("phases", range(1, 13))
def test_summed_half_waves_ripple_matches_its_closed_form(phases):
    simulated = circuits.ripple(circuits.summed_half_waves(T, phases, 2.0))
    # 200 000 samples of one period: the sampled extremes are within ~1e-9 of the true ones
    assert simulated == pytest.approx(circuits.summed_ripple(phases, 2.0), rel=1e-9)


def test_summed_ripple_falls_like_one_over_m_and_odd_m_beats_m_plus_one():
    assert 96 * circuits.summed_ripple(96) == pytest.approx(math.pi / 2, rel=1e-4)  # m tan(pi / 2m) -> pi / 2
    assert 97 * circuits.summed_ripple(97) == pytest.approx(math.pi / 8, rel=1e-4)  # (m / 2) tan(pi / 4m) -> pi / 8
    assert all(circuits.summed_ripple(m) < circuits.summed_ripple(m + 1) for m in range(3, 40, 2))


def test_star_rectifier_special_cases():
    np.testing.assert_allclose(circuits.star_rectifier(T, 1), relu(SINE), atol=1e-15)  # half wave
    np.testing.assert_allclose(circuits.star_rectifier(T, 2), np.abs(SINE), atol=1e-12)  # full wave
    assert circuits.star_dc_level(3) == pytest.approx(3 * math.sqrt(3) / (2 * math.pi))
    assert circuits.star_dc_level(6) == pytest.approx(3 / math.pi)


@pytest.mark.parametrize("full_wave", [True, False])
@pytest.mark.parametrize("capacitance", [22e-6, 220e-6, 2200e-6])
def test_rc_smoothing_matches_the_exact_ideal_diode_ripple(capacitance, full_wave):
    f, a, r_load = 50.0, 10.0, 1000.0
    periods = 30
    t = np.linspace(0, periods / f, periods * 4000 + 1)
    source = a * np.sin(2 * np.pi * f * t)
    u = circuits.full_wave_bridge(source) if full_wave else circuits.half_wave(source)
    v = circuits.rc_smoothing(t, u, capacitance, r_load, on_resistance=1e-3)
    simulated = circuits.ripple(v[t >= (periods - 1) / f])  # the last period: steady state
    exact = circuits.ideal_diode_ripple(a, f, capacitance, r_load, full_wave=full_wave)
    assert simulated == pytest.approx(exact, rel=0.01)


@pytest.mark.parametrize("full_wave", [True, False])
def test_the_i_over_fc_rule_overestimates_but_converges(full_wave):
    f, a, r_load = 50.0, 10.0, 1000.0
    pulses = 2 if full_wave else 1
    ratios = []
    for c in (100e-6, 1000e-6, 10_000e-6, 100_000e-6):
        exact = circuits.ideal_diode_ripple(a, f, c, r_load, full_wave=full_wave)
        rule = (a / r_load) / (pulses * f * c)  # Delta V = I / (f_ripple C), with I at the peak
        ratios.append(exact / rule)
    assert all(r < 1 for r in ratios) and ratios == sorted(ratios) and ratios[-1] > 0.98


def test_rc_smoothing_without_a_capacitor_effect_follows_the_source():
    t = np.linspace(0, 1, 20001)
    u = circuits.full_wave_bridge(np.sin(2 * np.pi * t))
    v = circuits.rc_smoothing(t, u, 1e-9, 1000.0, on_resistance=1e-3)  # tiny C: no smoothing
    np.testing.assert_allclose(v, u * 1000 / 1000.001, atol=1e-3)


def _four_diode_bridge(source, load, d):
    """Load voltage of the bridge from Kirchhoff's current law at its two output nodes, with
    all four diodes modelled (the blocking pair leaks). The source sits between W (at
    ``source``) and E (at 0); D1 runs W -> top, D2 E -> top, D3 bottom -> W, D4 bottom -> E.
    For a trial load current the top node is where D1 and D2 deliver it and the bottom node
    where D3 and D4 take it; the load current is then the one Ohm's law agrees with."""
    def diode(v):
        return float(d.current(v))

    span = abs(source) + 2.0

    def nodes(load_current):
        top = optimize.brentq(lambda x: diode(source - x) + diode(-x) - load_current, -span, span, xtol=1e-15)
        bottom = optimize.brentq(lambda x: diode(x - source) + diode(x) - load_current, -span, span, xtol=1e-15)
        return top, bottom

    def mismatch(load_current):
        top, bottom = nodes(load_current)
        return (top - bottom) / load - load_current

    current = optimize.brentq(mismatch, 0.0, abs(source) / load, xtol=1e-18, rtol=1e-15)
    top, bottom = nodes(current)
    return top - bottom


@pytest.mark.parametrize("load", [100.0, 10_000.0])
@pytest.mark.parametrize("source", [-5.0, -1.0, 0.3, 1.0, 5.0])
def test_bridge_of_model_diodes_matches_a_four_diode_circuit_solution(source, load):
    d = circuits.D1N4148
    expected = _four_diode_bridge(source, load, d)
    got = float(circuits.bridge_output(source, d, load))
    # the closed form neglects the blocking pair's leakage, I_S per diode, through the load
    assert got == pytest.approx(expected, rel=1e-9, abs=2 * d.saturation_current * load)


def test_bridge_of_model_diodes_loses_more_into_a_heavier_load():
    d = circuits.D1N4148
    sine = 5.0 * SINE
    losses = [1 - circuits.dc_level(circuits.bridge_output(sine, d, r)) / (10 / math.pi) for r in (100, 1e3, 1e4)]
    assert losses == sorted(losses, reverse=True)
    assert circuits.dc_level(circuits.bridge_output(SINE, d, 1e4)) > 0.05  # 1 V still gets through


def test_bridge_smoothing_with_model_diodes_matches_a_stiff_ode_solver():
    d = circuits.D1N4148
    a, f, r_load, c = 12.0, 50.0, 100.0, 2.4e-3
    t = np.linspace(0, 3 / f, 3 * 4000 + 1)
    v, i = circuits.bridge_smoothing(t, a * np.sin(2 * np.pi * f * t), c, r_load, d)

    def pair(x):
        return float(circuits.shockley_current(x, d.saturation_current, 2 * d.ideality, d.nominal_temperature,
                                               2 * d.series_resistance))

    def rhs(time, y):
        s = a * math.sin(2 * math.pi * f * time)
        return [(pair(s - y[0]) + pair(-s - y[0]) - y[0] / r_load) / c]

    reference = integrate.solve_ivp(rhs, (0, 3 / f), [0.0], method="Radau", rtol=1e-9, atol=1e-12,
                                    max_step=1 / (f * 400), dense_output=True)
    last = t >= 2 / f
    v_ref = reference.sol(t[last])[0]
    s = a * np.sin(2 * np.pi * f * t[last])
    i_ref = np.maximum([pair(x) for x in s - v_ref], [pair(x) for x in -s - v_ref])
    assert np.abs(v[last] - v_ref).max() < 2e-3  # backward Euler's first-order error at 4000 steps
    assert i[last].max() == pytest.approx(i_ref.max(), rel=2e-3)


@pytest.mark.parametrize("full_wave", [True, False])
def test_ideal_diode_peak_current_matches_the_simulated_charging_pulse(full_wave):
    f, a, r_load, c = 50.0, 12.0, 100.0, 2.4e-3
    periods = 12
    t = np.linspace(0, periods / f, periods * 20000 + 1)
    source = a * np.sin(2 * np.pi * f * t)
    u = circuits.full_wave_bridge(source) if full_wave else circuits.half_wave(source)
    r_on = 1e-4
    v = circuits.rc_smoothing(t, u, c, r_load, on_resistance=r_on)
    last = t >= (periods - 1) / f
    simulated = (np.maximum(u - v, 0) / r_on)[last].max()
    exact = circuits.ideal_diode_peak_current(a, f, c, r_load, full_wave=full_wave)
    assert simulated == pytest.approx(exact, rel=0.02)


def test_three_phase_bridge_is_a_six_phase_star_of_the_line_voltages():
    a = 2.0
    bridge = circuits.three_phase_bridge(T, a)
    star = circuits.star_rectifier(T + 1 / 12, 6, math.sqrt(3) * a)  # line voltages lead by 30 degrees
    np.testing.assert_allclose(bridge, star, rtol=0, atol=1e-14)
    assert circuits.dc_level(bridge) == pytest.approx(3 * math.sqrt(3) * a / math.pi, rel=1e-9)


@pytest.mark.parametrize("call", [
    lambda: circuits.bridge_output([1.0], "1N4148", 100.0),
    lambda: circuits.bridge_smoothing([0, 1], [0, 1], 1e-6, 1.0, None),
])
def test_rectifiers_with_model_diodes_need_a_diode_model(call):
    with pytest.raises(TypeError, match="diode must be a DiodeModel"):
        call()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: circuits.rc_smoothing([0, 1], [0, 1], -1e-6, 100.0), "capacitance must be a positive"),
        (lambda: circuits.rc_smoothing([0, 1], [0, 1], 1e-6, 0.0), "load_resistance must be a positive"),
        (lambda: circuits.rc_smoothing([0, 1], [0, 1], 1e-6, 1.0, -1.0), "on_resistance must be a positive"),
        (lambda: circuits.rc_smoothing([0, 0], [0, 1], 1e-6, 1.0), "t must be strictly increasing"),
        (lambda: circuits.rc_smoothing([0, 1, 2], [0, 1], 1e-6, 1.0), "rectified has shape"),
        (lambda: circuits.rc_smoothing([0], [0], 1e-6, 1.0), "t must be a 1-d array of at least 2 points"),
        (lambda: circuits.star_rectifier(T, 3, frequency=0.0), "frequency must be a positive"),
        (lambda: circuits.star_rectifier(T, 3, frequency=-50.0), "frequency must be a positive"),
        (lambda: circuits.star_rectifier(T, 0), "phases must be an integer >= 1"),
        (lambda: circuits.summed_ripple(0), "phases must be an integer >= 1"),
        (lambda: circuits.summed_ripple(3, amplitude=-1.0), "amplitude must be a non-negative"),
        (lambda: circuits.dc_level([]), "waveform must be a non-empty 1-d array"),
        (lambda: circuits.ripple(np.ones((2, 2))), "waveform must be a non-empty 1-d array"),
        (lambda: circuits.ripple_factor(np.zeros(5)), "no DC level"),
        (lambda: circuits.half_wave([1.0], forward_drop=-0.7), "forward_drop must be a non-negative"),
        (lambda: circuits.shockley_current(0.1, 0.0), "saturation_current must be a positive"),
        (lambda: circuits.shockley_current(0.1, 1e-12, temperature=-300), "temperature must be a positive"),
        (lambda: circuits.shockley_current(0.1, 1e-12, series_resistance=-1), "series_resistance must be"),
        (lambda: circuits.D1N4148.voltage(-1e-12), "current must be >= 0"),
        (lambda: circuits.D1N4148.current(1.0, load_resistance=-1.0), "load_resistance must be"),
        (lambda: circuits.D1N4148.current(1.0, temperature=0.0), "temperature must be a positive"),
        (lambda: circuits.bridge_output([1.0], circuits.D1N4148, 0.0), "load_resistance must be a positive"),
        (lambda: circuits.bridge_smoothing([0, 1], [0, 1, 2], 1e-6, 1.0, circuits.D1N4148), "source has shape"),
        (lambda: circuits.ideal_diode_peak_current(10, 50, 1e-6, -1.0), "load_resistance must be a positive"),
        (lambda: circuits.DiodeModel("x", 1e-9, 1.0, -0.5, 100, 1e-4), "series_resistance must be"),
        (lambda: circuits.piecewise_linear_current([0.0], on_resistance=0), "on_resistance must be a positive"),
        (lambda: circuits.ideal_diode_ripple(10, 50, 0.0, 1000), "capacitance must be a positive"),
        (lambda: circuits.ideal_diode_ripple(10, 0, 1e-6, 1000), "frequency must be a positive"),
    ],
)
def test_physical_arguments_are_checked(call, message):
    with pytest.raises(ValueError, match=message):
        call()
