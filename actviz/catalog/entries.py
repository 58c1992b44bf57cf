"""THE catalog table: every activation declared once (see :mod:`actviz.catalog`)."""

from __future__ import annotations

from actviz.catalog.records import Activation, Param, Variant


def _p(name, default, doc=""):
    return Param(name, default, doc)


_HARD_SIGMOID_CONVENTION = (
    "f' = 0 at both kinks x = -beta/alpha and x = (1-beta)/alpha, as ONNX/Caffe2 "
    "(gradient from the output, alpha only where 0 < y < 1), PyTorch, JAX and Keras 3; "
    "clip-based versions (Theano, Keras 2 on TensorFlow) give alpha there "
    "(the variants :theano and :keras2)"
)
# clip(alpha*x + beta, 0, 1) as Theano's and TensorFlow's clip differentiate it: the gradient
# passes where min <= u <= max, so f' = alpha at both kinks
_HARD_SIGMOID_CLIP = ("where(alpha*x + beta < 0, 0, where(alpha*x + beta > 1, 1, "
                      "alpha*x + beta))")
_CLIP_CONVENTION = ("f' = alpha at both kinks x = -beta/alpha and x = (1-beta)/alpha: {who} "
                    "clips alpha*x + beta to [0, 1], and its clip passes the gradient where "
                    "0 <= alpha*x + beta <= 1 (ends included)")

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
            Variant("keras2", "Keras 2 (TensorFlow clip): 0.2x + 0.5, f' = 0.2 at the kinks",
                    (("alpha", "0.2"), ("beta", "0.5")), _HARD_SIGMOID_CLIP,
                    _CLIP_CONVENTION.format(who="Keras 2 (on TensorFlow)")),
            Variant("theano", "Theano (tensor.clip): 0.2x + 0.5, f' = 0.2 at the kinks",
                    (("alpha", "0.2"), ("beta", "0.5")), _HARD_SIGMOID_CLIP,
                    _CLIP_CONVENTION.format(who="Theano")),
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
