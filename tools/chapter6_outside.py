"""The runs behind chapter 6's numbers "checked outside the chapter" that `make seed-sets` does not print.

    python -m nonlin.reproducible python tools/chapter6_outside.py [PART ...]   (what `make chapter6-outside` runs)

With no PART, every part runs, in this order (minutes on two cores; not a test):

    deep-rates     the deep networks (10 hidden layers of 16) at rates 0.05 to 2, 60 steps, seeds 0-4, 5-9, 10-14
    deep-400       the deep sigmoid with gain 4 and ReLU with Kaiming's at rate 0.05 for 400 steps, seeds 0-14, per
                   seed the lowest and the final loss and the dead units per layer at the end; and every initial
                   parameter changed by a relative 1e-12 (seeds 0-4, 60 steps)
    wide           width 64: the sigmoid with gain 4 at 8 rates against ReLU, and the held-out test (rates chosen
                   on seeds s..s+4, steps measured on s+5..s+9), for s = 0, 5, 10
    plain-gd       16 units, gradient descent without momentum: rates 0.5 to 64 (a factor of sqrt 2 apart),
                   100 steps, seeds 0-4, 5-9, 10-14, the sigmoid and tanh against ReLU
    ablations      seeds 0-4, the chapter's sweeps, Adam and test accuracies with four changes one at a time: the
                   data split drawn with seed 1 and with seed 2, a training set of 1347 images (test_fraction 0.25)
                   and the output layer at the activation's gain: Adam's tanh against ReLU at 25 % training error,
                   and tanh's test accuracy against ELU's at the best rates and at every shared rate
    no-rounding    the whole chapter without the 20-bit rounding: the checks that fail
    output-gain-1  the whole chapter with gain 1 on the dying-ReLU networks' output layer: the checks that fail

Every part uses the chapter's own code: it runs the chapter's code cells (found by a line they contain, so
inserting a cell does not break it) with `SEEDS = range(5)` changed as in tools/seed_sets.py, asserts reported
and not raised, their output hidden, then its own lines in the same namespace.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seed_sets import NOTEBOOK, SEEDS_LINE, SoftAsserts  # noqa: E402

DEEP_RATES = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0]
CELLS = json.loads(NOTEBOOK.read_text())["cells"]  # read once, at the start


def code_cells(*markers):
    """(index, source) of the chapter's code cells that contain one of the markers, in order; all if none given."""
    cells = CELLS
    found = [(n, "".join(c["source"])) for n, c in enumerate(cells) if c["cell_type"] == "code"]
    if markers:
        found = [(n, s) for n, s in found if any(m in s for m in markers)]
        missing = [m for m in markers if not any(m in s for _, s in found)]
        if missing:
            sys.exit(f"no code cell of {NOTEBOOK.name} contains {missing}")
    return found


def chapter(first_seed=0, *markers, substitutions=()):
    """Run the chapter's code cells (those with a marker, or all) with seeds first_seed..first_seed+4 and the
    substitutions [(old, new)]; returns the namespace and the failed asserts and exceptions."""
    import ast

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.show = lambda *args, **kwargs: plt.close("all")
    namespace = {"__name__": "__main__"}
    output = io.StringIO()
    applied = set()
    for n, source in code_cells(*markers):
        source = source.replace(SEEDS_LINE, f"SEEDS = range({first_seed}, {first_seed + 5})")
        for old, new in substitutions:
            if old in source:
                source = source.replace(old, new)
                applied.add(old)
        tree = ast.fix_missing_locations(SoftAsserts(n).visit(ast.parse(source)))
        with contextlib.redirect_stdout(output):
            try:
                exec(compile(tree, f"cell {n}", "exec"), namespace)
            except Exception as error:
                print(f"EXCEPTION [cell {n}]: {type(error).__name__}: {error}")
    if len(applied) != len(substitutions):
        sys.exit(
            f"a substitution found no line to change in {NOTEBOOK.name}: "
            f"{[o for o, _ in substitutions if o not in applied]}"
        )
    failed = [line for line in output.getvalue().splitlines() if line.startswith(("ASSERT FAILED", "EXCEPTION"))]
    return namespace, failed


