"""Circuit diagrams of the rectifiers, drawn with schemdraw onto matplotlib axes.

Drawing onto an axes the caller made keeps the diagrams in the book's figure pipeline (PNG,
white background) and lets a diagram share a figure with a plot.
"""

from __future__ import annotations

import schemdraw
import schemdraw.elements as elm

from .plotting import PALETTE

HIGHLIGHT = PALETTE[1]  # the conducting path
CONDUCTING = {"positive": ("D1", "D4"), "negative": ("D2", "D3")}


HOP_RADIUS = 0.25  # the half circle a wire makes to jump over another it does not join


def _drawing(ax) -> schemdraw.Drawing:
    ax.set_axis_off()
    ax.set_aspect("equal")  # schemdraw leaves a caller's axes as they are: circles stay round
    return schemdraw.Drawing(canvas=ax, show=False, fontsize=14, lw=1.6)


def _vertical_wire_with_hop(d: schemdraw.Drawing, x: float, y0: float, y1: float, hop_at: float) -> None:
    """A vertical wire from (x, y0) up to (x, y1) that hops, in a half circle to the right, over
    the horizontal wire at height ``hop_at``: crossing wires are not connected."""
    low, high = hop_at - HOP_RADIUS, hop_at + HOP_RADIUS
    d += elm.Line().endpoints((x, y0), (x, low))
    d += elm.ArcLoop(radius=HOP_RADIUS).at((x, high)).to((x, low))
    d += elm.Line().endpoints((x, high), (x, y1))


def half_wave_circuit(ax, *, capacitor: bool = False) -> schemdraw.Drawing:
    """A sine source (+ terminal up), one diode and a load resistor (and a smoothing capacitor
    if asked)."""
    d = _drawing(ax)
    # The source's upper terminal is its + side: a positive v_s drives current through D.
    d += (source := elm.SourceSin().endpoints((0, 0), (0, 3)).label(("−", "$v_s$", "+"), loc="bottom"))
    d += elm.Diode().endpoints((0, 3), (3, 3)).label("D", loc="top")
    d += elm.Line().endpoints((3, 3), (4, 3))
    d += elm.Resistor().endpoints((4, 3), (4, 0)).label(("+", "$v_{out}$", "−"), loc="bottom")
    d += elm.Line().endpoints((4, 0), source.start)
    if capacitor:
        d += elm.Line().endpoints((4, 3), (5.5, 3))
        d += elm.Capacitor().endpoints((5.5, 3), (5.5, 0)).label("$C$", loc="bottom")
        d += elm.Line().endpoints((5.5, 0), (4, 0))
        d += elm.Dot().at((4, 3))
        d += elm.Dot().at((4, 0))
    d.draw(show=False)
    return d


def bridge_circuit(ax, conducting: str | None = None, *, capacitor: bool = False) -> schemdraw.Drawing:
    """The full-wave bridge: four diodes D1..D4 in a diamond, the source across the left and
    right corners (its + terminal, the upper one, on the left corner), the load from the top
    corner (+) to the bottom corner (-).

    ``conducting="positive"`` (the source's + terminal higher) or ``"negative"`` colours the
    two diodes that conduct in that half cycle. The current through the load runs downwards
    in both. The load's return wire to the bottom corner passes the source's return wire, which
    hops over it: they are not connected. Wires that join meet at a dot.
    """
    if conducting not in (None, "positive", "negative"):
        raise ValueError(f"conducting must be None, 'positive' or 'negative', got {conducting!r}")
    on = CONDUCTING.get(conducting, ())

    def color(name):
        return HIGHLIGHT if name in on else "black"

    w, n, e, s = (0.0, 0.0), (2.0, 2.0), (4.0, 0.0), (2.0, -2.0)
    d = _drawing(ax)
    # Cathodes meet at the top (+), anodes at the bottom (-).
    d += elm.Diode().endpoints(w, n).color(color("D1")).label("D1", loc="top")
    d += elm.Diode().endpoints(e, n).color(color("D2")).label("D2", loc="bottom")
    d += elm.Diode().endpoints(s, w).color(color("D3")).label("D3", loc="bottom")
    d += elm.Diode().endpoints(s, e).color(color("D4")).label("D4", loc="top")
    for node in (w, n, e, s):
        d += elm.Dot().at(node)
    # The source across W and E; its return wire runs under the bridge.
    d += elm.Line().endpoints(w, (-2, 0))
    d += elm.SourceSin().endpoints((-2, 0), (-2, -3)).label(("+", "$v_s$", "−"), loc="bottom")
    d += elm.Line().endpoints((-2, -3), (-2, -3.5))
    d += elm.Line().endpoints((-2, -3.5), (5, -3.5))
    _vertical_wire_with_hop(d, 5, -3.5, 0, hop_at=-2.5)  # over the load's return wire
    d += elm.Line().endpoints((5, 0), e)
    # The load from the top corner down to the bottom corner.
    load_color = HIGHLIGHT if on else "black"
    d += elm.Line().endpoints(n, (2, 3)).color(load_color)
    d += elm.Line().endpoints((2, 3), (7, 3)).color(load_color)
    d += (load := elm.Resistor().endpoints((7, 3), (7, -2.5)).color(load_color)
          .label(("+", "$v_{out}$", "−"), loc="bottom"))
    d += elm.Line().endpoints((7, -2.5), (2, -2.5)).color(load_color)
    d += elm.Line().endpoints((2, -2.5), s).color(load_color)
    if on:
        d += elm.CurrentLabel(top=False, ofst=0.4, length=1.4).at(load).color(HIGHLIGHT).label("$i$")
    if capacitor:
        d += elm.Line().endpoints((7, 3), (9.5, 3))
        d += elm.Capacitor().endpoints((9.5, 3), (9.5, -2.5)).label("$C$", loc="bottom")
        d += elm.Line().endpoints((9.5, -2.5), (7, -2.5))
        d += elm.Dot().at((7, 3))
        d += elm.Dot().at((7, -2.5))
    d.draw(show=False)
    return d
