"""Catalog activations without sympy, for plots: a :class:`CatalogFunction` evaluates f, f'
and f'' through the kernels (NumPy backend, float64) and builds the sympy
:class:`actviz.symbolic.Function` only when something symbolic is asked of it (higher
orders, or the marks of a plot that are not cached yet: :mod:`actviz.figures.marks`). So
``actviz plot mish`` run a second time imports neither sympy nor mpmath.
"""

from __future__ import annotations

import functools

from actviz import catalog, loading

KERNEL_ORDERS = 2  # f, f', f'': the kernels' formulas; higher orders come from sympy


class CatalogFunction:
    """A catalog entry (name, alias or NAME:VARIANT) with fixed parameter values."""

    def __init__(self, spec: str, params: dict | None = None):
        params = {str(k): str(v).strip() for k, v in (params or {}).items()}
        self.resolved = catalog.resolve(spec.strip(), params)
        self.name = self.resolved.name
        self.params = dict(self.resolved.params)
        self.family: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return loading.label(self.resolved, self.name, self.params, self.family)

    @property
    def entry(self):
        return self.resolved.entry

    @functools.cached_property
    def symbolic(self):
        """The sympy Function of the same entry and parameters (made on first use)."""
        from actviz import symbolic

        func = symbolic.load(self.name, self.params)
        func.family = self.family
        return func

    @functools.cached_property
    def _kernel_ok(self) -> bool:
        """Whether the kernels take these parameters (some refuse values the definition
        allows, such as hard_sigmoid's alpha = 0: those are evaluated by sympy)."""
        from actviz import kernels
        from actviz.errors import ActvizError

        try:
            kernels.plan(self.name, **self.params)
        except ActvizError:
            return False
        return True

    def numpy(self, order: int = 0):
        """f^(order) as a float64 function of x: the kernels up to f'', sympy beyond (and
        for parameters the kernels refuse)."""
        if order > KERNEL_ORDERS or not self._kernel_ok:
            return self.symbolic.numpy(order)
        return functools.partial(_kernel, self.name, order, tuple(self.params.items()))

    def derivative(self, order: int = 1):
        return self.symbolic.derivative(order)

    def mpmath(self, order: int = 0):
        return self.symbolic.mpmath(order)

    def render(self, order: int = 0, fmt: str = "unicode", width: int | None = None) -> str:
        """f^(order) written out (:func:`actviz.render.render`), from the disk cache where
        rendered before."""
        from actviz import cache

        return cache.through(cache.key(self, "render", order, fmt, width),
                             lambda: self.symbolic.render(order, fmt, width))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.label}>"


def _kernel(name, order, params, x):
    import numpy as np

    from actviz import kernels

    return kernels.derivative(name, np.asarray(x, dtype=np.float64), order, backend="numpy",
                              **dict(params))


def load_all(specs, params=None) -> list[CatalogFunction]:
    """:class:`CatalogFunction` for each catalog name, under the one ``-p`` rule
    (:func:`actviz.loading.load_all`)."""
    return loading.load_all(specs, params, CatalogFunction)


def load_any(specs, params=None) -> list:
    """:class:`CatalogFunction` for each spec when all are catalog names, else sympy
    :class:`actviz.symbolic.Function` for each (an expression needs sympy anyway); both
    under the one ``-p`` rule."""
    if all_catalog(specs):
        return load_all(specs, params)
    from actviz import symbolic

    return symbolic.load_all(specs, params)


def all_catalog(specs) -> bool:
    """True when every spec is a catalog name (so :func:`load_all` serves)."""
    return all(isinstance(s, str) and catalog.is_catalog_name(s.strip()) for s in specs)
