"""Diodes and rectifiers, simulated: the circuit behind the name "rectified linear unit".

The diode follows the DC equations of SPICE's junction diode as ngspice implements them
(Shockley's law forward, a flat reverse branch, exponential breakdown, the series resistance
in series with all of it); rectifiers are computed with ideal diodes, with a constant drop, or
with those model diodes.

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
SPICE_NOMINAL_TEMPERATURE = 300.15  # K: SPICE's default TNOM and circuit temperature, 27 degrees C


def thermal_voltage(temperature: float = 300.0) -> float:
    """V_T = k T / q, about 25.85 mV at 300 K."""
    return BOLTZMANN * positive_number(temperature, "temperature") / ELEMENTARY_CHARGE


def _omega(z):
    """Wright's omega function W(e^z) for real z, without forming e^z."""
    return np.real(special.wrightomega(z))


def _resistive_diode_current(v, i_s: float, emission: float, resistance: float) -> np.ndarray:
    """I solving I = IS (exp((V - I R) / E) - 1): a Shockley diode with emission voltage E in
    series with R. For R > 0: I = (E / R) omega(ln(IS R / E) + (V + IS R) / E) - IS."""
    if resistance == 0.0:
        with np.errstate(over="ignore"):  # beyond ~30 V the ideal exponential is infinite
            return i_s * np.expm1(v / emission)
    z = math.log(i_s * resistance / emission) + (v + i_s * resistance) / emission
    return emission / resistance * _omega(z) - i_s