def span(values, digits=2):
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    text = f"{finite.min():.{digits}f} to {finite.max():.{digits}f}" if len(finite) else "none finite"
    return text + (f" ({int((~np.isfinite(values)).sum())} diverged)" if (~np.isfinite(values)).any() else "")


def deep_rates():
    print("## deep-rates: 10 hidden layers of 16, gradient descent with momentum 0.9, 60 steps, unrounded")
    stuck = {}  # per set-up that stays at ln 10: largest distance of a final loss from it, diverged runs, lowest loss
    for first_seed in (0, 5, 10):
        ns, failed = chapter(first_seed, "import matplotlib", SEEDS_LINE, "DEPTH_SIZES =")
        assert not failed, failed
        ensembles, X_train, y_train = ns["ensembles"], ns["X_train"], ns["y_train"]
        final, low_all, rose_all = {}, {}, {}
        for (activation, init), kwargs in ns["DEPTH"].items():
            stack = ns["stacked"](ns["DEPTH_SIZES"], activation, init.split(",")[0], len(DEEP_RATES), **kwargs)
            record = ensembles.train(
                stack, X_train, y_train, steps=60, lr=np.repeat(DEEP_RATES, 5), optimizer="sgd", momentum=0.9
            )
            last = record.loss[-1].reshape(len(DEEP_RATES), 5)
            lowest = np.nanmin(record.loss, axis=0).reshape(len(DEEP_RATES), 5)
            final[(activation, init)] = last
            low_all[(activation, init)] = lowest
            rose_all[(activation, init)] = [
                int((np.nan_to_num(last[j], nan=np.inf) - lowest[j] > 1).sum()) for j in range(6)
            ]
            for j, rate in enumerate(DEEP_RATES):
                print(
                    f"seeds {first_seed}-{first_seed + 4}, {activation}, {init}, rate {rate}: "
                    f"final loss {span(last[j])};"
                    f" lowest in the run {span(lowest[j])}"
                )
            if (activation, init) in (("sigmoid", "default"), ("sigmoid", "xavier"), ("relu", "default")):
                distance, diverged, low = stuck.get((activation, init), (0.0, 0, np.inf))
                finite = np.isfinite(record.loss[-1])
                stuck[(activation, init)] = (
                    max(distance, np.abs(record.loss[-1][finite] - np.log(10)).max()),
                    diverged + int((~finite).sum()),
                    min(low, np.nanmin(record.loss)),
                )
        gain4, kaiming = final[("sigmoid", "xavier, gain 4 (hidden layers)")], final[("relu", "kaiming")]
        lower = [
            int((np.nan_to_num(gain4[j], nan=np.inf) < np.nan_to_num(kaiming[j], nan=np.inf)).sum())
            for j in range(len(DEEP_RATES))
        ]
        print(
            f"seeds {first_seed}-{first_seed + 4}: seeds in which the gain-4 sigmoid ended below ReLU/Kaiming, per rate"
            f" {DEEP_RATES}: {lower}"
        )
        low4, lowk = low_all[("sigmoid", "xavier, gain 4 (hidden layers)")], low_all[("relu", "kaiming")]
        print(
            f"seeds {first_seed}-{first_seed + 4}: seeds in which the gain-4 sigmoid's lowest loss was below"
            f" ReLU/Kaiming's lowest, per rate: {[int((low4[j] < lowk[j]).sum()) for j in range(len(DEEP_RATES))]};"
            " seeds whose final loss was more than 1 above their lowest (a diverged run counted), per rate:"
            f" gain-4 sigmoid {rose_all[('sigmoid', 'xavier, gain 4 (hidden layers)')]},"
            f" ReLU/Kaiming {rose_all[('relu', 'kaiming')]}"
        )
    for (activation, init), (distance, diverged, low) in stuck.items():
        print(
            f"{activation}, {init}, rates 0.05-2, seeds 0-14: largest distance of a final loss from ln 10 ="
            f" {np.log(10):.4f}: {distance:.1e}; diverged: {diverged} of 90; lowest loss at any step: {low:.4f}"
        )


