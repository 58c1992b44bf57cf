"""The report of ``actviz approx``: text and JSON (``to_dict``, keys stable and documented in
the command's help)."""

from __future__ import annotations

from actviz.text import json_number as _jn
from actviz.text import num, region


def json_number(v):
    return None if v is None else _jn(v)


def _n(v, digits=7):
    return "n/a" if v is None else num(v, digits=digits)


def _x(v, symmetric=False):
    if v is None:
        return "n/a"
    if abs(v) < 1e-12:
        return "0"
    s = f"{abs(v):.4g}" if symmetric else f"{v:.4g}"
    return ("±" + s) if symmetric and v != 0 else s


def _zero(ivs) -> str:
    if not ivs:
        return "nowhere"
    return region([[("-inf" if a is None else a), ("inf" if b is None else b)] for a, b in ivs])


def approximation_dict(a) -> dict:
    return {
        "label": a.label, "kind": a.kind, "expr": a.expr, "params": a.params,
        "max_abs_error": json_number(a.max_abs_error),
        "argmax": a.argmax, "symmetric": a.symmetric,
        "max_rel_error": json_number(a.max_rel_error),
        "argmax_rel": a.argmax_rel,
        "max_abs_error_derivative": json_number(a.max_abs_error_derivative),
        "argmax_derivative": a.argmax_derivative,
        "zero_derivative": a.zero_derivative,
        "certified_over": a.certified_over,
        "checks": [c.to_dict() for c in a.checks],
        "cost_ns": None if a.cost_ns is None else round(a.cost_ns, 4),
        "operations": a.operations,
        "numpy_code": a.numpy_code, "c_code": a.c_code,
    }


def compare_dict(a) -> dict:
    d = approximation_dict(a)
    return {"name": a.label, **{k: d[k] for k in (
        "max_abs_error", "argmax", "symmetric", "max_rel_error", "argmax_rel",
        "max_abs_error_derivative", "argmax_derivative", "zero_derivative", "certified_over",
        "checks", "cost_ns", "operations")}}


def to_dict(res) -> dict:
    return {
        "target": res.target, "range": list(res.x_range), "metric": res.metric,
        "continuous": res.continuous,
        "results": [approximation_dict(a) for a in res.results],
        "compare": [compare_dict(a) for a in res.compare],
        "target_cost_ns": None if res.target_cost_ns is None else round(res.target_cost_ns, 4),
        "target_operations": res.target_operations,
        "floor_ns": None if res.floor_ns is None else round(res.floor_ns, 4),
        "machine": res.machine,
        "train": res.train.to_dict() if res.train is not None else None,
        "signal": res.signal,
    }


def _block(a, res) -> list[str]:
    lines = [f"{a.label}:"] if a.kind != "existing" else [f"{a.label} (existing):"]
    if a.kind != "existing":
        lines.append(f"  expression   {a.expr}")
    lines.append(f"  max |error|  {_n(a.max_abs_error)} at x = {_x(a.argmax, a.symmetric)}"
                 f"; relative {_n(a.max_rel_error, 4)} at x = {_x(a.argmax_rel)}")
    lines.append(f"  f' error     {_n(a.max_abs_error_derivative, 4)} at x = "
                 f"{_x(a.argmax_derivative)}; f' = 0 {'for' if a.zero_derivative else ''}"
                 f"{' ' if a.zero_derivative else ''}{_zero(a.zero_derivative)}")
    for c in a.checks:
        if c.skipped:
            lines.append(f"  {c.what:<12} skipped: {c.skipped}")
            continue
        rounded = ("" if c.max_abs_error_rounded is None else
                   f", output rounded {_n(c.max_abs_error_rounded, 4)}")
        lines.append(f"  {c.what:<12} {_n(c.max_abs_error)} at x = {_x(c.argmax)}, f' "
                     f"{_n(c.max_abs_error_derivative, 4)}{rounded} ({c.brief})")
    if a.cost_ns is not None:
        lines.append(f"  cost         {a.cost_ns:.3g} ns/value, {a.operations} operations")
    return lines


def format_text(res, code: str | None = None) -> str:
    """The text report; ``code`` ("numpy" or "c") appends that code for each result."""
    lo, hi = res.x_range
    how = "minimax (largest |error|)" if res.metric == "max" else "least squares (l2)"
    out = [f"{res.target} on [{lo:g}, {hi:g}], {how}"]
    for a in res.results + res.compare:
        out += [""] + _block(a, res)
    if res.target_cost_ns is not None:
        out += ["", f"{res.target} itself: {res.target_cost_ns:.3g} ns/value, "
                    f"{res.target_operations} operations; copy floor {res.floor_ns:.3g} "
                    f"ns/value (float32, {res.machine})"]
    if code is not None:
        for a in res.results:
            text = a.numpy_code if code == "numpy" else a.c_code
            out += ["", f"# {a.label}", text.rstrip() if text else f"(no {code} form)"]
    if res.train is not None:
        from actviz.xor import format_text as xor_text

        out += ["", "XOR nets with the target and each approximation:", xor_text(res.train)]
    if res.signal is not None:
        from actviz.approx.propagation import format_rows

        out += ["", "At initialization in a deep net (actviz signal):", *format_rows(res.signal)]
        out += [f"  {r['name']}: {r['eoc_note']}" for r in res.signal if r["eoc_note"]]
    return "\n".join(out)