# ---------------------------------------------------------------------------------------------
# The diode
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiodeModel:
    """The parameters of SPICE's junction diode that set its DC curve.

    saturation_current (IS), ideality (N, the emission coefficient), series_resistance (RS),
    breakdown_voltage (BV) and breakdown_current (IBV, the reverse current at BV), given at
    ``nominal_temperature`` (SPICE's TNOM, 27 degrees C unless the model says otherwise);
    band_gap (EG, in eV) and saturation_exponent (XTI) set how IS grows with temperature, with
    SPICE's defaults for silicon. Methods take ``temperature=None`` to mean the nominal one.
    """

    name: str
    saturation_current: float
    ideality: float
    series_resistance: float
    breakdown_voltage: float
    breakdown_current: float
    nominal_temperature: float = SPICE_NOMINAL_TEMPERATURE
    band_gap: float = 1.11
    saturation_exponent: float = 3.0

    def __post_init__(self):
        for field_name in ("saturation_current", "ideality", "breakdown_voltage", "breakdown_current",
                           "nominal_temperature", "band_gap"):
            positive_number(getattr(self, field_name), field_name)
        positive_number(self.series_resistance, "series_resistance", allow_zero=True)
        positive_number(self.saturation_exponent, "saturation_exponent", allow_zero=True)

    def temperature(self, temperature: float | None = None) -> float:
        """``temperature``, or the nominal temperature if it is None."""
        return self.nominal_temperature if temperature is None else positive_number(temperature, "temperature")

    def saturation_current_at(self, temperature: float | None = None) -> float:
        """IS at ``temperature``, by SPICE's law:
        IS(T) = IS (T / T0)^(XTI / N) exp((T / T0 - 1) EG / (N V_T(T))).
        Near room temperature it grows about 2.4-fold every 10 K for the 1N4148."""
        t = self.temperature(temperature)
        ratio = t / self.nominal_temperature
        exponent = (ratio - 1.0) * self.band_gap / (self.ideality * thermal_voltage(t))
        return self.saturation_current * ratio ** (self.saturation_exponent / self.ideality) * math.exp(exponent)

    def breakdown_knee(self, temperature: float | None = None) -> float:
        """ngspice's breakdown knee xbv (DIOtBrkdwnV): the reverse junction voltage where the
        breakdown exponential takes over, placed so that IS (exp((BV - xbv) / (N V_T)) - 1 +
        xbv / V_T) = IBV. Solved here to convergence (ngspice stops at 0.1 % of IBV).

        The knee lies below BV by about N V_T ln(IBV / IS); at -BV the junction carries
        IBV + IS - IS xbv / V_T, which for the 1N4148 is 90 uA rather than IBV's 100 uA.
        If IBV < IS BV / V_T no knee below BV matches, and ngspice puts it at BV. (Its diotemp.c
        also raises IBV to IS BV / V_T there, with a warning, but only in builds with TRACE
        defined, and the raised value is used for nothing else: the knee is the only effect.)
        """
        t = self.temperature(temperature)
        i_s, vt = self.saturation_current_at(t), thermal_voltage(t)
        nvt = self.ideality * vt
        bv, ibv = self.breakdown_voltage, self.breakdown_current
        if ibv < i_s * bv / vt:  # IS too large for IBV to be matched: ngspice puts the knee at BV
            return bv
        xbv = bv - nvt * math.log1p(ibv / i_s)
        for _ in range(100):
            previous, xbv = xbv, bv - nvt * math.log(ibv / i_s + 1.0 - xbv / vt)
            if abs(xbv - previous) <= 4 * math.ulp(bv):
                break
        return xbv

    def junction_current(self, junction_voltage, temperature: float | None = None) -> np.ndarray:
        """The current through the junction alone (no series resistance), as ngspice computes it:

            IS (exp(V / (N V_T)) - 1)                       for V >= -3 N V_T,
            -IS (1 + (3 N V_T / (e V))^3)                   for -xbv <= V < -3 N V_T,
            -IS exp(-(xbv + V) / (N V_T))                   for V < -xbv (breakdown).

        ngspice also adds GMIN V (1e-12 S by default), a numerical aid left out here.
        """
        vd = finite_real_array(junction_voltage, "junction_voltage")
        t = self.temperature(temperature)
        i_s, nvt, xbv = self.saturation_current_at(t), self.ideality * thermal_voltage(t), self.breakdown_knee(t)
        forward = vd >= -3.0 * nvt
        breakdown = vd < -xbv
        with np.errstate(over="ignore", divide="ignore"):
            return np.where(forward, i_s * np.expm1(np.minimum(vd, 700.0 * nvt) / nvt),
                            np.where(breakdown, -i_s * np.exp(np.minimum(-(xbv + vd) / nvt, 700.0)),
                                     -i_s * (1.0 + (3.0 * nvt / (math.e * vd)) ** 3)))

    def current(self, voltage, temperature: float | None = None, load_resistance: float = 0.0) -> np.ndarray:
        """The current through the diode, or through the diode in series with a load resistor.

        ``voltage`` is across the diode (and the load, if any). The series resistance RS (plus
        the load) carries the whole current, breakdown included, as in SPICE, so the junction
        sees V - I (RS + R_load). Forward and in breakdown the loop equation has a closed form
        in Wright's omega function; on the flat reverse branch three fixed-point steps solve it.
        """
        v = finite_real_array(voltage, "voltage")
        r = self.series_resistance + positive_number(load_resistance, "load_resistance", allow_zero=True)
        t = self.temperature(temperature)
        i_s, nvt, xbv = self.saturation_current_at(t), self.ideality * thermal_voltage(t), self.breakdown_knee(t)
        # The loop voltage rises with the junction voltage, so the three pieces of
        # junction_current are three ranges of terminal voltage.
        edge_forward = -3.0 * nvt - r * i_s * -math.expm1(-3.0)
        edge_breakdown = -xbv - r * i_s
        out = np.empty_like(v)
        forward = v >= edge_forward
        out[forward] = _resistive_diode_current(v[forward], i_s, nvt, r)
        breakdown = v < edge_breakdown
        vb = v[breakdown]
        if r == 0.0:
            with np.errstate(over="ignore"):
                out[breakdown] = -i_s * np.exp(-(xbv + vb) / nvt)
        else:  # |I| = IS exp(-(xbv + V + |I| r) / (N V_T)), again an omega function
            out[breakdown] = -nvt / r * _omega(math.log(i_s * r / nvt) - (xbv + vb) / nvt)
        flat = ~forward & ~breakdown
        vd = v[flat]
        for _ in range(3):  # vd = V - r I(vd); r dI/dvd < 1e-9 here, so each step gains 9 digits
            vd = v[flat] - r * -i_s * (1.0 + (3.0 * nvt / (math.e * vd)) ** 3)
        out[flat] = -i_s * (1.0 + (3.0 * nvt / (math.e * vd)) ** 3)
        return out

    def voltage(self, current, temperature: float | None = None) -> np.ndarray:
        """Terminal voltage at a forward current I >= 0: N V_T ln(1 + I / IS) + I RS."""
        i = finite_real_array(current, "current")
        if np.any(i < 0):
            raise ValueError("current must be >= 0 (a forward current)")
        t = self.temperature(temperature)
        i_s = self.saturation_current_at(t)
        return self.ideality * thermal_voltage(t) * np.log1p(i / i_s) + i * self.series_resistance


