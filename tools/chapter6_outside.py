"""The runs behind chapter 6's numbers "checked outside the chapter" that `make seed-sets` does not print.

    python -m nonlin.reproducible python tools/chapter6_outside.py [PART ...]   (what `make chapter6-outside` runs)

With no PART, every part runs, in this order (minutes on two cores; not a test):

    deep-rates     the deep networks (10 hidden layers of 16) at rates 0.01 to 2, 60 steps, seeds 0-4, 5-9, 10-14,
                   and the gain-4 sigmoid against ReLU with Kaiming's, each at its own best rate
    deep-400       the deep sigmoid with gain 4 and ReLU with Kaiming's for 400 steps, seeds 0-14, at rate 0.05 and at
                   each one's best rate chosen by deep-rates on seeds 0-4 (0.5 and 0.02): per seed the lowest and the
                   final loss and the dead units at step 0 and at the end (per layer); and every initial parameter
                   changed by a relative 1e-12 (seeds 0-4, 60 steps)
    deep-adam      the same deep networks, initialisations and seeds trained with Adam (rates 0.003, 0.01, 0.03; 200
                   steps, seeds 0-4, 5-9, 10-14): whether the set-ups that stay at ln 10 with momentum leave it
    wide           width 64: the sigmoid with gain 4 at 8 rates against ReLU, and the held-out test (rates chosen
                   on seeds s..s+4, steps measured on s+5..s+9), for s = 0, 5, 10
    plain-gd       16 units, gradient descent without momentum: rates 0.5 to 64 (a factor of sqrt 2 apart),
                   100 steps, seeds 0-4, 5-9, 10-14, the sigmoid and tanh against ReLU
    ablations      seeds 0-4, the chapter's sweeps, Adam and test accuracies with four changes one at a time: the
                   data split drawn with seed 1 and with seed 2, a training set of 1347 images (test_fraction 0.25)
                   and the output layer at the activation's gain: Adam's tanh against ReLU at 25 % training error,
                   and tanh's test accuracy against ELU's at the best rates and at every shared rate
    dying-ablations  the dying-ReLU runs (cells 35, 38), seeds 0-4, with the data split drawn with seed 1 and with
                   seed 2 and with 1347 training images: which seeds rate 2 kills units in; every run whose loss
                   went above 1e4 or overflowed, with its highest loss
    init-11        the initialisation ablation (cell 13) on all 11 rates of the main sweep, seeds 0-4, 5-9, 10-14
    init-ablations the sigmoid against ReLU, both on the default initialisation, 11 rates, seeds 0-4, under each
                   change of the data in the ablations part
    accuracy-targets  the test accuracies of cell 30 read at training loss 0.3 and 0.05, seeds 0-4, 5-9, 10-14
    no-rounding    the whole chapter without the 20-bit rounding: the checks that fail
    output-gain-1  the whole chapter with gain 1 on the dying-ReLU networks' output layer: the checks that fail
    two-paths      the main sweep's 220 networks (seeds 0-4) after one update, unrounded and rounded, and after 40
                   rounded steps, on the default code path and with the settings of `make test-other-cpu`: how far
                   apart the parameters are and the chance per parameter and step of a rounding boundary between them

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

DEEP_RATES = [0.01, 0.02, 0.035, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0]
GAIN4, KAIMING = ("sigmoid", "xavier, gain 4 (hidden layers)"), ("relu", "kaiming")
# The rates deep-rates chooses on seeds 0-4 (the lowest mean final loss after 60 steps), which deep-400 reuses
DEEP_BEST = {GAIN4: 0.5, KAIMING: 0.02}
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
                int((np.nan_to_num(last[j], nan=np.inf) - lowest[j] > 1).sum()) for j in range(len(DEEP_RATES))
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
        # Each set-up at its own best rate, by the chapter's rule for the sweeps: the lowest mean final loss (a
        # diverged run counted as infinite), chosen on these seeds, and chosen on seeds 0-4 (DEEP_BEST) and reused.
        ended = {key: np.nan_to_num(final[key], nan=np.inf) for key in (GAIN4, KAIMING)}
        own = {key: int(np.argmin(v.mean(axis=1))) for key, v in ended.items()}
        if first_seed == 0:
            assert {key: DEEP_BEST[key] for key in own} == {key: DEEP_RATES[j] for key, j in own.items()}, own
        for label, chosen in (
            ("chosen on these seeds", own),
            ("chosen on seeds 0-4", {key: DEEP_RATES.index(DEEP_BEST[key]) for key in own}),
        ):
            g, k = ended[GAIN4][chosen[GAIN4]], ended[KAIMING][chosen[KAIMING]]
            gl, kl = low_all[GAIN4][chosen[GAIN4]], low_all[KAIMING][chosen[KAIMING]]
            edge = [key[0] for key, j in chosen.items() if j in (0, len(DEEP_RATES) - 1)]
            print(
                f"seeds {first_seed}-{first_seed + 4}, each at its best rate {label}: ReLU/Kaiming at"
                f" {DEEP_RATES[chosen[KAIMING]]}, final {span(k)} (mean {k.mean():.2f}), lowest {span(kl)};"
                f" gain-4 sigmoid at {DEEP_RATES[chosen[GAIN4]]}, final {span(g)} (mean {g.mean():.2f}),"
                f" lowest {span(gl)}; ReLU/Kaiming ended lower in {int((k < g).sum())} of 5, its lowest lower in"
                f" {int((kl < gl).sum())} of 5" + (f"; at an edge of the grid: {edge}" if edge else "")
            )
    for (activation, init), (distance, diverged, low) in stuck.items():
        print(
            f"{activation}, {init}, rates 0.01-2, seeds 0-14: largest distance of a final loss from ln 10 ="
            f" {np.log(10):.4f}: {distance:.1e}; diverged: {diverged} of {15 * len(DEEP_RATES)};"
            f" lowest loss at any step: {low:.4f}"
        )


def deep_400():
    print("## deep-400: 400 steps, momentum 0.9, unrounded, at rate 0.05 and at each set-up's best rate of deep-rates")
    ns, failed = chapter(0, "import matplotlib", SEEDS_LINE, "DEPTH_SIZES =")
    assert not failed, failed
    ensembles, torch = ns["ensembles"], ns["torch"]
    ended = {}
    for key in (GAIN4, KAIMING):
        rates = [0.05, DEEP_BEST[key]]
        stack = ns["stacked"](
            ns["DEPTH_SIZES"], key[0], key[1].split(",")[0], len(rates), seeds=range(15), **ns["DEPTH"][key]
        )
        both = ensembles.train(
            stack, ns["X_train"], ns["y_train"], steps=400, lr=np.repeat(rates, 15), optimizer="sgd", momentum=0.9
        )
        for j, rate in enumerate(rates):
            copies = slice(15 * j, 15 * (j + 1))
            losses = both.loss[:, copies]
            last, lowest, at = losses[-1], np.nanmin(losses, axis=0), np.nanargmin(losses, axis=0)
            ended[(key, rate)] = (np.nan_to_num(last, nan=np.inf), lowest)
            guessing = np.abs(last - np.log(10)) < 0.1
            print(
                f"{key[0]}, {key[1]}, rate {rate}, seeds 0-14, 400 steps (one yardstick for both set-ups): final loss"
                f" {span(last)} (median {np.nanmedian(last):.2f}), lowest loss in the run {span(lowest)};"
                f" final below 1.0 in {int((last < 1.0).sum())}, final below 2.25 in {int((last < 2.25).sum())},"
                f" lowest below 2.25 in {int((lowest < 2.25).sum())}, lowest below 1.0 in {int((lowest < 1.0).sum())},"
                f" final within 0.1 of ln 10 in {int(guessing.sum())} of 15; final more than 1 above the lowest in"
                f" {int((np.nan_to_num(last, nan=np.inf) - lowest > 1).sum())}; final equal to the lowest in"
                f" {int((at == 400).sum())}"
            )
            if key[0] == "relu":
                dead_end = both.dead[-1, copies]  # [seed, hidden layer], units dead on the training set at the end
                dead_start = both.dead[0, copies].sum(axis=1)  # dead units of 160 at step 0 (initialisation)
                full = [[layer + 1 for layer, n in enumerate(row) if n == 16] for row in dead_end]
                for k in range(15):
                    print(
                        f"    seed {k}: lowest {lowest[k]:.2f} at step {at[k]}, final {last[k]:.2f};"
                        f" dead units (of 160) at step 0 {dead_start[k]}, at the end {dead_end[k].sum()};"
                        f" dead units per hidden layer at the end {dead_end[k].tolist()}"
                        + (f", all 16 dead in layer(s) {full[k]}" if full[k] else "")
                    )
                near = np.flatnonzero(guessing)
                print(
                    f"    rate {rate}: seeds ending within 0.1 of ln 10: {near.tolist()};"
                    f" of them with a whole hidden layer dead at the end: {sum(bool(full[k]) for k in near)};"
                    f" seeds with a whole hidden layer dead at the end: {sum(bool(f) for f in full)};"
                    f" dead units at the end (of 160), per seed: {dead_end.sum(axis=1).tolist()}"
                )
                total_end = dead_end.sum(axis=1)
                worst = np.flatnonzero(np.round(np.nan_to_num(last, nan=np.inf), 2) >= 0.1)  # to two digits, as printed
                most_dead = np.argsort(-total_end, kind="stable")[: len(worst)]
                print(
                    f"    rate {rate}: dead units at step 0 (of 160), per seed: {dead_start.tolist()};"
                    f" more than twice as many at the end as at step 0 in {int((total_end > 2 * dead_start).sum())}"
                    f" of 15 seeds; seeds ending at loss 0.10 or above (two digits): {worst.tolist()} (dead at the end"
                    f" {total_end[worst].tolist()}); the {len(worst)} seeds with the most dead units at the end:"
                    f" {sorted(most_dead.tolist())}; largest at the end among the other seeds:"
                    f" {int(np.delete(total_end, worst).max()) if len(worst) < 15 else 'none'}"
                )
    for pair in ((0.05, 0.05), (DEEP_BEST[KAIMING], DEEP_BEST[GAIN4])):
        (k, kl), (g, gl) = ended[(KAIMING, pair[0])], ended[(GAIN4, pair[1])]
        for name, seeds in (("0-4", slice(0, 5)), ("5-9", slice(5, 10)), ("10-14", slice(10, 15))):
            print(
                f"400 steps, seeds {name}, ReLU/Kaiming at {pair[0]} against the gain-4 sigmoid at {pair[1]}:"
                f" ReLU/Kaiming ended lower in {int((k[seeds] < g[seeds]).sum())} of 5 (means"
                f" {k[seeds].mean():.2f} and {g[seeds].mean():.2f}), its lowest lower in"
                f" {int((kl[seeds] < gl[seeds]).sum())}"
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


def init_ablations():
    print(
        "## init-ablations: the sigmoid against ReLU, both with PyTorch's default initialisation, each at its own best"
        " of the 11 rates, seeds 0-4, under each change of the data in the ablations part (the output layer's gain"
        " is not one here: with the default initialisation the chapter leaves the output layer as PyTorch draws it)"
    )
    for name, substitutions in ABLATIONS.items():
        if name == "output layer at the activation's gain":
            continue
        ns, failed = chapter(0, "import matplotlib", SEEDS_LINE, "COARSE =", substitutions=substitutions)
        rates, sweep, best_rate = ns["RATES"], ns["sweep"], ns["best_rate"]
        full = {a: sweep(a, "default", rates) for a in ("sigmoid", "relu")}
        for t in ("loss 1.0", "error 25 %"):
            sigmoid, relu = (full[a]["steps"][t][best_rate(full[a]["steps"][t])] for a in ("sigmoid", "relu"))
            print(
                f"{name}, {t}: sigmoid later in {int((sigmoid > relu).sum())}, sooner in {int((sigmoid < relu).sum())},"
                f" tied in {int((sigmoid == relu).sum())} of 5; ratio of mean steps {sigmoid.mean() / relu.mean():.2f}"
            )


def init_11():
    print(
        "## init-11: the initialisation ablation on all 11 rates of the main sweep (cell 13 uses six), seeds 0-4, 5-9,"
        " 10-14; each initialisation at its own best of the 11 rates"
    )
    for first_seed in (0, 5, 10):
        ns, failed = chapter(first_seed, "import matplotlib", SEEDS_LINE, "COARSE =")
        RATES, sweep, best_rate, sweeps = ns["RATES"], ns["sweep"], ns["best_rate"], ns["sweeps"]
        full = {(a, "default"): sweep(a, "default", RATES) for a in ("sigmoid", "tanh", "relu")}
        full.update({("sigmoid", "gain 1"): sweeps["sigmoid"], ("sigmoid", "gain 4"): ns["sigmoid_gain4"]})
        full.update({("tanh", "xavier"): sweeps["tanh"], ("relu", "kaiming"): sweeps["relu"]})
        tag = f"seeds {first_seed}-{first_seed + 4}"
        for t in ("loss 1.0", "loss 0.1", "error 25 %"):
            chosen = {key: best_rate(r["steps"][t]) for key, r in full.items()}
            steps = {key: full[key]["steps"][t][i] for key, i in chosen.items()}
            edge = [key for key, i in chosen.items() if i in (0, len(RATES) - 1)]

            def compare(one, other):
                """one against other: sooner, later (seeds of 5) and the ratio of mean steps."""
                x, y = steps[one], steps[other]
                return f"{int((x < y).sum())} sooner, {int((x > y).sum())} later, ratio {x.mean() / y.mean():.2f}"

            print(
                f"{tag}, {t}: best rates "
                + ", ".join(f"{a} {init} {RATES[i]:.2f}" for (a, init), i in chosen.items())
                + (f" (an edge of the grid: {edge})" if edge else "")
            )
            print(f"    ReLU default against Kaiming: {compare(('relu', 'default'), ('relu', 'kaiming'))}")
            print(f"    tanh default against Xavier: {compare(('tanh', 'default'), ('tanh', 'xavier'))}")
            print(f"    tanh default against ReLU Kaiming: {compare(('tanh', 'default'), ('relu', 'kaiming'))}")
            print(
                f"    tanh against ReLU, both default: {compare(('tanh', 'default'), ('relu', 'default'))};"
                f" both matched: {compare(('tanh', 'xavier'), ('relu', 'kaiming'))}"
            )
            print(f"    sigmoid gain 4 against gain 1: {compare(('sigmoid', 'gain 4'), ('sigmoid', 'gain 1'))}")
            print(f"    sigmoid default against ReLU default: {compare(('sigmoid', 'default'), ('relu', 'default'))}")


def accuracy_targets():
    print(
        "## accuracy-targets: the test accuracy of cell 30 read at training loss 0.3 (budget 40 steps) and 0.05"
        " (budget 80) instead of 0.1, seeds 0-4, 5-9, 10-14; each activation at its best rate for that loss"
    )
    for first_seed in (0, 5, 10):
        ns, failed = chapter(first_seed, "import matplotlib", SEEDS_LINE)
        assert not failed, failed
        RATES, ensembles = ns["RATES"], ns["ensembles"]
        for stop, budget in ((0.3, 40), (0.05, 80)):
            accuracy, best = {}, {}
            for a in ("tanh", "relu", "elu"):
                stack = ns["stacked"](ns["SIZES"], a, ns["matching_init"](a), len(RATES))
                record = ensembles.train(
                    stack,
                    ns["X_train"],
                    ns["y_train"],
                    steps=budget,
                    lr=np.repeat(RATES, 5),
                    optimizer="sgd",
                    momentum=0.9,
                    stop_loss=stop,
                    round_bits=ns["ROUND_BITS"],
                )
                steps = record.steps_to(stop).reshape(len(RATES), -1)
                best[a] = ns["best_rate"](steps)
                predicted = ensembles.predict(stack, ns["X_test"])
                accuracy[a] = {
                    j: (predicted[5 * j : 5 * (j + 1)] == ns["y_test"]).double().mean(dim=1).numpy()
                    for j in range(len(RATES))
                    if not np.isnan(steps[j]).any()
                }
            at_best = {a: accuracy[a][best[a]] for a in accuracy}
            shared = [j for j in range(len(RATES)) if all(j in accuracy[a] for a in accuracy)]
            rates = {a: round(float(RATES[i]), 2) for a, i in best.items()}
            means = {a: round(float(v.mean()), 3) for a, v in at_best.items()}
            print(
                f"seeds {first_seed}-{first_seed + 4}, read at loss {stop}: best rates"
                f" {rates}; at the best rates tanh below ReLU in"
                f" {int((at_best['tanh'] < at_best['relu']).sum())} of 5, below ELU in"
                f" {int((at_best['tanh'] < at_best['elu']).sum())} of 5 (means"
                f" {means})"
            )
            print(
                "    at every rate where all three reached it in every seed, tanh below ReLU / below ELU in (of 5): "
                + ", ".join(
                    f"{RATES[j]:.2f}: {int((accuracy['tanh'][j] < accuracy['relu'][j]).sum())}"
                    f" / {int((accuracy['tanh'][j] < accuracy['elu'][j]).sum())}"
                    for j in shared
                )
            )


DEEP_ADAM_RATES = [0.003, 0.01, 0.03]


def deep_adam():
    print(
        "## deep-adam: the deep networks (10 hidden layers of 16) of the chapter's depth section, the same"
        " initialisations and seeds, trained with Adam instead of gradient descent with momentum: rates"
        f" {DEEP_ADAM_RATES}, 200 steps, unrounded, seeds 0-4, 5-9, 10-14"
    )
    guess = np.log(10)
    for first_seed in (0, 5, 10):
        ns, failed = chapter(first_seed, "import matplotlib", SEEDS_LINE, "DEPTH_SIZES =")
        assert not failed, failed
        ensembles = ns["ensembles"]
        for (activation, init), kwargs in ns["DEPTH"].items():
            stack = ns["stacked"](ns["DEPTH_SIZES"], activation, init.split(",")[0], len(DEEP_ADAM_RATES), **kwargs)
            record = ensembles.train(
                stack, ns["X_train"], ns["y_train"], steps=200, lr=np.repeat(DEEP_ADAM_RATES, 5), optimizer="adam"
            )
            for j, rate in enumerate(DEEP_ADAM_RATES):
                copies = slice(5 * j, 5 * (j + 1))
                loss, error = record.loss[:, copies], record.error[:, copies]
                low60, low200 = np.nanmin(loss[:61], axis=0), np.nanmin(loss, axis=0)
                print(
                    f"seeds {first_seed}-{first_seed + 4}, {activation}, {init}, Adam {rate}: loss after 60 steps"
                    f" {span(loss[60])}, after 200 {span(loss[-1])}; lowest in 200 steps {span(low200)};"
                    f" training error after 200 steps {span(error[-1])}; seeds that went more than 0.1 below"
                    f" ln 10 within 60 steps: {int((low60 < guess - 0.1).sum())} of 5, within 200:"
                    f" {int((low200 < guess - 0.1).sum())} of 5"
                )


def dying_ablations():
    print(
        "## dying-ablations: the dying-ReLU runs (cells 35 and 38), seeds 0-4, with the data split drawn with seed 1"
        " and with seed 2, and with 1347 training images (test_fraction 0.25)"
    )
    for name in ("data split seed 1", "1347 training images (test_fraction 0.25)", "data split seed 2"):
        markers = ("import matplotlib", SEEDS_LINE, "def provoke(", "# Check the claims about dying")
        ns, failed = chapter(0, *markers, substitutions=ABLATIONS[name])
        table, dying = ns["table"], ns["dying"]
        for key in (("relu", "GD 2"), ("relu", "GD 3"), ("relu", "Adam 0.3")):
            print(
                f"{name}: ReLU, {key[1]}: layer 2 dead at most {table[key]['layer 2 dead: most']}, training error at"
                f" the end {table[key]['training error at the end']}"
            )
        print(f"{name}: ReLU, GD at rate 2: some layer-2 unit dead at some step, in {ns['killed_by_2']} of 5 seeds")
        print(f"{name}: ReLU, half or more of layer 2 dead at some step: {ns['provoked']}")
        print(
            f"{name}: Adam at 0.3, training error at the end: Leaky ReLU 0.25 {ns['leaky_fine']},"
            f" PReLU {ns['prelu_fine']}"
        )
        print(
            f"{name}: Leaky ReLU 0.01, GD 3: diverged in {ns['diverged_001']} of 5 seeds"
            f" (slope 0.25: {ns['diverged_025']}), training error of the others {ns['fit_001']}"
        )
        for key, result in dying.items():
            loss = result["record"].loss
            for n in range(5):
                column = loss[:, n]
                finite = np.isfinite(column)
                if np.nanmax(column) > ns["LOSS_BOUND"] or not finite.all():
                    print(
                        f"    {key[0]}, {key[1]}, seed {n}: highest loss {np.nanmax(column):.1e} at step"
                        f" {int(np.nanargmax(column))}; "
                        + (
                            f"overflowed (last finite at step {int(np.flatnonzero(finite)[-1])})"
                            if not finite.all()
                            else f"came back: loss at the end {column[-1]:.2f}"
                        )
                        + ("; marked diverged" if table[key]["layer 2 dead: most"][n] == "diverged" else "; not marked")
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


OTHER_CPU = {  # the settings of `make test-other-cpu` (the Makefile)
    "ATEN_CPU_CAPABILITY": "default",
    "MKL_CBWR": "COMPATIBLE",
    "OPENBLAS_CORETYPE": "Prescott",
    "NPY_DISABLE_CPU_FEATURES": "AVX AVX2 FMA3 F16C AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL",
}


def save_updates(path):
    """In this process's code path: the main sweep's 220 networks (seeds 0-4) after one update unrounded, after one
    rounded update and after 40 rounded steps; every weight and bias, saved to path (.npz)."""
    ns, failed = chapter(0, "import matplotlib", SEEDS_LINE)
    assert not failed, failed
    out = {}
    for activation in ns["ACTIVATION_NAMES"]:
        for bits, steps in ((None, 1), (20, 1), (20, 40)):
            stack = ns["stacked"](ns["SIZES"], activation, ns["matching_init"](activation), len(ns["RATES"]))
            ns["ensembles"].train(
                stack,
                ns["X_train"],
                ns["y_train"],
                steps=steps,
                lr=np.repeat(ns["RATES"], 5),
                optimizer="sgd",
                momentum=0.9,
                round_bits=bits,
                stop_loss=0.1,
            )
            for k, p in enumerate(list(stack.weights) + list(stack.biases)):
                out[f"{activation}_{bits}_{steps}_{k}"] = p.numpy().copy()
    np.savez(path, **out)


def two_paths():
    import os
    import subprocess
    import tempfile

    print(
        "## two-paths: the main sweep's 220 networks (seeds 0-4) after one update, on this machine's default code path"
        " and with the settings of `make test-other-cpu`: how far apart the float64 parameters are, and the chance"
        " that one lies within that distance of a 20-bit rounding boundary"
    )
    with tempfile.TemporaryDirectory() as folder:
        saved = []
        for name, extra in (("default", {}), ("other CPU path", OTHER_CPU)):
            path = str(Path(folder) / f"{name.split()[0]}.npz")
            subprocess.run([sys.executable, __file__, "--save-updates", path], env={**os.environ, **extra}, check=True)
            saved.append(np.load(path))
        a, b = saved
        for bits, steps in ((None, 1), (20, 1), (20, 40)):
            keys = [k for k in a.files if k.split("_")[1:3] == [str(bits), str(steps)]]
            x = np.concatenate([a[k].ravel() for k in keys])
            y = np.concatenate([b[k].ravel() for k in keys])
            differ = x != y
            label = f"{steps} step(s), " + ("unrounded" if bits is None else f"rounded to {bits} bits")
            print(f"{label}: {int(differ.sum())} of {x.size} parameters differ between the two paths")
            if bits is None and differ.any():
                relative = np.abs(x - y)[differ] / np.maximum(np.abs(x[differ]), np.abs(y[differ]))
                chance = np.minimum(1.0, relative * 2.0**20).sum() / x.size
                print(
                    f"    relative difference of those that differ: median {np.median(relative):.1e}, largest"
                    f" {relative.max():.1e}; above 1e-14 in {100 * (relative > 1e-14).mean():.1f} % of them; the"
                    f" chance per parameter and step that the 20-bit rounding of the two differs (the mean over every"
                    f" parameter of min(1, relative difference x 2^20)): {chance:.1e}; over the 40 steps"
                    f" of the main sweep ({40 * x.size:.1e} parameter updates, a bound: most runs stop earlier):"
                    f" {40 * x.size * chance:.2f} expected"
                )


PARTS = {
    "deep-rates": deep_rates,
    "deep-400": deep_400,
    "deep-adam": deep_adam,
    "wide": wide,
    "plain-gd": plain_gd,
    "ablations": ablations,
    "init-11": init_11,
    "init-ablations": init_ablations,
    "dying-ablations": dying_ablations,
    "accuracy-targets": accuracy_targets,
    "no-rounding": lambda: whole_chapter("no-rounding", NO_ROUNDING),
    "output-gain-1": output_gain_1,
    "two-paths": two_paths,
}

if __name__ == "__main__":
    if sys.argv[1:2] == ["--save-updates"]:  # two-paths runs this in each code path
        save_updates(sys.argv[2])
        sys.exit()
    chosen = sys.argv[1:] or list(PARTS)
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        sys.exit(f"unknown part(s) {unknown}; the parts: {', '.join(PARTS)}")
    for part in chosen:
        PARTS[part]()
        sys.stdout.flush()
