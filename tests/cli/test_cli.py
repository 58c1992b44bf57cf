import json
import os
import subprocess
import sys

import pytest

from actviz import catalog
from actviz.cli import COMMANDS

from conftest import run_cli

HEAVY = ("numpy", "sympy", "scipy", "matplotlib", "numba", "cupy")


def _modules_after(args):
    code = ("import sys\nfrom actviz.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_help_and_version_import_nothing_heavy(args):
    assert _modules_after(args) == "[]"


def test_command_help_imports_nothing_heavy():
    for name in COMMANDS:
        from actviz.cli import _exists

        if _exists(COMMANDS[name][0]):
            assert _modules_after([name, "--help"]) == "[]", name


def test_every_command_help_has_an_example():
    result = run_cli(["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        from actviz.cli import _exists

        if not _exists(COMMANDS[name][0]):
            continue
        r = run_cli([name, "--help"])
        assert r.exit_code == 0, name
        assert "Example" in r.output, name
        assert name in result.output


def test_version():
    from actviz import __version__

    r = run_cli(["--version"])
    assert r.exit_code == 0 and __version__ in r.output


def test_python_dash_m():
    out = subprocess.run([sys.executable, "-m", "actviz", "--version"], capture_output=True,
                         text=True)
    assert out.returncode == 0 and "actviz" in out.stdout


def test_list():
    r = run_cli(["list"])
    assert r.exit_code == 0
    for name in catalog.names():
        assert name in r.output


def test_list_json():
    data = json.loads(run_cli(["list", "--json"]).output)
    assert [d["name"] for d in data] == catalog.names()
    for d in data:
        assert {"name", "aliases", "params", "variants", "formula"} <= set(d)
    hs = data[0]
    assert hs["params"] == {"alpha": "0.2", "beta": "0.5"}
    assert "pytorch" in [v["name"] for v in hs["variants"]]


def test_show_text():
    r = run_cli(["show", "hard_sigmoid"])
    assert r.exit_code == 0
    assert "x = -5/2 (kink)" in r.output and "f' = 0 exactly on" in r.output
    assert "(-∞, -2.5] ∪ [2.5, ∞)" in r.output


def test_show_json_keys_and_values():
    d = json.loads(run_cli(["show", "mish", "--json", "--order", "3"]).output)
    assert {"name", "params", "expr", "derivatives", "kinks", "properties"} <= set(d)
    assert len(d["derivatives"]) == 3
    props = d["properties"]
    for key in ("range", "bounded", "monotonic", "smoothness", "extrema", "inflection_points",
                "zero_gradient", "saturation"):
        assert key in props
    (m,) = props["extrema"]
    assert set(m) >= {"x", "value", "kind"}
    assert round(m["x"], 5) == -1.19243 and round(m["value"], 5) == -0.30884


def test_show_params_variant_and_expression():
    d = json.loads(run_cli(["show", "hard_sigmoid:pytorch", "-p", "beta=0.25", "--json"]).output)
    assert d["params"] == {"alpha": 1 / 6, "beta": 0.25}
    assert d["kinks"][0]["x_exact"] == "-3/2"
    d = json.loads(run_cli(["show", "x*tanh(softplus(x))", "--json", "--order", "1"]).output)
    assert d["derivatives"] == ["x*sech(softplus(x))**2*sigmoid(x) + tanh(softplus(x))"]


@pytest.mark.parametrize("fmt,needle", [("latex", r"\begin{cases}"), ("sympy", "Piecewise(("),
                                        ("unicode", "otherwise")])
def test_show_formats(fmt, needle):
    r = run_cli(["show", "relu", "--format", fmt])
    assert r.exit_code == 0 and needle in r.output


def test_plot_default_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run_cli(["plot", "mish", "--derivatives", "2", "--points", "201"])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == "wrote mish.png"
    with open(tmp_path / "mish.png", "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("ext,magic", [("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_plot_formats_and_overlay(tmp_path, ext, magic):
    out = tmp_path / f"o.{ext}"
    r = run_cli(["plot", "hard_sigmoid", "hard_sigmoid:pytorch", "thresholded_relu", "-d", "1",
                 "--points", "101", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:5].startswith(magic[:4])


def test_plot_is_deterministic(tmp_path):
    paths = [tmp_path / "a.svg", tmp_path / "b.svg"]
    for p in paths:
        assert run_cli(["plot", "relu6", "--points", "101", "-o", str(p)]).exit_code == 0
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_plot_default_name_for_several_and_expressions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run_cli(["plot", "relu", "x*tanh(softplus(x))", "-d", "0", "--points", "51"])
    assert r.exit_code == 0
    assert r.output.strip() == "wrote relu_x_tanh_softplus_x.png"


def test_check_selected():
    r = run_cli(["check", "mish", "sigmoid", "--order", "2", "--points", "50", "--json"])
    assert r.exit_code == 0
    d = json.loads(r.output)
    assert d["ok"] is True and len(d["results"]) == 4
    assert set(d["results"][0]) >= {"name", "order", "max_abs_err", "max_rel_err", "points", "ok"}


def test_check_whole_catalog_text():
    r = run_cli(["check", "--points", "40"])
    assert r.exit_code == 0
    assert "all agree" in r.output
    assert "hard_sigmoid:pytorch" in r.output


def test_check_wrong_claim_exits_1():
    r = run_cli(["check", "mish", "--order", "1", "--claim", "tanh(log(1+exp(x))) + x*sech(x)**2"])
    assert r.exit_code == 1
    assert r.output.startswith("WRONG")
    assert "worst at x =" in r.output


def test_check_right_claim():
    r = run_cli(["check", "mish", "--order", "1", "--claim",
                 "tanh(softplus(x)) + x*sech(softplus(x))**2*sigmoid(x)"])
    assert r.exit_code == 0 and r.output.startswith("agrees")


BAD = [
    (["show", "hard_sigmod"], "did you mean hard_sigmoid"),
    (["show", "hard_sigmoid", "-p", "gamma=1"], "parameter 'gamma' is not used by hard_sigmoid"),
    (["show", "x*tanh(x)", "-p", "b=2"], "parameter 'b' is not used by x*tanh(x)"),
    (["train-xor", "--act", "sigmoid", "-p", "b=2"], "parameter 'b' is not used by sigmoid"),
    (["plot", "sigmoid", "x*sigmoid(b*x)", "-p", "b=1", "-p", "c=2"],
     "parameter 'c' is not used by sigmoid, x*sigmoid(b*x)"),
    (["show", "elu", "-p", "alpha=1", "-p", "alpha=2"], "given twice"),
    (["show", "hard_sigmoid", "-p", "alpha=abc"], "not a finite number"),
    (["show", "hard_sigmoid", "-p", "alpha"], "NAME=VALUE"),
    (["show", "mish", "--order", "-1"], "--order"),
    (["show", "mish", "--order", "1000"], "--order"),
    (["plot", "mish", "--range", "2", "1"], "LO < HI"),
    (["plot", "mish", "--range", "1", "1"], "LO < HI"),
    (["plot", "mish", "--derivatives", "-1"], "--derivatives"),
    (["plot", "mish", "--derivatives", "99"], "--derivatives"),
    (["plot", "mish", "--points", "10000000000"], "--points"),
    (["plot", "mish", "-o", "out.gif"], "unknown file extension .gif"),
    (["plot", "mish", "-o", "/nonexistent-folder/x.png"], "does not exist"),
    (["plot", "__import__('os').system('echo hi')"], "not allowed"),
    (["plot", "x +* 1"], "not a valid expression"),
    (["check", "mish", "--order", "0"], "--order"),
    (["check", "mish", "--points", "0"], "--points"),
    (["check", "mish", "relu", "--claim", "x"], "exactly one NAME"),
    (["check", "mish", "--claim", "y"], "unknown name 'y'"),
    (["show"], "Missing argument"),
    (["plot", "mish", "--bogus"], "No such option"),
    (["nosuchcommand"], "No such command"),
]


@pytest.mark.parametrize("args,message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_one_line_exit_2(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run_cli(args)
    assert r.exit_code == 2, (r.output, r.stderr)
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    assert message in lines[0]
    assert "Traceback" not in r.stderr
    assert os.listdir(tmp_path) == []  # no partial file


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output(tmp_path):
    d = tmp_path / "ro"
    d.mkdir()
    d.chmod(0o500)
    r = run_cli(["plot", "mish", "-o", str(d / "x.png")])
    assert r.exit_code == 2 and "permission denied" in r.stderr


def test_write_failure_leaves_no_partial_file(tmp_path, monkeypatch):
    """A failure while saving (disk full, ...) is one line, exit 2, and no file."""
    import matplotlib.figure

    def boom(self, *a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", boom)
    out = tmp_path / "x.png"
    r = run_cli(["plot", "relu", "--points", "11", "-o", str(out)])
    assert r.exit_code == 2 and "No space left" in r.stderr
    assert os.listdir(tmp_path) == []


def test_show_heads_a_variant_with_its_own_summary():
    r = run_cli(["show", "gelu:tanh", "--order", "1"])
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == (
        "gelu:tanh  —  the tanh approximation (ONNX approximate='tanh')")


def test_show_properties_rows():
    r = run_cli(["show", "ultra_fast_sigmoid", "--order", "1"])
    text = r.stdout
    assert "max |f'| (where differentiable)  0.375" in text
    assert "Lipschitz constant               ∞  (f jumps)" in text
    relu = run_cli(["show", "relu"]).stdout
    assert "zero-centred                     no  (mean 0.398942 for x ~ N(0, 1))" in relu
    assert "f(0) = 0                         yes" in relu
    data = json.loads(run_cli(["show", "tanh", "--json"]).stdout)["properties"]
    assert data["zero_centred"] and data["zero_at_origin"] and data["gaussian_mean"] == 0