def deep_400():
    print("## deep-400: rate 0.05, momentum 0.9, unrounded")
    ns, failed = chapter(0, "import matplotlib", SEEDS_LINE, "DEPTH_SIZES =")
    assert not failed, failed
    ensembles, torch = ns["ensembles"], ns["torch"]
    for key in (("sigmoid", "xavier, gain 4 (hidden layers)"), ("relu", "kaiming")):
        stack = ns["stacked"](ns["DEPTH_SIZES"], key[0], key[1].split(",")[0], seeds=range(15), **ns["DEPTH"][key])
        record = ensembles.train(stack, ns["X_train"], ns["y_train"], steps=400, lr=0.05, optimizer="sgd", momentum=0.9)
        last, lowest, at = record.loss[-1], np.nanmin(record.loss, axis=0), np.nanargmin(record.loss, axis=0)
        guessing = np.abs(last - np.log(10)) < 0.1
        print(
            f"{key[0]}, {key[1]}, seeds 0-14, 400 steps (one yardstick for both set-ups): final loss {span(last)},"
            f" lowest loss in the run {span(lowest)}; final below 2.25 in {int((last < 2.25).sum())},"
            f" lowest below 2.25 in {int((lowest < 2.25).sum())}, lowest below 1.0 in {int((lowest < 1.0).sum())},"
            f" final within 0.1 of ln 10 in {int(guessing.sum())} of 15; final more than 1 above the lowest in"
            f" {int((last - lowest > 1).sum())}; final equal to the lowest in {int((at == 400).sum())}"
        )
        if key[0] == "relu":
            dead_end = record.dead[-1]  # [seed, hidden layer], units dead on the training set after 400 steps
            full = [[layer + 1 for layer, n in enumerate(row) if n == 16] for row in dead_end]
            for k in range(15):
                print(
                    f"    seed {k}: lowest {lowest[k]:.2f} at step {at[k]}, final {last[k]:.2f};"
                    f" dead units per hidden layer at the end {dead_end[k].tolist()}"
                    + (f", all 16 dead in layer(s) {full[k]}" if full[k] else "")
                )
            near = np.flatnonzero(guessing)
            print(
                f"    seeds ending within 0.1 of ln 10: {near.tolist()};"
                f" of them with a whole hidden layer dead at the end: {sum(bool(full[k]) for k in near)}"
            )
    worst = 0.0
    for key, kwargs in ns["DEPTH"].items():
        records = []
        for perturb in (False, True):
            stack = ns["stacked"](ns["DEPTH_SIZES"], key[0], key[1].split(",")[0], **kwargs)
            if perturb:
                generator = torch.Generator().manual_seed(123)
                with torch.no_grad():
                    for p in stack.parameters():
                        p.mul_(1 + 1e-12 * (2 * torch.rand(p.shape, generator=generator, dtype=p.dtype) - 1))
            records.append(
                ensembles.train(stack, ns["X_train"], ns["y_train"], steps=60, lr=0.05, optimizer="sgd", momentum=0.9)
            )
        change = np.abs(records[0].loss[-1] - records[1].loss[-1]) / records[0].loss[-1]
        worst = max(worst, change.max())
        print(
            f"{key[0]}, {key[1]}: largest relative change of a final loss"
            f" after a relative 1e-12 change: {change.max():.0e}"
        )
    print(f"largest over the five set-ups: {worst:.0e}")


