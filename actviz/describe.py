"""Everything ``actviz show`` (and the gallery) says about one function, as one object, and
its text report (:func:`format_text`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from actviz import budget, text
from actviz import kinks as kinks_mod
from actviz import properties as props_mod
from actviz.render import render
from actviz.symbolic import Function


@dataclass
class Description:
    func: Function
    order: int
    kinks: list
    properties: props_mod.Properties | None  # None while a parameter has no value
    use_cache: bool = False

    def formulas(self, fmt: str = "unicode", width: int | None = None) -> list[str]:
        """f, f', ..., rendered (index = order), 2-D text wrapped at ``width``; from the
        disk cache where ``use_cache`` (rendering, like differentiating, takes sympy time)."""
        def make():
            return [render(self.func.derivative(k), fmt, width) for k in range(self.order + 1)]

        if not self.use_cache or self.func.free:
            return make()
        from actviz import cache

        return cache.through(cache.key(self.func, "formulas", self.order, fmt, width), make)

    @property
    def convention(self) -> str:
        return self.func.convention

    def to_dict(self) -> dict:
        f = self.func
        return {
            "name": f.name,
            "label": f.label,
            "summary": f.summary,
            "params": {k: float(v) for k, v in f.float_params().items()},
            "params_exact": dict(f.params),
            "free_parameters": list(f.free),
            "expr": self.formulas("sympy")[0],
            "derivatives": self.formulas("sympy")[1:],
            "latex": self.formulas("latex"),
            "kinks": [k.to_dict() for k in self.kinks],
            "convention": self.convention,
            "properties": self.properties.to_dict() if self.properties else None,
        }


KINKS_S = 15.0  # budget of finding the kinks (sympy.solve on each condition), seconds


def describe(func: Function, order: int = 2, use_cache: bool = True) -> Description:
    """Formulas up to ``order``, kinks and properties; a step out of its budget is reported
    as not computed (a derivative out of budget is an error: there is nothing to show).
    Kinks and properties come from the disk cache (:mod:`actviz.cache`) where they were
    computed before; ``use_cache=False`` computes them afresh (and stores nothing)."""
    if use_cache and not func.free:
        from actviz import cache

        k = cache.key(func, "describe", max(order, 2))
        hit = cache.load(k)
        if hit is not None:
            return Description(func, order, *hit, use_cache=True)
        desc = describe(func, order, use_cache=False)
        if not any("took longer" in why for why in desc.properties.not_computed.values()):
            cache.store(k, (desc.kinks, desc.properties))  # a budget-limited answer is not kept
        desc.use_cache = True
        return desc
    for k in range(1, order + 1):
        func.derivative(k)
    if func.free:  # derivatives in the parameters, but no numbers without their values
        return Description(func, order, [], None)
    try:
        with budget.time_limit(KINKS_S, "finding the kinks"):
            kinks = kinks_mod.find(func, max(order, 2))
        missing = {}
    except budget.BudgetExceeded as exc:
        kinks, missing = [], {"kinks": f"not computed: took longer than {exc.seconds:g} s"}
    props = props_mod.compute(func, kinks)
    props.not_computed.update(missing)
    return Description(func, order, kinks, props)


def format_text(desc: Description, fmt: str = "unicode", width: int | None = None) -> str:
    """The text of ``actviz show``: heading, formulas, kinks with conventions, properties."""
    func = desc.func
    entry = func.entry
    head = func.label
    if entry is not None:
        head += f"  —  {func.summary}"
        if entry.aliases and func.resolved.variant is None:
            head += f"  (aliases: {', '.join(entry.aliases)})"
    out = _wrap(head, width, "    ")
    if func.params:
        out.append("parameters: " + ", ".join(f"{k} = {v}" for k, v in func.params.items()))
    out.append("")
    for k, body in enumerate(desc.formulas(fmt, None if width is None else width - 4)):
        label = text.order_name(k)
        lines = body.splitlines() or [""]
        if len(lines) == 1:
            out.append(f"{label} = {lines[0]}")
        else:
            out.append(f"{label} =")
            out += ["    " + line for line in lines]
    out.append("")
    if desc.properties is None:
        pass  # kinks, like properties, need the parameters' values
    elif "kinks" in desc.properties.not_computed:
        out.append(f"kinks and discontinuities: {desc.properties.not_computed['kinks']}")
    elif desc.kinks:
        out.append("kinks and discontinuities (left limit / right limit / value used):")
        for kink in desc.kinks:
            out.append(f"  x = {kink.x_exact} ({kink.kind})")
            for j in kink.orders:
                if j.order > desc.order and j.order > 1:
                    continue
                mark = "   <- jumps" if j.jumps else ""
                out.append(f"    {text.order_name(j.order):8s} {text.num(j.left):>12s} / "
                           f"{text.num(j.right):>12s} / {text.num(j.value):>12s}{mark}")
    else:
        out.append("kinks and discontinuities: none")
    if desc.convention:
        out += _wrap(f"convention: {desc.convention}", width, "  ")
    if desc.properties is None:
        names = ", ".join(func.free)
        flags = " ".join(f"-p {n}=VALUE" for n in func.free)
        out.append(f"kinks and properties: need a value for {names} ({flags})")
        return "\n".join(out)
    out += ["", "properties:"]
    rows = property_rows(desc.properties.to_dict())
    keyw = max(len(r[0]) for r in rows)
    for key, val in rows:
        out += _wrap(f"  {key.ljust(keyw)}  {val}", width, " " * (keyw + 4))
    return "\n".join(out)


def _wrap(line: str, width: int | None, indent: str) -> list[str]:
    import textwrap

    if width is None or len(line) <= width:
        return [line]
    return textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False)


def property_rows(p: dict, minus: str = text.MINUS) -> list[tuple[str, str]]:
    """(name, value) rows of the properties (``Properties.to_dict()``), for text and the
    gallery index; a property whose budget ran out reads "not computed: ..."."""
    num = functools.partial(text.num, minus=minus)
    lip = p["lipschitz"]
    mean = p["gaussian_mean"]
    centred = (f"{text.yes(p['zero_centred'])}  (mean {num(mean)} for x ~ N(0, 1))"
               if mean is not None else "no  (no mean for x ~ N(0, 1): f is not defined "
               "everywhere)")
    rows = [
        ("range", p["range"]["text"]),
        ("bounded", text.yes(p["bounded"])),
        ("monotonic", p["monotonic"]),
        ("zero-centred", centred),
        ("f(0) = 0", text.yes(p["zero_at_origin"])),
        ("smoothness", p["smoothness"]),
        ("max |f'| (where differentiable)", num(p["max_abs_derivative"])),
        ("Lipschitz constant", num(lip) + ("  (f jumps)" if lip == "inf"
                                            and p["smoothness"] == "discontinuous" else "")),
        ("extrema", "; ".join(f"{e['kind']} {num(e['value'])} at x = {num(e['x'])}"
                              for e in p["extrema"]) or "none"),
        ("inflection points", ", ".join(f"x = {num(e['x'])}" + (" (kink)" if e["at_kink"] else "")
                                        for e in p["inflection_points"]) or "none"),
        ("f' = 0 exactly on", text.intervals(p["zero_gradient"], minus,
                                             p["zero_gradient_closed"])),
        ("saturated (|f'| < 1e-3 max)", text.intervals(p["saturation"], minus)),
    ]
    if p.get("undefined"):
        rows.append(("f not defined (or infinite) on", text.intervals(p["undefined"], minus)))
    missing = p.get("not_computed", {})
    keys = {"range": "limits", "smoothness": "smoothness", "extrema": "extrema",
            "inflection points": "inflection_points", "f' = 0 exactly on": "zero_gradient"}
    return [(k, f"{v}  ({missing[keys[k]]})" if keys.get(k) in missing else v)
            for k, v in rows]
