"""Diodes and rectifiers, simulated: the circuit behind the name "rectified linear unit".

Voltages are in volts, currents in amperes, resistances in ohms, capacitances in farads,
temperatures in kelvin, frequencies in hertz. Every physical argument is checked: a negative
temperature, resistance or capacitance, a frequency that is not positive, or an empty
waveform raises a ``ValueError`` naming the argument.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from ._checks import finite_real_array, increasing_points, integer, positive_number, same_shape

# Exact in the SI since 2019 (BIPM, The International System of Units, 9th edition).
BOLTZMANN = 1.380649e-23  # J/K
ELEMENTARY_CHARGE = 1.602176634e-19  # C


def thermal_voltage(temperature: float = 300.0) -> float:
    """V_T = k T / q, about 25.85 mV at 300 K."""
    return BOLTZMANN * positive_number(temperature, "temperature") / ELEMENTARY_CHARGE


# ---------------------------------------------------------------------------------------------
# The diode
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiodeModel:
    """The parameters of SPICE's junction diode that matter here.

    saturation_current (IS), ideality (N, the emission coefficient), series_resistance (RS),
    breakdown_voltage (BV) and breakdown_current (IBV, the reverse current at -BV), all at
    ``nominal_temperature``; band_gap (EG, in eV) and saturation_exponent (XTI) set how IS
    grows with temperature, with SPICE's defaults for silicon.
    """

    name: str
    saturation_current: float
    ideality: float
    series_resistance: float
    breakdown_voltage: float
    breakdown_current: float
    nominal_temperature: float = 300.0
    band_gap: float = 1.11
    saturation_exponent: float = 3.0

    def __post_init__(self):
        for field_name in ("saturation_current", "ideality", "breakdown_voltage", "breakdown_current",
                           "nominal_temperature", "band_gap"):
            positive_number(getattr(self, field_name), field_name)
        positive_number(self.series_resistance, "series_resistance", allow_zero=True)
        positive_number(self.saturation_exponent, "saturation_exponent", allow_zero=True)

    def saturation_current_at(self, temperature: float = 300.0) -> float:
        """IS at ``temperature``, by SPICE's law:
        IS(T) = IS (T / T0)^(XTI / N) exp((T / T0 - 1) EG / (N V_T(T))).
        It roughly doubles every 10 K near room temperature for silicon."""
        t = positive_number(temperature, "temperature")
        ratio = t / self.nominal_temperature
        exponent = (ratio - 1.0) * self.band_gap / (self.ideality * thermal_voltage(t))
        return self.saturation_current * ratio ** (self.saturation_exponent / self.ideality) * math.exp(exponent)

    def current(self, voltage, temperature: float = 300.0) -> np.ndarray:
        """Diode current at the terminal voltage, breakdown included.

        Forward and ordinary reverse bias follow Shockley's equation with the series
        resistance (:func:`shockley_current`); below -BV the reverse current grows
        exponentially from IBV, as in SPICE's model (the series resistance is neglected there).
        """
        v = finite_real_array(voltage, "voltage")
        nvt = self.ideality * thermal_voltage(temperature)
        junction = shockley_current(
            v, self.saturation_current_at(temperature), self.ideality, temperature, self.series_resistance
        )
        exponent = np.minimum(-(v + self.breakdown_voltage) / nvt, 700.0)  # no overflow
        return junction - self.breakdown_current * np.exp(exponent)

    def voltage(self, current, temperature: float = 300.0) -> np.ndarray:
        """Terminal voltage at a forward current: n V_T ln(1 + I / IS) + I RS (no breakdown)."""
        i = finite_real_array(current, "current")
        i_s = self.saturation_current_at(temperature)
        if np.any(i <= -i_s):
            raise ValueError("current must be above -saturation_current (reverse saturation)")
        nvt = self.ideality * thermal_voltage(temperature)
        return nvt * np.log1p(i / i_s) + i * self.series_resistance


# ngspice manual, section "Device models": .model 1n4148 D (is=2.495e-09 rs=4.755e-01
# n=1.679e+00 ... bv=1.000e+02 ibv=1.000e-04)
D1N4148 = DiodeModel("1N4148", 2.495e-9, 1.679, 0.4755, 100.0, 1.0e-4)


def shockley_current(
    voltage,
    saturation_current: float,
    ideality: float = 1.0,
    temperature: float = 300.0,
    series_resistance: float = 0.0,
) -> np.ndarray:
    """I = IS (exp((V - I RS) / (n V_T)) - 1), solved for I.

    With RS > 0 the equation is implicit; its solution is
    I = (n V_T / RS) omega(z) - IS with z = ln(IS RS / (n V_T)) + (V + IS RS) / (n V_T),
    where omega(z) = W(e^z) is the Wright omega function, which scipy evaluates without
    forming e^z, so no voltage overflows. With RS = 0 a large forward voltage gives inf.
    """
    v = finite_real_array(voltage, "voltage")
    i_s = positive_number(saturation_current, "saturation_current")
    nvt = positive_number(ideality, "ideality") * thermal_voltage(temperature)
    r_s = positive_number(series_resistance, "series_resistance", allow_zero=True)
    if r_s == 0.0:
        with np.errstate(over="ignore"):  # beyond ~30 V the ideal exponential is infinite
            return i_s * np.expm1(v / nvt)
    z = math.log(i_s * r_s / nvt) + (v + i_s * r_s) / nvt
    return nvt / r_s * np.real(special.wrightomega(z)) - i_s


def piecewise_linear_current(voltage, on_voltage: float = 0.7, on_resistance: float = 1.0) -> np.ndarray:
    """The piecewise-linear diode: I = ReLU(V - V_on) / r_on, a shifted and scaled ReLU."""
    v = finite_real_array(voltage, "voltage")
    v_on = positive_number(on_voltage, "on_voltage", allow_zero=True)
    r_on = positive_number(on_resistance, "on_resistance")
    return np.maximum(v - v_on, 0.0) / r_on


# ---------------------------------------------------------------------------------------------
# Rectifiers (ideal or constant-drop diodes, resistive load): output voltage of a source voltage
# ---------------------------------------------------------------------------------------------


def half_wave(source, forward_drop: float = 0.0) -> np.ndarray:
    """One diode in series with the load: ReLU(v - V_F). With V_F = 0 it is exactly ReLU(v)."""
    v = finite_real_array(source, "source")
    return np.maximum(v - positive_number(forward_drop, "forward_drop", allow_zero=True), 0.0)


def full_wave_bridge(source, forward_drop: float = 0.0) -> np.ndarray:
    """The bridge of four diodes: two conduct in each half cycle, so ReLU(|v| - 2 V_F)."""
    v = finite_real_array(source, "source")
    drop = positive_number(forward_drop, "forward_drop", allow_zero=True)
    return np.maximum(np.abs(v) - 2.0 * drop, 0.0)


def _phase_voltages(t, phases: int, amplitude: float, frequency: float) -> np.ndarray:
    t = finite_real_array(t, "t")
    m = integer(phases, "phases", 1)
    a = positive_number(amplitude, "amplitude", allow_zero=True)
    f = positive_number(frequency, "frequency")
    shifts = 2.0 * np.pi * np.arange(m) / m
    return a * np.sin(2.0 * np.pi * f * t[..., None] - shifts)


def star_rectifier(t, phases: int, amplitude: float = 1.0, frequency: float = 1.0) -> np.ndarray:
    """m phases of a sine, each through one diode to a common load: the highest phase wins.

    The output is ReLU(max_k v_k): the diode whose phase is highest conducts and blocks the
    others. This is how three-phase and six-pulse rectifiers work.
    """
    return np.maximum(_phase_voltages(t, phases, amplitude, frequency).max(axis=-1), 0.0)


def summed_half_waves(t, phases: int, amplitude: float = 1.0, frequency: float = 1.0) -> np.ndarray:
    """The sum of m half-wave rectified, equally phase-shifted sines (a construction some
    tutorials present as a polyphase rectifier).

    Physically: m separate half-wave rectifiers whose outputs are connected in series.
    """
    return np.maximum(_phase_voltages(t, phases, amplitude, frequency), 0.0).sum(axis=-1)


def star_dc_level(phases: int, amplitude: float = 1.0) -> float:
    """Mean output of :func:`star_rectifier`: A (m / pi) sin(pi / m) for m >= 2; A / pi for m = 1."""
    m = integer(phases, "phases", 1)
    a = positive_number(amplitude, "amplitude", allow_zero=True)
    return a / math.pi if m == 1 else a * m / math.pi * math.sin(math.pi / m)


def star_ripple(phases: int, amplitude: float = 1.0) -> float:
    """Peak-to-peak ripple of :func:`star_rectifier`: A (1 - cos(pi / m)) for m >= 2; A for m = 1."""
    m = integer(phases, "phases", 1)
    a = positive_number(amplitude, "amplitude", allow_zero=True)
    return a if m == 1 else a * (1.0 - math.cos(math.pi / m))


def summed_dc_level(phases: int, amplitude: float = 1.0) -> float:
    """Mean output of :func:`summed_half_waves`: m A / pi, each half wave contributing A / pi."""
    return integer(phases, "phases", 1) * positive_number(amplitude, "amplitude", allow_zero=True) / math.pi


# ---------------------------------------------------------------------------------------------
# Measuring a waveform
# ---------------------------------------------------------------------------------------------


def _waveform(waveform) -> np.ndarray:
    w = finite_real_array(waveform, "waveform")
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"waveform must be a non-empty 1-d array, got shape {w.shape}")
    return w


def dc_level(waveform) -> float:
    """The mean of a waveform sampled uniformly over a whole number of periods."""
    return float(np.mean(_waveform(waveform)))


def ripple(waveform) -> float:
    """Peak-to-peak ripple: the largest minus the smallest value."""
    w = _waveform(waveform)
    return float(w.max() - w.min())


def ripple_factor(waveform) -> float:
    """RMS of the alternating part divided by the DC level (sampled over whole periods)."""
    w = _waveform(waveform)
    mean = w.mean()
    if mean == 0:
        raise ValueError("waveform has no DC level, so its ripple factor is undefined")
    return float(np.sqrt(np.mean((w - mean) ** 2)) / abs(mean))


# ---------------------------------------------------------------------------------------------
# Smoothing with a capacitor
# ---------------------------------------------------------------------------------------------


def rc_smoothing(
    t, rectified, capacitance: float, load_resistance: float, on_resistance: float = 1.0
) -> np.ndarray:
    """Capacitor voltage when a rectifier charges C in parallel with a load R.

    ``rectified`` is the rectifier's open-circuit output u(t) (e.g. ``full_wave_bridge`` of
    the source). The diodes conduct, through ``on_resistance``, only while u > v:

        C dv/dt = ReLU(u - v) / r_on - v / R,   v(t[0]) = 0.

    Integrated by backward Euler, which is stable for any step; in each step the diodes are
    either on or off, and the implicit equation is solved exactly for the right case.
    """
    t = increasing_points(t, "t")
    u = finite_real_array(rectified, "rectified")
    same_shape(u, "rectified", t, "t")
    dt = np.diff(t)
    c = positive_number(capacitance, "capacitance")
    r_load = positive_number(load_resistance, "load_resistance")
    r_on = positive_number(on_resistance, "on_resistance")
    v = np.zeros_like(t)
    for n in range(1, t.size):
        keep = c / dt[n - 1]
        off = keep * v[n - 1] / (keep + 1.0 / r_load)
        v[n] = off
        if u[n] > off:  # then the diodes conduct in this step
            v[n] = (keep * v[n - 1] + u[n] / r_on) / (keep + 1.0 / r_on + 1.0 / r_load)
    return v


def ideal_diode_ripple(
    amplitude: float, frequency: float, capacitance: float, load_resistance: float,
    *, full_wave: bool = True,
) -> float:
    """Steady-state peak-to-peak ripple of a rectifier with ideal diodes and a capacitor C || R.

    The capacitor follows the rectified sine up to its peak A and a little beyond, until the
    sine falls faster than C can discharge into R: with w = 2 pi f that is at
    w t_off = pi - arctan(w R C). From there it decays as exp(-t / (R C)) until the next half
    wave (full wave) or the next period's positive half wave (half wave) rises to meet it; the
    meeting point, found numerically, is the minimum. No small-ripple approximation is made.
    """
    a = positive_number(amplitude, "amplitude")
    w = 2.0 * math.pi * positive_number(frequency, "frequency")
    tau = positive_number(capacitance, "capacitance") * positive_number(load_resistance, "load_resistance")
    phase_off = math.pi - math.atan(w * tau)  # where the diodes stop conducting
    v_off = a * math.sin(phase_off)
    next_start = math.pi if full_wave else 2.0 * math.pi  # where the next rising half wave begins

    def gap(phase):  # decaying capacitor minus the rising source, as functions of w t
        return v_off * math.exp(-(phase - phase_off) / (w * tau)) - a * math.sin(phase - next_start)

    meet = optimize.brentq(gap, next_start, next_start + math.pi / 2, xtol=1e-14)
    return a - a * math.sin(meet - next_start)
