"""Summaries, diagnosis and text report of XOR runs (:mod:`actviz.xor.run`).

Every sentence of the diagnosis is chosen by a measured number and quotes it; nothing is
typed in per activation.
"""

from __future__ import annotations

import math

import numpy as np

from actviz.text import fixed, json_round, pct
from actviz.xor.problem import BCE_EPS

LN2 = math.log(2.0)
LAYERS = ("hidden", "output")


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """95% Wilson score interval of a success rate k/n."""
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, mid - half), min(1.0, mid + half)


def _median(a) -> float:
    a = np.asarray(a, dtype=float)
    a = a[np.isfinite(a)]
    return float(np.median(a)) if a.size else math.nan


def _stats(per_record):
    """``(R, S)`` fractions -> start, end and mean over the records (all seeds pooled)."""
    return {"start": json_round(per_record[0].mean()), "end": json_round(per_record[-1].mean()),
            "mean": json_round(per_record.mean())}


def summarize(run, cfg) -> dict:
    """The JSON summary of one activation's runs (keys documented in ``train-xor --help``)."""
    act = run.act
    solved = run.solved
    k, n = int(solved.sum()), int(solved.size)
    lo, hi = wilson(k, n)
    rep = run.representative
    final = run.loss[-1]
    diverged = int((~np.isfinite(run.W1).all(axis=(1, 2)) | ~np.isfinite(run.W2).all(axis=1)
                    ).sum())
    z2 = run.z_end["output"]
    xor_residual = np.abs(z2[:, 0] + z2[:, 1] - z2[:, 2] - z2[:, 3])
    has_pieces = bool(act.affine_maps)
    d = {
        "act": act.label,
        "backend": run.backend,
        "derivative": act.fn.render(1, "sympy"),
        "seeds": n,
        "solved": k,
        "success_rate": json_round(k / n),
        "success_ci95": [json_round(lo), json_round(hi)],
        "final_loss_median": json_round(_median(final)),
        "final_loss_quartiles": [json_round(np.nanpercentile(final, q)) if np.isfinite(final).any()
                                 else None for q in (25, 75)],
        "initial_loss_median": json_round(_median(run.loss[0])),
        "representative_seed": rep,
        "outputs": [json_round(v) for v in run.outputs[rep]],
        "zero_grad_fraction": {layer: _stats(run.zero[layer]) for layer in LAYERS},
        "tiny_grad_fraction": {layer: _stats(run.tiny[layer]) for layer in LAYERS},
        "tiny_grad_threshold": json_round(1e-3 * act.max_abs_derivative),
        "linear_band_fraction": ({layer: _stats(run.band[layer]) for layer in LAYERS}
                                 if has_pieces else None),
        "affine_hidden_fraction": ({"end": json_round(run.affine_hidden[-1].mean()),
                                    "always": json_round(run.affine_hidden.all(axis=0).mean())}
                                   if has_pieces else None),
        "output_xor_residual_median": json_round(_median(xor_residual)),
        "output_saturated_at_start": json_round((run.zero["output"][0] == 1.0).mean()),
        "dead_hidden_units_end": json_round(_dead_units(run).mean()),
        "grad_norms": {layer: {"start_median": json_round(_median(g[0])),
                               "end_median": json_round(_median(g[-1])),
                               "max_median": json_round(_median(np.nanmax(g, axis=0)))}
                       for layer, g in run.grad_norm.items()},
        "clipped_outputs": ({"start": int(run.clipped[0].sum()), "end": int(run.clipped[-1].sum()),
                             "of": 4 * n} if cfg.loss == "bce" else None),
        "diverged": diverged,
        "unsolved_grad_norm": _unsolved_norms(run),
        "zero_gradient_at_start": json_round(((run.grad_norm["hidden"][0] == 0)
                                        & (run.grad_norm["output"][0] == 0)).mean()),
        "weights_unchanged": json_round(run.unchanged.mean()),
        "zero_grad_intervals": [[json_round(a), json_round(b)] for a, b in act.zero_grad_intervals],
    }
    d["diagnosis"] = diagnose(d, act, cfg)
    return d


