"""What an approximation does to a deep net at initialization, next to its target
(``approx --train``): the mean-field summary of :mod:`actviz.meanfield` per function."""

from __future__ import annotations

EOC_SIGMA_B = 0.2


def summary(named) -> list[dict]:
    """Per (label, :class:`actviz.symbolic.Function`): the chi1 gain 1/sqrt(E[phi'(z)^2]), the
    edge-of-chaos sigma_w and q* at sigma_b = 0.2 (None where there is none, with the note),
    and the fraction of N(0, 1) pre-activations where phi' = 0 (dead units)."""
    from actviz.meanfield import Phi, edge_of_chaos, gains

    out = []
    for label, fn in named:
        phi = Phi(fn)
        curve = edge_of_chaos(phi, (EOC_SIGMA_B,))
        p = curve.points[0] if curve.points else None
        out.append({"name": label, "chi1_gain": gains(phi)["chi1"],
                    "eoc_sigma_b": EOC_SIGMA_B,
                    "eoc_sigma_w": p["sigma_w"] if p else None,
                    "eoc_q_star": p["q_star"] if p else None,
                    "eoc_note": curve.note,
                    "dead_fraction": float(phi.dead_fraction(1.0)[0])})
    return out


def format_rows(rows) -> list[str]:
    from actviz.text import table

    head = [["  function", "χ₁ gain", f"EOC σ_w at σ_b = {EOC_SIGMA_B:g}", "q* there",
             "f' = 0 at q = 1"]]
    body = [[f"  {r['name']}",
             "-" if r["chi1_gain"] is None else f"{r['chi1_gain']:.6g}",
             "none" if r["eoc_sigma_w"] is None else f"{r['eoc_sigma_w']:.6g}",
             "-" if r["eoc_q_star"] is None else f"{r['eoc_q_star']:.6g}",
             f"{100 * r['dead_fraction']:.1f}%"] for r in rows]
    return [table(head + body)]