def wide():
    print("## wide: width 64, gradient descent with momentum 0.9, rounded, as the chapter's width ablation")
    gain4_all, held_all = [], []
    for first_seed in (0, 5, 10):
        ns, failed = chapter(first_seed, "import matplotlib", SEEDS_LINE, "ratios = {a:", "WIDE_SIZES =")
        print("\n".join(failed))
        RATES, TARGETS, sweep, best_rate = ns["RATES"], ns["TARGETS"], ns["sweep"], ns["best_rate"]
        rates4 = RATES[2:10]  # 0.5 to 5.66
        gain4 = sweep("sigmoid", "xavier", rates4, sizes=ns["WIDE_SIZES"], gain=4.0)
        ratios, notes = [], []
        for t in TARGETS:
            i = best_rate(gain4["steps"][t])
            steps = gain4["steps"][t][i]
            ratios.append(steps.mean() / ns["wide_steps"]("relu", t).mean())
            beaten = (ns["mean_if_missed_at_41"](gain4["steps"][t]) < steps.mean()).any()
            notes.append(
                f"{t}: at {rates4[i]:.2f}{' (grid edge)' if i in (0, len(rates4) - 1) else ''}"
                f"{' (budget could choose)' if beaten else ''}, slower than ReLU in "
                f"{int((steps > ns['wide_steps']('relu', t)).sum())} of 5"
            )
        gain4_all += ratios
        print(f"seeds {first_seed}-{first_seed + 4}, sigmoid with gain 4 / ReLU: {span(ratios)};", "; ".join(notes))
        held_out = [s + 5 for s in ns["SEEDS"]]
        measured = {}
        for a in ("sigmoid", "relu"):
            chosen = {t: ns["wide_best"][(a, t)] for t in TARGETS}
            used = sorted(set(chosen.values()))
            run = sweep(a, ns["matching_init"](a), ns["WIDE_RATES"][a][used], sizes=ns["WIDE_SIZES"], seeds=held_out)
            measured[a] = {t: run["steps"][t][used.index(chosen[t])] for t in TARGETS}
        counted = {
            a: {t: np.where(np.isnan(s), ns["BUDGET"] + 1, s) for t, s in m.items()} for a, m in measured.items()
        }
        held = [counted["sigmoid"][t].mean() / counted["relu"][t].mean() for t in TARGETS]
        slower = {t: int((counted["sigmoid"][t] > counted["relu"][t]).sum()) for t in TARGETS}
        held_all += held
        print(
            f"rates chosen on seeds {first_seed}-{first_seed + 4}, measured on {held_out[0]}-{held_out[-1]}:"
            " sigmoid (gain 1) / ReLU"
            f" {span(held)}; sigmoid slower in {slower} of 5"
        )
    print(
        f"width 64, over the three seed sets: sigmoid with gain 4 / ReLU {span(gain4_all)};"
        f" held out, gain 1: {span(held_all)}"
    )


def plain_gd():
    print(
        "## plain-gd: 16 units, gradient descent without momentum, rates 0.5 to 64, 100 steps, seeds 0-4, 5-9, 10-14,"
        " rounded; each best rate chosen and scored on the same seeds"
    )
    rates = 2.0 ** (np.arange(-2, 13) / 2)
    for first_seed in (0, 5, 10):
        ns, failed = chapter(first_seed, "import matplotlib", SEEDS_LINE)
        assert not failed, failed
        steps = {}
        for a in ("sigmoid", "tanh", "relu"):
            stack = ns["stacked"](ns["SIZES"], a, ns["matching_init"](a), len(rates))
            record = ns["ensembles"].train(
                stack,
                ns["X_train"],
                ns["y_train"],
                steps=100,
                lr=np.repeat(rates, 5),
                optimizer="sgd",
                momentum=0.0,
                stop_loss=0.1,
                round_bits=ns["ROUND_BITS"],
            )
            steps[a] = {f"loss {t}": record.steps_to(t).reshape(len(rates), -1) for t in ns["LOSS_TARGETS"]}
            steps[a]["error 25 %"] = record.steps_to(0.25, "error").reshape(len(rates), -1)
        ratios = {"sigmoid": [], "tanh": []}
        for t in ns["TARGETS"]:
            best = {a: ns["best_rate"](steps[a][t]) for a in steps}
            per_seed = {a: steps[a][t][best[a]] for a in steps}
            edge = {a for a in best if best[a] in (0, len(rates) - 1)}
            for a in ratios:
                ratios[a].append(per_seed[a].mean() / per_seed["relu"].mean())
            slower = int((per_seed["sigmoid"] > per_seed["relu"]).sum())
            sooner = int((per_seed["tanh"] < per_seed["relu"]).sum())
            print(
                f"seeds {first_seed}-{first_seed + 4}, {t}: best rates "
                + ", ".join(f"{a} {rates[best[a]]:.2f}" for a in best)
                + (f" (an edge of the grid: {sorted(edge)})" if edge else "")
                + f"; sigmoid / relu {ratios['sigmoid'][-1]:.2f}, slower in {slower} of 5;"
                f" tanh / relu {ratios['tanh'][-1]:.2f}, sooner in {sooner} of 5"
            )
        print(
            f"seeds {first_seed}-{first_seed + 4} over the five targets: sigmoid / relu {span(ratios['sigmoid'])},"
            f" tanh / relu {span(ratios['tanh'])}"
        )