def _unsolved_norms(run):
    """Median over unsolved seeds of the whole gradient's norm at the start and the end."""
    bad = ~run.solved
    if not bad.any():
        return None
    g = np.hypot(run.grad_norm["hidden"][:, bad], run.grad_norm["output"][:, bad])
    return {"start_median": json_round(_median(g[0])), "end_median": json_round(_median(g[-1]))}


def _dead_units(run):
    """(S,) fraction of hidden units whose derivative is 0 on all four samples at the end."""
    z1 = run.z_end["hidden"]
    return (run.act(z1, 1) == 0.0).all(axis=1).mean(axis=1)


def diagnose(d: dict, act, cfg) -> list[str]:
    """Sentences derived from the measured numbers in ``d``."""
    out = []
    n, k = d["seeds"], d["solved"]
    loss0, loss1 = d["initial_loss_median"], d["final_loss_median"]
    if d["diverged"]:
        out.append(f"{d['diverged']} of {n} seeds diverged (weights became inf or NaN).")
    if loss0 is not None and loss1 is not None:
        out.append(f"Median loss went from {loss0:.4g} at the start to {loss1:.4g} after "
                   f"{cfg.epochs} epochs; {k} of {n} seeds solved XOR.")
    clip = d["clipped_outputs"]
    if clip and clip["start"]:
        out.append(f"At the start {clip['start']} of {clip['of']} outputs were outside "
                   f"[{BCE_EPS:g}, 1-{BCE_EPS:g}] and were clipped in the BCE, where the clipped "
                   f"loss has zero gradient; {clip['end']} still were at the end.")
    elif clip and clip["end"]:
        out.append(f"At the end {clip['end']} of {clip['of']} outputs were exactly at or beyond "
                   f"0 or 1 and were clipped in the BCE (zero gradient there).")
    if cfg.loss == "bce" and loss1 is not None and abs(loss1 - LN2) < 0.01:
        outs = np.array([v for v in d["outputs"] if v is not None])
        out.append(f"The median final loss is within {abs(loss1 - LN2):.1g} of ln 2 = 0.6931, "
                   f"the loss of answering 0.5 everywhere; the representative seed's outputs "
                   f"lie within {np.max(np.abs(outs - 0.5)):.2g} of 0.5.")
    sat = d["output_saturated_at_start"]
    if sat:
        out.append(f"On {pct(sat)} of seeds the output unit started with f' = 0 on all four "
                   f"samples, so no gradient reached any weight of those nets.")
    aff = d["affine_hidden_fraction"]
    if aff and aff["end"]:
        when = (f"at every recorded epoch on {pct(aff['always'])} of seeds and at the end on "
                f"{pct(aff['end'])}") if aff["always"] else f"at the end on {pct(aff['end'])}"
        text = (f"Every hidden unit kept its four pre-activations inside one linear piece of "
                f"f {when}; there the hidden layer is an affine map of the input, so the output "
                f"pre-activation obeys z(0,1) + z(1,0) = z(1,1) + z(0,0) (median residual over "
                f"all seeds: {d['output_xor_residual_median']:.2g})")
        if act.non_decreasing:
            text += (", and with a non-decreasing f no such net can put both (0,1) and (1,0) "
                     "above both (1,1) and (0,0)")
        out.append(text + ".")
    band = d["linear_band_fraction"]
    if band:
        out.append(f"Hidden pre-activations in the linear band (f' ≠ 0 on a linear piece): "
                   f"{pct(band['hidden']['start'])} at the start, "
                   f"{pct(band['hidden']['end'])} at the end.")
    zero = d["zero_grad_fraction"]
    for layer in ("hidden", "output"):
        z = zero[layer]
        if z["end"] or z["start"]:
            out.append(f"f' = 0 for {pct(z['start'])} of {layer} (unit, sample) pairs at the "
                       f"start and {pct(z['end'])} at the end (mean over training "
                       f"{pct(z['mean'])}).")
    if d["dead_hidden_units_end"]:
        out.append(f"{pct(d['dead_hidden_units_end'])} of hidden units ended with f' = 0 on "
                   f"all four samples (dead: they pass no gradient).")
    g = d["grad_norms"]
    gh0, gh1 = g["hidden"]["start_median"], g["hidden"]["end_median"]
    go0, go1 = g["output"]["start_median"], g["output"]["end_median"]
    if None not in (gh0, gh1, go0, go1):
        out.append(f"Median gradient norm, hidden layer {gh0:.2g} -> {gh1:.2g}, output layer "
                   f"{go0:.2g} -> {go1:.2g}.")
    if d["zero_gradient_at_start"]:
        out.append(f"On {pct(d['zero_gradient_at_start'])} of seeds the gradient was exactly "
                   f"zero in both layers at the start; {pct(d['weights_unchanged'])} of seeds "
                   f"ended with exactly their initial weights.")
    u = d["unsolved_grad_norm"]
    if u and None not in u.values() and u["start_median"] > 0 and not sat and (
            u["end_median"] < 0.05 * u["start_median"]):
        out.append(f"The {n - k} unsolved seed{'s' if n - k > 1 else ''} did not lack "
                   f"gradient at the start (median "
                   f"norm {u['start_median']:.2g}); at the end it was {u['end_median']:.2g}, "
                   f"yet XOR was not solved.")
    return out


