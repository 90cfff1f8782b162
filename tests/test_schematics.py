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

