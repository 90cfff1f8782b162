"""nonlin.schematics: the rectifier diagrams draw, and colour the conducting diodes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from nonlin import (
    schematics,  # noqa: E402
)


@pytest.mark.parametrize("conducting", [None, "positive", "negative"])
@pytest.mark.parametrize("capacitor", [False, True])
def test_diagrams_draw_and_colour_the_conducting_diodes(conducting, capacitor):
    fig, ax = plt.subplots()
    drawing = schematics.bridge_circuit(ax, conducting, capacitor=capacitor)
    diodes = [e for e in drawing.elements if type(e).__name__ == "Diode"]
    assert len(diodes) == 4
    coloured = sum(e.params.get("color") == schematics.HIGHLIGHT for e in diodes)
    assert coloured == (0 if conducting is None else 2)
    assert len(ax.get_children()) > 10  # something was drawn
    plt.close(fig)
    fig, ax = plt.subplots()
    assert schematics.half_wave_circuit(ax, capacitor=capacitor).elements
    plt.close(fig)


def test_bridge_refuses_an_unknown_half_cycle():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="conducting must be None, 'positive' or 'negative'"):
        schematics.bridge_circuit(ax, "both")
    plt.close(fig)



def _plus_terminal(drawing):
    """The end of the sine source that carries the + mark (its labels run from start to end)."""
    source = next(e for e in drawing.elements if type(e).__name__ == "SourceSin")
    marks = source._userlabels[0].label
    assert sorted((marks[0], marks[-1])) == ["+", "−"], marks
    return source.start if marks[0] == "+" else source.end


def test_the_source_is_marked_plus_on_the_side_that_drives_the_conducting_diodes():
    fig, ax = plt.subplots()
    half = schematics.half_wave_circuit(ax)
    diode = next(e for e in half.elements if type(e).__name__ == "Diode")
    plus = _plus_terminal(half)
    assert (round(plus.x, 9), round(plus.y, 9)) == (round(diode.start.x, 9), round(diode.start.y, 9))  # the anode
    bridge = schematics.bridge_circuit(ax, "positive")
    d1 = next(e for e in bridge.elements if type(e).__name__ == "Diode")  # D1, drawn first, from W
    plus = _plus_terminal(bridge)
    # + is the upper end, and the wire from it runs level to D1's anode at the left corner
    assert plus.y == d1.start.y == 0.0 and plus.x < d1.start.x
    plt.close(fig)


WIRE_TYPES = {"Line", "Diode", "ResistorIEEE", "SourceSin", "Capacitor"}  # straight two-terminal parts


def _wires(drawing):
    """The straight pieces of a drawing, as ((x0, y0), (x1, y1)) rounded to 1e-9."""
    return [((round(e.start.x, 9), round(e.start.y, 9)), (round(e.end.x, 9), round(e.end.y, 9)))
            for e in drawing.elements if type(e).__name__ in WIRE_TYPES]


def _inside(point, wire):
    """Whether ``point`` lies on ``wire`` strictly between its ends."""
    (x0, y0), (x1, y1) = wire
    px, py = point
    if abs((x1 - x0) * (py - y0) - (y1 - y0) * (px - x0)) > 1e-9:
        return False
    t = ((px - x0) * (x1 - x0) + (py - y0) * (y1 - y0)) / ((x1 - x0) ** 2 + (y1 - y0) ** 2)
    return 1e-9 < t < 1 - 1e-9


def _crossing(a, b):
    """The point where wires a and b cross, strictly inside both, or None."""
    (x1, y1), (x2, y2) = a
    (x3, y3), (x4, y4) = b
    det = (x2 - x1) * (y4 - y3) - (y2 - y1) * (x4 - x3)
    if abs(det) < 1e-12:
        return None  # parallel
    s = ((x3 - x1) * (y4 - y3) - (y3 - y1) * (x4 - x3)) / det
    t = ((x3 - x1) * (y2 - y1) - (y3 - y1) * (x2 - x1)) / det
    if 1e-9 < s < 1 - 1e-9 and 1e-9 < t < 1 - 1e-9:
        return (x1 + s * (x2 - x1), y1 + s * (y2 - y1))
    return None


def _all_drawings():
    for capacitor in (False, True):
        fig, ax = plt.subplots()
        yield f"half wave, capacitor={capacitor}", schematics.half_wave_circuit(ax, capacitor=capacitor)
        plt.close(fig)
        for conducting in (None, "positive", "negative"):
            fig, ax = plt.subplots()
            yield f"bridge {conducting}, capacitor={capacitor}", schematics.bridge_circuit(
                ax, conducting, capacitor=capacitor)
            plt.close(fig)


def test_no_two_wires_cross():
    """A crossing without a dot is ambiguous on a phone screen: wires that pass hop instead."""
    for name, drawing in _all_drawings():
        wires = _wires(drawing)
        crossings = [_crossing(a, b) for i, a in enumerate(wires) for b in wires[i + 1:]]
        assert not [c for c in crossings if c is not None], name


def test_wires_join_at_dots_and_only_there():
    """Three or more wire ends at a point, or a wire ending on another, is a junction: it has a
    dot. A dot anywhere else would join wires that are not joined."""
    for name, drawing in _all_drawings():
        wires = _wires(drawing)
        ends = [p for wire in wires for p in wire]
        junctions = {p for p in ends if ends.count(p) >= 3 or any(_inside(p, w) for w in wires)}
        dots = {(round(e.start.x, 9), round(e.start.y, 9)) for e in drawing.elements if type(e).__name__ == "Dot"}
        assert junctions == dots, name
