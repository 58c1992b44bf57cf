"""The text report of a stability scan (the JSON is ``StabilityResult.to_dict()``)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from actviz.stability.scan import KINDS, Interval, Scan, StabilityResult
from actviz.text import x_value

MAX_INTERVALS_SHOWN = 6


def format_interval(iv: Interval) -> str:
    if iv.lo == iv.hi:
        return f"{{{x_value(iv.lo)}}}"
    return f"[{x_value(iv.lo)}, {x_value(iv.hi)}]"


@dataclass
class Span:
    """Runs of one kind close together, shown as one: ``bad`` of its ``points`` fail."""

    kind: str
    lo: float
    hi: float
    bad: int
    points: int
    start: int = field(default=0, repr=False)


def spans(s: Scan, kind: str) -> list[Span]:
    """Runs of ``kind`` merged while the gap to the next run is no longer than the failing
    points so far or the next run (so scattered rounding losses read as one stretch, with
    its share of failing points)."""
    out: list[Span] = []
    last_stop = 0
    for iv in s.intervals:
        if iv.kind != kind:
            continue
        n = iv.stop - iv.start
        if out and iv.start - last_stop <= max(n, out[-1].bad):
            sp = out[-1]
            sp.hi, sp.bad, sp.points = iv.hi, sp.bad + n, iv.stop - sp.start
        else:
            out.append(Span(kind, iv.lo, iv.hi, n, n, iv.start))
        last_stop = iv.stop
    return out


def describe_scan(s: Scan, limit: int = MAX_INTERVALS_SHOWN, width: int = 92) -> list[str]:
    """Lines for one implementation: one per failure kind with its intervals, wrapped at
    ``width``."""
    if not s.available:
        return [f"n/a ({s.note})"]
    worst = ("" if s.max_rel_err is None else
             f"max rel err {s.max_rel_err:.2g} at x = {x_value(s.worst_x)}")
    lines = [f"({s.note})"] if s.note else []
    if not s.intervals:
        return [f"ok, {worst}" if worst else "ok"] + lines
    for kind in KINDS:
        sps = spans(s, kind)
        if not sps:
            continue
        shown = sorted(sorted(sps, key=lambda sp: -sp.bad)[:limit], key=lambda sp: sp.lo)
        parts = []
        for sp in shown:
            text = (f"{{{x_value(sp.lo)}}}" if sp.lo == sp.hi
                    else f"[{x_value(sp.lo)}, {x_value(sp.hi)}]")
            if sp.bad < sp.points:
                text += f" ({sp.bad}/{sp.points} pts)"
            parts.append(text)
        text = ", ".join(parts)
        if len(sps) > len(shown):
            rest = sum(sp.bad for sp in sps) - sum(sp.bad for sp in shown)
            text += f", +{len(sps) - len(shown)} more ({rest} pts)"
        lines += textwrap.wrap(f"{kind:8s} {text}", width, subsequent_indent=" " * 9,
                               break_on_hyphens=False)
    return lines


def format_text(result: StabilityResult, width: int = 100) -> str:
    """The report of one function, its interval lists wrapped to fit ``width`` columns."""
    what = "f(x)" if result.order == 0 else "f'(x)"
    lo, hi = result.x_range
    out = [f"{result.label}: {what} for x in [{x_value(lo)}, {x_value(hi)}], "
           f"relative tolerance {result.rtol:g} (at least the dtype's eps)"]
    if result.dtypes:
        for sc in (result.dtypes[0].naive, result.dtypes[0].actviz):
            if sc.formula:
                out.append(f"  {sc.impl}: {sc.formula}")
    for d in result.dtypes:
        how = "every representable value" if d.exhaustive else "sampled, ends bisected"
        out.append(f"  {d.dtype} ({d.points} points, {how}; tol {d.tolerance:.3g})")
        for s in (d.naive, d.actviz):
            head = f"    {s.impl:7s}"
            lines = describe_scan(s, width=max(width - len(head), 40))
            out.append(f"{head}{lines[0]}")
            out += [" " * len(head) + ln for ln in lines[1:]]
    for dtype, reason in result.skipped:
        out.append(f"  {dtype}: skipped ({reason})")
    return "\n".join(out)
