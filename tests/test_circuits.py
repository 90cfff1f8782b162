"""nonlin.circuits: diodes and rectifiers checked against closed forms and the datasheet."""

from __future__ import annotations

import math

import numpy as np
import pytest

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
    i = circuits.shockley_current(v, d.saturation_current, d.ideality, 300.0, d.series_resistance)
    nvt = d.ideality * circuits.thermal_voltage(300.0)
    residual = d.saturation_current * np.expm1((v - i * d.series_resistance) / nvt) - i
    assert np.all(np.abs(residual) <= 1e-9 * np.maximum(1e-9, np.abs(i)))
    np.testing.assert_allclose(d.voltage(i[v > 0.3]), v[v > 0.3], rtol=1e-9)  # voltage inverts current
    assert np.all(np.diff(i) >= 0) and np.all(np.diff(i[v > 0]) > 0)


def test_the_1n4148_model_meets_its_datasheet():
    d = circuits.D1N4148
    assert d.voltage(10e-3) < 1.0  # V_F at 10 mA: at most 1 V
    assert abs(d.current(-20.0)) < 25e-9  # reverse current at 20 V: at most 25 nA
    assert d.current(-100.0) == pytest.approx(-d.breakdown_current, rel=0.01)  # IBV at -BV
    assert d.current(-101.0) < -1e-3  # and it grows quickly beyond


def test_saturation_current_grows_with_temperature_and_forward_voltage_falls():
    d = circuits.D1N4148
    assert d.saturation_current_at(300.0) == d.saturation_current
    assert 1.5 < d.saturation_current_at(310.0) / d.saturation_current < 2.5  # about doubles per 10 K
    slope = (d.voltage(10e-3, 310.0) - d.voltage(10e-3, 290.0)) / 20.0
    assert -3e-3 < slope < -1e-3  # the familiar -2 mV/K of a silicon junction
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
        (lambda: circuits.dc_level([]), "waveform must be a non-empty 1-d array"),
        (lambda: circuits.ripple(np.ones((2, 2))), "waveform must be a non-empty 1-d array"),
        (lambda: circuits.ripple_factor(np.zeros(5)), "no DC level"),
        (lambda: circuits.half_wave([1.0], forward_drop=-0.7), "forward_drop must be a non-negative"),
        (lambda: circuits.shockley_current(0.1, 0.0), "saturation_current must be a positive"),
        (lambda: circuits.shockley_current(0.1, 1e-12, temperature=-300), "temperature must be a positive"),
        (lambda: circuits.shockley_current(0.1, 1e-12, series_resistance=-1), "series_resistance must be"),
        (lambda: circuits.D1N4148.voltage(-1.0), "current must be above -saturation_current"),
        (lambda: circuits.DiodeModel("x", 1e-9, 1.0, -0.5, 100, 1e-4), "series_resistance must be"),
        (lambda: circuits.piecewise_linear_current([0.0], on_resistance=0), "on_resistance must be a positive"),
        (lambda: circuits.ideal_diode_ripple(10, 50, 0.0, 1000), "capacitance must be a positive"),
        (lambda: circuits.ideal_diode_ripple(10, 0, 1e-6, 1000), "frequency must be a positive"),
    ],
)
def test_physical_arguments_are_checked(call, message):
    with pytest.raises(ValueError, match=message):
        call()