# ngspice manual, part II (XSPICE), chapter "Execution Procedures", section "Models and
# Subcircuits": .model 1n4148 D (is=2.495e-09 rs=4.755e-01 n=1.679e+00 ... bv=1.000e+02
# ibv=1.000e-04); TNOM is not given, so it is SPICE's default 27 degrees C.
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
    return _resistive_diode_current(v, i_s, nvt, r_s)


def piecewise_linear_current(voltage, on_voltage: float = 0.7, on_resistance: float = 1.0) -> np.ndarray:
    """The piecewise-linear diode: I = ReLU(V - V_on) / r_on, a shifted and scaled ReLU."""
    v = finite_real_array(voltage, "voltage")
    v_on = positive_number(on_voltage, "on_voltage", allow_zero=True)
    r_on = positive_number(on_resistance, "on_resistance")
    return np.maximum(v - v_on, 0.0) / r_on


# ---------------------------------------------------------------------------------------------
# Rectifiers with a resistive load: output voltage of a source voltage
# ---------------------------------------------------------------------------------------------


def half_wave(source, forward_drop: float = 0.0) -> np.ndarray:
    """One ideal or constant-drop diode in series with the load: ReLU(v - V_F).
    With V_F = 0 it is exactly ReLU(v)."""
    v = finite_real_array(source, "source")
    return np.maximum(v - positive_number(forward_drop, "forward_drop", allow_zero=True), 0.0)


def full_wave_bridge(source, forward_drop: float = 0.0) -> np.ndarray:
    """The bridge of four ideal or constant-drop diodes: two conduct in each half cycle, so
    ReLU(|v| - 2 V_F)."""
    v = finite_real_array(source, "source")
    drop = positive_number(forward_drop, "forward_drop", allow_zero=True)
    return np.maximum(np.abs(v) - 2.0 * drop, 0.0)


def bridge_output(source, diode: DiodeModel, load_resistance: float,
                  temperature: float | None = None) -> np.ndarray:
    """Load voltage of a bridge of four model diodes: u = R I, where the conducting pair, two
    diodes in series carrying the same current, obeys |v| = 2 N V_T ln(1 + I / IS) + I (R + 2 RS).

    That is one Shockley diode with emission voltage 2 N V_T and series resistance R + 2 RS,
    solved in closed form. The blocking pair's leakage (IS each, nanoamperes) is neglected.
    """
    v = finite_real_array(source, "source")
    if not isinstance(diode, DiodeModel):
        raise TypeError(f"diode must be a DiodeModel, got {type(diode).__name__}")
    r_load = positive_number(load_resistance, "load_resistance")
    t = diode.temperature(temperature)
    emission = 2.0 * diode.ideality * thermal_voltage(t)
    current = _resistive_diode_current(np.abs(v), diode.saturation_current_at(t), emission,
                                       r_load + 2.0 * diode.series_resistance)
    return r_load * current


def _phase_voltages(t, phases: int, amplitude: float, frequency: float) -> np.ndarray:
    t = finite_real_array(t, "t")
    m = integer(phases, "phases", 1)
    a = positive_number(amplitude, "amplitude", allow_zero=True)
    f = positive_number(frequency, "frequency")
    shifts = 2.0 * np.pi * np.arange(m) / m
    return a * np.sin(2.0 * np.pi * f * t[..., None] - shifts)