SPLIT_LINE = "digits(test_fraction=0.7, dtype=torch.float64)"
ABLATIONS = {
    "data split seed 1": [(SPLIT_LINE, "digits(test_fraction=0.7, seed=1, dtype=torch.float64)")],
    "data split seed 2": [(SPLIT_LINE, "digits(test_fraction=0.7, seed=2, dtype=torch.float64)")],
    "1347 training images (test_fraction 0.25)": [(SPLIT_LINE, "digits(test_fraction=0.25, dtype=torch.float64)")],
    "output layer at the activation's gain": [("            model[-1].weight /= g", "            pass")],
}


def ablations():
    print("## ablations: seeds 0-4, one change at a time; the chapter's sweeps, Adam and test accuracies")
    for name, substitutions in ABLATIONS.items():
        markers = (
            "import matplotlib",
            SEEDS_LINE,
            "\nratios = {a:",  # cell 11, not wide_ratios
            "COARSE =",
            "ADAM_RATES =",
            "adam_tanh_first =",
            "at_target = {}",
            "shared_below_elu = {}",
        )
        ns, failed = chapter(0, *markers, substitutions=substitutions)
        adam_steps = ns["adam_steps"]
        tanh, relu = adam_steps("tanh", "error 25 %"), adam_steps("relu", "error 25 %")
        print(
            f"{name}: Adam, 25 % training error: tanh sooner in {int((tanh < relu).sum())}, ReLU sooner in"
            f" {int((tanh > relu).sum())}, tied in {int((tanh == relu).sum())} of 5; mean steps {tanh.mean():.1f}"
            f" against {relu.mean():.1f} (ratio {tanh.mean() / relu.mean():.2f})"
        )
        print(
            f"{name}: test accuracy at loss 0.1, tanh below ELU at their best rates in"
            f" {ns['paired']['tanh below elu']} of 5, below ReLU in {ns['paired']['tanh below relu']};"
            f" below ELU at every rate where all three reached loss 0.1: {ns['shared_below_elu']}"
        )
        print(f"{name}: checks of those cells that fail:", "; ".join(failed) if failed else "none")


def whole_chapter(name, substitutions):
    print(f"## {name}: the whole chapter, seeds 0-4, the checks that fail")
    ns, failed = chapter(0, substitutions=substitutions)
    print("\n".join(failed) if failed else "none")
    return ns


NO_ROUNDING = [
    ("ROUND_BITS = 20  #", "ROUND_BITS = None  #"),
    (
        "    with torch.no_grad():\n        for p in model.parameters():\n            m, e = np.frexp",
        "    if ROUND_BITS is None:\n        return\n"
        "    with torch.no_grad():\n        for p in model.parameters():\n            m, e = np.frexp",
    ),
]
OUTPUT_GAIN_1 = [
    (
        '            models.append(make_mlp(SIZES, drawn_as, "kaiming", dtype=torch.float64))',
        '            models.append(make_mlp(SIZES, drawn_as, "kaiming", dtype=torch.float64))\n'
        "            models[-1][-1].weight.data /= "
        '(np.sqrt(2.0) if drawn_as == "relu" else np.sqrt(2 / (1 + 0.25 ** 2)))',
    )
]


def output_gain_1():
    ns = whole_chapter("output-gain-1", OUTPUT_GAIN_1)
    print(
        "ReLU: half or more of layer 2 dead at some step, in",
        ns["provoked"],
        "of 5 seeds; slope 0.25 with GD at rate 3:",
        ns["table"][("leaky 0.25", "GD 3")]["training error at the end"],
    )


PARTS = {
    "deep-rates": deep_rates,
    "deep-400": deep_400,
    "wide": wide,
    "plain-gd": plain_gd,
    "ablations": ablations,
    "no-rounding": lambda: whole_chapter("no-rounding", NO_ROUNDING),
    "output-gain-1": output_gain_1,
}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(PARTS)
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        sys.exit(f"unknown part(s) {unknown}; the parts: {', '.join(PARTS)}")
    for part in chosen:
        PARTS[part]()
        sys.stdout.flush()
