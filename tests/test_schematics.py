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