def star_rectifier(t, phases: int, amplitude: float = 1.0, frequency: float = 1.0) -> np.ndarray:
    """m phases of a sine, each through one ideal diode to a common load returning to the star
    point: the highest phase wins.

    The output is ReLU(max_k v_k): the diode whose phase is highest conducts and blocks the
    others. m = 3 is the three-phase half-wave (three-pulse) rectifier.
    """
    return np.maximum(_phase_voltages(t, phases, amplitude, frequency).max(axis=-1), 0.0)


def three_phase_bridge(t, amplitude: float = 1.0, frequency: float = 1.0) -> np.ndarray:
    """The three-phase bridge of six ideal diodes (the six-pulse rectifier): max_k v_k - min_k v_k.

    The top three diodes pass the highest phase, the bottom three the lowest, so the load sees
    the largest line-to-line voltage: a six-phase star rectifier of amplitude sqrt(3) A.
    """
    v = _phase_voltages(t, 3, amplitude, frequency)
    return v.max(axis=-1) - v.min(axis=-1)


def summed_half_waves(t, phases: int, amplitude: float = 1.0, frequency: float = 1.0) -> np.ndarray:
    """The sum of m half-wave rectified, equally phase-shifted sines (a construction some
    tutorials present as a polyphase rectifier).

    Physically: m half-wave rectifiers, each fed by its own isolated winding, with their
    outputs connected in series.
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


def summed_ripple(phases: int, amplitude: float = 1.0) -> float:
    """Peak-to-peak ripple of :func:`summed_half_waves`: A tan(pi / (2m)) for even m,
    (A / 2) tan(pi / (4m)) for odd m >= 3, and A for m = 1.

    For m >= 2 the m sines sum to 0, so with ReLU(s) = (s + |s|) / 2 the output is half the
    sum of |sin| over the phases. |sin| has period pi, so the m shifts 2 pi k / m fold onto
    N = m / 2 shifts pi / N apart, each twice (even m), or onto N = m shifts pi / N apart
    (odd m). Between two successive zeros of its terms, with theta counted from the first, such
    a sum of N terms is cos(theta - pi / (2N)) / sin(pi / (2N)), whose ripple is
    (1 - cos(pi / (2N))) / sin(pi / (2N)) = tan(pi / (4N)). Both fall like 1 / m: m times the
    ripple tends to pi A / 2 (even m) and pi A / 8 (odd m).
    """
    m = integer(phases, "phases", 1)
    a = positive_number(amplitude, "amplitude", allow_zero=True)
    if m == 1:
        return a
    return a * math.tan(math.pi / (2 * m)) if m % 2 == 0 else a / 2 * math.tan(math.pi / (4 * m))


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


def _pair_current(x: float, i_s: float, emission: float, resistance: float) -> tuple[float, float]:
    """(I, dI/dx) of two model diodes in series at total voltage x (scalar, forward law)."""
    if resistance == 0.0:
        e = i_s * math.exp(min(x / emission, 700.0))
        return e - i_s, e / emission
    w = float(special.wrightomega(math.log(i_s * resistance / emission) + (x + i_s * resistance) / emission).real)
    return emission / resistance * w - i_s, w / ((1.0 + w) * resistance)


def bridge_smoothing(
    t, source, capacitance: float, load_resistance: float, diode: DiodeModel,
    temperature: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Capacitor voltage and diode current of a bridge of four model diodes charging C || R.

    Each pair of diodes is two diodes in series: Shockley's law with emission voltage 2 N V_T
    and resistance 2 RS (the reverse branch, too, is Shockley's, leaking IS). With a = v_s(t),

        C dv/dt = P(a - v) + P(-a - v) - v / R,   v(t[0]) = 0,

    where P is a pair's current. Integrated by backward Euler; each step's equation, which
    rises monotonically in v, is solved by Newton's method kept inside a bisection bracket.
    Returns (v, i), with i the current of the conducting pair, that is of each of its diodes.
    """
    t = increasing_points(t, "t")
    vs = finite_real_array(source, "source")
    same_shape(vs, "source", t, "t")
    if not isinstance(diode, DiodeModel):
        raise TypeError(f"diode must be a DiodeModel, got {type(diode).__name__}")
    c = positive_number(capacitance, "capacitance")
    g_load = 1.0 / positive_number(load_resistance, "load_resistance")
    temp = diode.temperature(temperature)
    i_s = diode.saturation_current_at(temp)
    emission = 2.0 * diode.ideality * thermal_voltage(temp)
    r_pair = 2.0 * diode.series_resistance
    v = np.zeros_like(t)
    i = np.zeros_like(t)
    i[0] = max(_pair_current(vs[0], i_s, emission, r_pair)[0], _pair_current(-vs[0], i_s, emission, r_pair)[0])
    for n in range(1, t.size):
        keep = c / (t[n] - t[n - 1])
        a, previous = float(vs[n]), float(v[n - 1])
        low, high = min(previous, 0.0) - abs(a) - 1.0, max(previous, abs(a)) + 1.0  # F < 0, F > 0
        x = previous
        for _ in range(200):
            plus, d_plus = _pair_current(a - x, i_s, emission, r_pair)
            minus, d_minus = _pair_current(-a - x, i_s, emission, r_pair)
            f = keep * (x - previous) + g_load * x - plus - minus
            if f > 0:
                high = x
            else:
                low = x
            step = f / (keep + g_load + d_plus + d_minus)
            if abs(step) <= 1e-13 * (1.0 + abs(x)):
                x -= step
                break
            x = x - step if low < x - step < high else 0.5 * (low + high)
        else:  # pragma: no cover - Newton inside a bracket always converges here
            raise RuntimeError("bridge_smoothing: the step equation did not converge")
        v[n] = x
        i[n] = max(_pair_current(a - x, i_s, emission, r_pair)[0], _pair_current(-a - x, i_s, emission, r_pair)[0])
    return v, i