def format_text(result) -> str:
    """The human-readable report of an :class:`actviz.xor.XorResult`."""
    c = result.config
    lines = [
        f"train-xor: 2-{c.hidden}-1 net, bias by an appended 1, init {c.init} "
        f"(scale {c.init_scale:g}), same activation in both layers, loss {c.loss}, SGD lr "
        f"{c.lr:g}, {c.update} updates, {c.epochs} epochs, {c.seeds} seeds from seed {c.seed}",
        "samples (0,1) (1,0) (1,1) (0,0), targets 1 1 0 0; solved = all four outputs on the "
        "right side of 0.5",
    ]
    for run in result.runs:
        d = run.summary
        lo, hi = d["success_ci95"]
        q1, q3 = d["final_loss_quartiles"]
        outs = "  ".join(f"{fixed(v, '.3f')}" for v in d["outputs"])
        lines += [
            "",
            f"{d['act']}  [{d['backend']}]",
            f"  solved         {d['solved']}/{d['seeds']} seeds ({pct(d['success_rate'])}, "
            f"95% CI {pct(lo)}-{pct(hi)})",
            f"  final loss     median {fixed(d['final_loss_median'])} (quartiles {fixed(q1)}, "
            f"{fixed(q3)}); at the start {fixed(d['initial_loss_median'])}",
            f"  f'(x)          {run.act.fn.render(1, 'line')}",
            f"  outputs        {outs}   (seed #{d['representative_seed']}, median final loss)",
        ]
        for layer in LAYERS:
            z, t = d["zero_grad_fraction"][layer], d["tiny_grad_fraction"][layer]
            band = d["linear_band_fraction"]
            b = band[layer] if band else None
            lines.append(
                f"  {layer:<7}f'=0  {pct(z['start'])} -> {pct(z['end'])}; |f'|<1e-3 max "
                f"{pct(t['start'])} -> {pct(t['end'])}; linear band "
                + (f"{pct(b['start'])} -> {pct(b['end'])}" if b else "n/a")
                + f"; grad norm {fixed(d['grad_norms'][layer]['start_median'], '.2g')} -> "
                f"{fixed(d['grad_norms'][layer]['end_median'], '.2g')}")
        lines.append("  diagnosis")
        lines += [f"    - {s}" for s in d["diagnosis"]]
    lines += ["", "(start -> end: fractions over all seeds and (unit, sample) pairs; grad norm: "
              "median over seeds of the norm of the gradient of the mean loss)"]
    return "\n".join(lines)
