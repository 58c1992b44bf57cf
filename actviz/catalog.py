"""The catalog: every activation declared once.

Each entry is a small frozen record: a canonical name, aliases (PyTorch/Keras spellings),
the defining expression as text in ``x`` and the parameter names, parameters with defaults
(ONNX attribute names), named variants (parameter presets or alternative definitions),
the gradient convention at kinks in words, a summary and references.

The expression language is the one of :mod:`actviz.expr`: arithmetic, ``where(cond, a, b)``
for piecewise definitions, the functions ``sigmoid`` and ``softplus`` (kept as primitives so
that derivatives stay short), and calls of other catalog entries with keyword parameters
(``x*hard_sigmoid(x, alpha=alpha, beta=beta)``).

Piecewise conditions carry the numeric convention at a kink: the value a derivative takes
*at* the boundary point is the value of the piece whose condition holds there. For
``where(x > 0, x, 0)`` (relu) the derivative at 0 is that of the ``0`` piece, i.e. 0.

Importing this module imports neither sympy nor numpy.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from fractions import Fraction

from actviz.errors import ActvizError


def parse_number(text: str) -> Fraction:
    """Exact value of a parameter given as ``0.2``, ``1/6``, ``-1e-3`` (not ``inf``/``nan``)."""
    s = str(text).strip()
    try:
        if "/" in s:
            num, den = s.split("/", 1)
            value = Fraction(num.strip()) / Fraction(den.strip())
        else:
            value = Fraction(s)
    except (ValueError, ZeroDivisionError):
        raise ActvizError(f"not a finite number: {text!r}") from None
    return value


@dataclass(frozen=True)
class Param:
    name: str
    default: str  # exact text, e.g. "0.2" or "1/6"
    doc: str = ""

    @property
    def value(self) -> float:
        return float(parse_number(self.default))


@dataclass(frozen=True)
class Variant:
    name: str
    summary: str
    params: tuple[tuple[str, str], ...] = ()  # preset values (exact text)
    expr: str | None = None  # an alternative definition, if not a preset


@dataclass(frozen=True)
class Activation:
    name: str
    expr: str
    summary: str
    params: tuple[Param, ...] = ()
    aliases: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    convention: str = ""  # gradient convention at kinks, in words
    onnx: str | None = None  # ONNX operator of the same semantics
    torch: str | None = None  # PyTorch functional of the same semantics (default params)
    reference: str = ""

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def defaults(self) -> dict[str, str]:
        return {p.name: p.default for p in self.params}

    def variant(self, name: str) -> Variant:
        for v in self.variants:
            if v.name == name:
                return v
        known = ", ".join(v.name for v in self.variants) or "none"
        raise ActvizError(f"{self.name} has no variant {name!r} (variants: {known})")


@dataclass(frozen=True)
class Resolved:
    """A catalog entry with a variant and parameter values chosen."""

    entry: Activation
    variant: str | None
    params: dict[str, str] = field(default_factory=dict)  # exact text values
    expr: str = ""

    @property
    def name(self) -> str:
        return self.entry.name if self.variant is None else f"{self.entry.name}:{self.variant}"

    @property
    def label(self) -> str:
        """Name with the parameters that differ from the defaults (legends, titles)."""
        base = self.variant_defaults()
        changed = [f"{k}={v}" for k, v in self.params.items() if base.get(k) != v]
        return self.name + (f" ({', '.join(changed)})" if changed else "")

    def variant_defaults(self) -> dict[str, str]:
        d = self.entry.defaults()
        if self.variant is not None:
            d.update(dict(self.entry.variant(self.variant).params))
        return d

    def float_params(self) -> dict[str, float]:
        return {k: float(parse_number(v)) for k, v in self.params.items()}


def _p(name, default, doc=""):
    return Param(name, default, doc)


_HARD_SIGMOID_CONVENTION = (
    "f' = 0 at both kinks x = -beta/alpha and x = (1-beta)/alpha, as ONNX/Caffe2 "
    "(gradient from the output, alpha only where 0 < y < 1), PyTorch, JAX and Keras 3; "
    "clip-based versions (Theano, Keras 2 on TensorFlow) give alpha there"
)

ENTRIES: tuple[Activation, ...] = (
    Activation(
        "hard_sigmoid",
        "where(alpha*x + beta <= 0, 0, where(alpha*x + beta >= 1, 1, alpha*x + beta))",
        "piecewise-linear sigmoid: max(0, min(1, alpha*x + beta))",
        params=(_p("alpha", "0.2", "slope"), _p("beta", "0.5", "offset")),
        aliases=("hardsigmoid", "HardSigmoid"),
        variants=(
            Variant("onnx", "ONNX/Caffe2 defaults: 0.2x + 0.5",
                    (("alpha", "0.2"), ("beta", "0.5"))),
            Variant("keras2", "Keras 2: 0.2x + 0.5", (("alpha", "0.2"), ("beta", "0.5"))),
            Variant("theano", "Theano: 0.2x + 0.5", (("alpha", "0.2"), ("beta", "0.5"))),
            Variant("pytorch", "PyTorch F.hardsigmoid: x/6 + 1/2",
                    (("alpha", "1/6"), ("beta", "0.5"))),
            Variant("jax", "jax.nn.hard_sigmoid: x/6 + 1/2", (("alpha", "1/6"), ("beta", "0.5"))),
            Variant("keras3", "Keras 3: x/6 + 1/2", (("alpha", "1/6"), ("beta", "0.5"))),
            Variant("bnn", "binarized nets: (x + 1)/2", (("alpha", "1/2"), ("beta", "0.5"))),
        ),
        convention=_HARD_SIGMOID_CONVENTION,
        onnx="HardSigmoid",
        reference="ONNX HardSigmoid; Courbariaux et al. 2015 (BinaryConnect)",
    ),
    Activation(
        "thresholded_relu",
        "where(x > alpha, x, 0)",
        "x where x > alpha (strictly), else 0; a jump of size alpha at x = alpha",
        params=(_p("alpha", "1.0", "threshold"),),
        aliases=("thresholdedrelu", "ThresholdedRelu"),
        convention="f' = 0 at x = alpha (ONNX/Caffe2/Keras: gradient 1 only where x > alpha)",
        onnx="ThresholdedRelu",
        reference="ONNX ThresholdedRelu; Konda et al. 2014",
    ),
    Activation(
        "softsign",
        "x/(1 + abs(x))",
        "x / (1 + |x|)",
        aliases=("Softsign",),
        convention="smooth f' (1 at 0); f'' jumps from 2 to -2 at 0 and is taken as 0 there",
        onnx="Softsign",
        torch="torch.nn.functional.softsign",
        reference="Turian et al. 2009",
    ),
    Activation(
        "mish",
        "x*tanh(softplus(x))",
        "x * tanh(softplus(x))",
        aliases=("Mish",),
        onnx="Mish",
        torch="torch.nn.functional.mish",
        reference="Misra 2019, arXiv:1908.08681",
    ),
    Activation(
        "sigmoid",
        "sigmoid(x)",
        "logistic function 1 / (1 + exp(-x))",
        aliases=("logistic", "expit", "Sigmoid"),
        onnx="Sigmoid",
        torch="torch.sigmoid",
    ),
    Activation(
        "ultra_fast_sigmoid",
        "where(x <= -6, 1/2 - 1/2*0.99505475368673,"
        " where(x <= -3.4, 1/2 - 1/2*(0.935409070603099 + 0.0458812946797165*(-x/2 - 1.7)),"
        " where(x < 3.4, 1/2 + 1/2*(1.5*(x/2)/(1 + abs(x)/2)),"
        " where(x < 6, 1/2 + 1/2*(0.935409070603099 + 0.0458812946797165*(x/2 - 1.7)),"
        " 1/2 + 1/2*0.99505475368673))))",
        "Theano's piecewise approximation 0.5*(t(x/2) + 1) of the sigmoid",
        aliases=("ultrafast_sigmoid",),
        convention=(
            "Theano's boundaries: the middle pieces hold on |x| >= 3.4 and the constant on "
            "|x| >= 6; f jumps by about 4.5e-3 at |x| = 3.4; Theano had no gradient, "
            "actviz's is the derivative of the piece that holds at the point"
        ),
        reference="Theano theano.tensor.nnet.ultra_fast_sigmoid",
    ),
    Activation(
        "relu",
        "where(x > 0, x, 0)",
        "max(0, x)",
        aliases=("ReLU", "Relu"),
        convention="f'(0) = 0 (PyTorch, JAX, ONNX Runtime training)",
        onnx="Relu",
        torch="torch.relu",
    ),
    Activation(
        "leaky_relu",
        "where(x > 0, x, alpha*x)",
        "x for x > 0, alpha*x otherwise",
        params=(_p("alpha", "0.01", "slope for x <= 0"),),
        aliases=("leakyrelu", "LeakyRelu"),
        convention="f'(0) = alpha (PyTorch: gradient 1 only where x > 0)",
        onnx="LeakyRelu",
        torch="torch.nn.functional.leaky_relu",
        reference="Maas et al. 2013",
    ),
    Activation(
        "prelu",
        "where(x > 0, x, slope*x)",
        "parametric ReLU with a fixed slope: x for x > 0, slope*x otherwise",
        params=(_p("slope", "0.25", "negative slope (learned in PReLU; fixed here)"),),
        aliases=("PRelu",),
        convention="f'(0) = slope (PyTorch)",
        onnx="PRelu",
        reference="He et al. 2015; PyTorch initializes the slope at 0.25",
    ),
    Activation(
        "elu",
        "where(x > 0, x, alpha*(exp(x) - 1))",
        "x for x > 0, alpha*(exp(x) - 1) otherwise",
        params=(_p("alpha", "1.0"),),
        aliases=("Elu",),
        convention="f'(0) = alpha (the x <= 0 piece; PyTorch); f' is continuous only for alpha = 1",
        onnx="Elu",
        torch="torch.nn.functional.elu",
        reference="Clevert et al. 2015",
    ),
    Activation(
        "selu",
        "gamma*where(x > 0, x, alpha*(exp(x) - 1))",
        "gamma * (x for x > 0, alpha*(exp(x) - 1) otherwise)",
        params=(
            _p("alpha", "1.67326319217681884765625", "ONNX default (float32)"),
            _p("gamma", "1.05070102214813232421875", "ONNX default (float32)"),
        ),
        aliases=("Selu",),
        variants=(
            Variant(
                "pytorch",
                "PyTorch constants",
                (("alpha", "1.6732632423543772848170429916717"),
                 ("gamma", "1.0507009873554804934193349852946")),
            ),
        ),
        convention="f'(0) = gamma*alpha (the x <= 0 piece; PyTorch)",
        onnx="Selu",
        reference="Klambauer et al. 2017",
    ),
    Activation(
        "celu",
        "where(x > 0, x, alpha*(exp(x/alpha) - 1))",
        "max(0, x) + min(0, alpha*(exp(x/alpha) - 1))",
        params=(_p("alpha", "1.0"),),
        aliases=("Celu",),
        convention="f' is continuous (1 at 0); f'' jumps from 1/alpha to 0 at 0",
        onnx="Celu",
        torch="torch.nn.functional.celu",
        reference="Barron 2017",
    ),
    Activation(
        "gelu",
        "x/2*(1 + erf(x/sqrt(2)))",
        "x * Phi(x), Phi the standard normal CDF (exact, erf)",
        aliases=("Gelu", "GELU"),
        variants=(
            Variant(
                "tanh",
                "the tanh approximation (ONNX approximate='tanh')",
                expr="x/2*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3)))",
            ),
        ),
        onnx="Gelu",
        torch="torch.nn.functional.gelu",
        reference="Hendrycks and Gimpel 2016",
    ),
    Activation(
        "silu",
        "x*sigmoid(alpha*x)",
        "x * sigmoid(alpha*x)",
        params=(_p("alpha", "1.0", "ONNX Swish alpha"),),
        aliases=("swish", "SiLU", "Swish"),
        onnx="Swish",
        torch="torch.nn.functional.silu",
        reference="Elfwing et al. 2017; Ramachandran et al. 2017",
    ),
    Activation("tanh", "tanh(x)", "hyperbolic tangent", aliases=("Tanh",), onnx="Tanh",
               torch="torch.tanh"),
    Activation(
        "softplus",
        "softplus(x)",
        "log(1 + exp(x))",
        aliases=("Softplus",),
        onnx="Softplus",
        torch="torch.nn.functional.softplus",
    ),
    Activation(
        "hardswish",
        "x*hard_sigmoid(x, alpha=alpha, beta=beta)",
        "x * hard_sigmoid(x) with alpha = 1/6, beta = 0.5",
        params=(_p("alpha", "1/6"), _p("beta", "0.5")),
        aliases=("hard_swish", "HardSwish"),
        convention="f' = 0 at x = -3 and 1 at x = 3 (the outer pieces hold at the kinks)",
        onnx="HardSwish",
        torch="torch.nn.functional.hardswish",
        reference="Howard et al. 2019 (MobileNetV3)",
    ),
    Activation(
        "hardtanh",
        "where(x <= min_val, min_val, where(x >= max_val, max_val, x))",
        "min(max(x, min_val), max_val)",
        params=(_p("min_val", "-1"), _p("max_val", "1")),
        aliases=("hard_tanh", "Hardtanh"),
        convention="f' = 0 at x = min_val and x = max_val (PyTorch)",
        onnx="Clip",
        torch="torch.nn.functional.hardtanh",
    ),
    Activation(
        "relu6",
        "hardtanh(x, min_val=0, max_val=6)",
        "min(max(0, x), 6)",
        aliases=("ReLU6",),
        convention="f' = 0 at x = 0 and x = 6 (PyTorch)",
        torch="torch.nn.functional.relu6",
    ),
    Activation(
        "hardshrink",
        "where(x > lambd, x, where(x < -lambd, x, 0))",
        "x where |x| > lambd, else 0 (ONNX Shrink with bias = 0)",
        params=(_p("lambd", "0.5"),),
        aliases=("hard_shrink", "Hardshrink"),
        convention="f' = 0 at x = ±lambd (PyTorch)",
        onnx="Shrink",
        torch="torch.nn.functional.hardshrink",
    ),
    Activation(
        "softshrink",
        "where(x > lambd, x - lambd, where(x < -lambd, x + lambd, 0))",
        "x - lambd, 0 or x + lambd (ONNX Shrink with bias = lambd)",
        params=(_p("lambd", "0.5"),),
        aliases=("soft_shrink", "Softshrink"),
        convention="f' = 0 at x = ±lambd (PyTorch)",
        onnx="Shrink",
        torch="torch.nn.functional.softshrink",
    ),
    Activation(
        "log_sigmoid",
        "-softplus(-x)",
        "log(sigmoid(x)) = -softplus(-x)",
        aliases=("logsigmoid", "LogSigmoid"),
        torch="torch.nn.functional.logsigmoid",
    ),
)

_BY_NAME: dict[str, Activation] = {}
for _e in ENTRIES:
    for _n in (_e.name, *_e.aliases):
        _key = _n.lower().replace("-", "_")
        assert _BY_NAME.setdefault(_key, _e) is _e, f"{_key} names two entries"


def names() -> list[str]:
    """Canonical names, in catalog order."""
    return [e.name for e in ENTRIES]


def all_spellings() -> list[str]:
    """Every accepted spelling: names, aliases and ``name:variant``."""
    out = []
    for e in ENTRIES:
        out += [e.name, *e.aliases, *(f"{e.name}:{v.name}" for v in e.variants)]
    return out


def lookup(name: str) -> Activation | None:
    """The entry for a name or alias (case-insensitive), or None."""
    return _BY_NAME.get(name.strip().lower().replace("-", "_"))


def get(name: str) -> Activation:
    """The entry for a name or alias; ActvizError with suggestions if unknown."""
    entry = lookup(name)
    if entry is None:
        raise ActvizError(f"unknown activation {name!r}{suggest(name)}")
    return entry


def suggest(name: str) -> str:
    spellings = list(dict.fromkeys(s.lower() for s in all_spellings()))
    close = difflib.get_close_matches(name.lower(), spellings, n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def is_catalog_name(text: str) -> bool:
    """True for ``name``, ``alias`` and ``name:variant`` spellings (variant not checked)."""
    base = text.split(":", 1)[0]
    return lookup(base) is not None


def resolve(spec: str, params: dict[str, str] | None = None) -> Resolved:
    """Resolve ``NAME[:VARIANT]`` plus user parameters (exact text values) to a Resolved.

    Unknown names, variants and parameters, and non-numeric values raise ActvizError.
    """
    base, _, variant = spec.partition(":")
    entry = get(base)
    variant = variant.strip() or None
    values = entry.defaults()
    expr = entry.expr
    if variant is not None:
        v = entry.variant(variant)
        values.update(dict(v.params))
        expr = v.expr or expr
    for key, val in (params or {}).items():
        if key not in values:
            known = ", ".join(values) or "none"
            raise ActvizError(f"{entry.name} has no parameter {key!r} (parameters: {known})")
        parse_number(val)
        values[key] = str(val).strip()
    return Resolved(entry, variant, values, expr)