def _ideal_diode_cycle(amplitude: float, frequency: float, capacitance: float, load_resistance: float,
                       full_wave: bool) -> tuple[float, float, float]:
    """(a, w R C, phase where conduction starts again) for the ideal-diode steady state."""
    a = positive_number(amplitude, "amplitude")
    w = 2.0 * math.pi * positive_number(frequency, "frequency")
    tau = positive_number(capacitance, "capacitance") * positive_number(load_resistance, "load_resistance")
    phase_off = math.pi - math.atan(w * tau)  # where the diodes stop conducting
    v_off = a * math.sin(phase_off)
    next_start = math.pi if full_wave else 2.0 * math.pi  # where the next rising half wave begins

    def gap(phase):  # decaying capacitor minus the rising source, as functions of w t
        return v_off * math.exp(-(phase - phase_off) / (w * tau)) - a * math.sin(phase - next_start)

    meet = optimize.brentq(gap, next_start, next_start + math.pi / 2, xtol=1e-14)
    return a, w * tau, meet - next_start


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
    a, _, start = _ideal_diode_cycle(amplitude, frequency, capacitance, load_resistance, full_wave)
    return a - a * math.sin(start)


def ideal_diode_peak_current(
    amplitude: float, frequency: float, capacitance: float, load_resistance: float,
    *, full_wave: bool = True,
) -> float:
    """Steady-state peak diode current of the same rectifier: A (w C cos(theta) + sin(theta) / R).

    When the rising sine meets the capacitor again (at phase theta into the half wave), ideal
    diodes switch on and at once carry C dv/dt + v / R of the sine; the current then falls
    until they switch off, so the jump at theta is the peak.
    """
    a, w_tau, start = _ideal_diode_cycle(amplitude, frequency, capacitance, load_resistance, full_wave)
    r_load = float(load_resistance)
    return a * (w_tau * math.cos(start) + math.sin(start)) / r_load
