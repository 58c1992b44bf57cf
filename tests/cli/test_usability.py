"""The CLI as users expect it (issue 12): comparisons, families, symbolic parameters, the
property table, variant descriptions, one vocabulary, progress, terminal width, figures."""

from __future__ import annotations

import json
import os
import pty
import struct
import subprocess
import sys

import pytest

from conftest import run_cli


def _png_size(path):
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


# --- comparing and exploring -------------------------------------------------------------


def test_plot_vs_prints_the_largest_errors_and_writes_the_error_figure(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run_cli(["plot", "gelu", "--vs", "gelu:tanh", "--points", "201"])
    assert r.exit_code == 0, r.output
    lines = r.output.strip().splitlines()
    assert lines[-1] == "wrote gelu_vs_gelu_tanh.png"
    assert lines[0] == "gelu vs gelu:tanh:"
    for order, ln in zip(("f(x):", "f'(x):", "f''(x):"), lines[1:4]):
        assert ln.split()[:3] == [order, "max", "|error|"], ln
    # the tanh form's error is known to be of order 1e-3 (most 4.7e-4 in f, near |x| = 2.7)
    first = lines[1]
    assert "at x = ±2.699," in first
    err = float(first.split("max |error| ")[1].split()[0])
    assert 1e-4 < err < 1e-3
    assert (tmp_path / "gelu_vs_gelu_tanh.png").stat().st_size > 10_000


@pytest.mark.parametrize("name", ["hard_sigmoid", "ultra_fast_sigmoid"])
def test_plot_vs_sigmoid(tmp_path, name):
    out = tmp_path / "cmp.svg"
    r = run_cli(["plot", name, "--vs", "sigmoid", "-d", "1", "--points", "201", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert f"{name} vs sigmoid:\n  f(x):   max |error|" in r.output
    assert "\n  f'(x):  max |error|" in r.output
    assert out.read_bytes().startswith(b"<?xml")


def test_check_order_0_audits_a_claimed_function():
    ok = run_cli(["check", "thresholded_relu", "-d", "0", "--claim", "where(x > 1, x, 0)"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("agrees")
    wrong = run_cli(["check", "thresholded_relu", "--derivatives", "0", "--claim",
                     "max(0, x - 1)"])
    assert wrong.exit_code == 1
    assert "WRONG" in wrong.output
    assert "thresholded_relu(x) = x for x > 1; 0 otherwise" in wrong.output  # not Piecewise(


def test_check_order_0_without_a_claim_is_refused():
    r = run_cli(["check", "mish", "-d", "0"])
    assert r.exit_code == 2 and "--derivatives" in r.stderr


@pytest.mark.parametrize("value,labels", [
    ("0.5,1,2", ["alpha=0.5", "alpha=1", "alpha=2"]),
    ("0.5:2:4", ["alpha=0.5", "alpha=1", "alpha=1.5", "alpha=2"]),
])
def test_parameter_families_one_curve_each(value, labels):
    from actviz.cli.options import load_functions, parse_params

    funcs = load_functions(["elu"], parse_params((f"alpha={value}",)))
    assert [f.label for f in funcs] == [f"elu ({lab})" for lab in labels]
    assert len({float(f.numpy(0)(-1.0)) for f in funcs}) == len(labels)  # different ones


def test_family_plot_has_a_legend_entry_per_value_and_a_named_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run_cli(["plot", "silu", "-p", "alpha=0.5,1,2", "-d", "1", "--points", "101"])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == "wrote silu_alpha_0.5-1-2.png"
    r = run_cli(["plot", "silu", "-p", "alpha=3", "-d", "0", "--points", "101"])
    assert r.output.strip() == "wrote silu_alpha_3.png"  # silu.png is not overwritten
    assert sorted(os.listdir(tmp_path)) == ["silu_alpha_0.5-1-2.png", "silu_alpha_3.png"]


def test_bad_family_is_a_usage_error():
    for bad in ("alpha=1:2", "alpha=1:2:0", "alpha=1,,2", "alpha=a:b:3"):
        r = run_cli(["plot", "elu", "-p", bad, "-o", "x.png"])
        assert r.exit_code == 2, (bad, r.output)
        assert len(r.stderr.strip().splitlines()) == 1


def test_symbolic_parameter_stays_a_symbol():
    r = run_cli(["show", "x*sigmoid(b*x)"])
    assert r.exit_code == 0, r.output
    assert "f'(x) = (b⋅x⋅(1 - sigmoid(b⋅x)) + 1)⋅sigmoid(b⋅x)" in r.output
    assert "need a value for b (-p b=VALUE)" in r.output
    d = json.loads(run_cli(["show", "x*sigmoid(b*x)", "--json", "-d", "1"]).output)
    assert d["free_parameters"] == ["b"] and d["properties"] is None
    assert "b" in d["derivatives"][0]
    d = json.loads(run_cli(["show", "x*sigmoid(b*x)", "-p", "b=1.702", "--json"]).output)
    assert d["free_parameters"] == [] and d["properties"]["bounded"] is False


def test_a_mistyped_name_is_not_a_symbol():
    r = run_cli(["show", "hard_sigmod"])
    assert r.exit_code == 2
    assert "did you mean hard_sigmoid" in r.stderr


@pytest.mark.parametrize("fmt,needle", [("unicode", "1.702⋅x"), ("latex", "1.702 x")])
def test_decimal_parameters_print_as_decimals(fmt, needle):
    r = run_cli(["show", "x*sigmoid(a*x)", "-p", "a=1.702", "--format", fmt, "-d", "1"])
    assert r.exit_code == 0, r.output
    assert needle in r.output and "851" not in r.output


def test_list_properties_table_and_filters(monkeypatch):
    r = run_cli(["list", "--properties", "--json"])
    rows = {d["name"]: d["properties"] for d in json.loads(r.output)}
    bounded = {n for n, p in rows.items() if p["bounded"]}
    assert {"sigmoid", "tanh", "hard_sigmoid", "softsign", "relu6"} <= bounded
    assert not {"relu", "mish", "gelu", "elu"} & bounded
    got = {d["name"] for d in json.loads(run_cli(["list", "--where", "bounded",
                                                  "--json"]).output)}
    assert got == bounded
    both = {d["name"] for d in json.loads(run_cli(["list", "--where", "bounded,monotonic",
                                                   "--json"]).output)}
    assert both == {n for n in bounded if rows[n]["monotonic"] != "no"}
    assert "ultra_fast_sigmoid" not in both  # bounded, but not monotonic
    neither = {d["name"] for d in json.loads(run_cli(["list", "--where", "no-bounded",
                                                      "--json"]).output)}
    assert neither == set(rows) - bounded
    monkeypatch.setenv("COLUMNS", "200")
    text = run_cli(["list", "--properties"]).output
    head = text.splitlines()[0].split()
    assert head == ["name", "bounded", "monotonic", "smooth", "range", "zero-centred",
                    "saturates"]
    assert "hard_sigmoid" in text and "|x| ≥ 2.5" in text


def test_list_where_unknown_property():
    r = run_cli(["list", "--where", "boundd"])
    assert r.exit_code == 2 and "unknown property" in r.stderr


def test_variant_descriptions_in_list_and_show():
    text = run_cli(["list"]).output
    assert ":pytorch  PyTorch F.hardsigmoid: x/6 + 1/2" in text
    shown = run_cli(["show", "hard_sigmoid:pytorch", "-d", "1"]).output
    assert "PyTorch F.hardsigmoid: x/6 + 1/2" in shown.splitlines()[0]


# --- one vocabulary ----------------------------------------------------------------------


@pytest.mark.parametrize("spelling", [["--derivatives", "1"], ["-d", "1"], ["--order", "1"]])
def test_derivative_order_spelled_alike(spelling):
    shown = json.loads(run_cli(["show", "mish", "--json", *spelling]).output)
    assert len(shown["derivatives"]) == 1
    checked = json.loads(run_cli(["check", "mish", "--points", "30", "--json",
                                  *spelling]).output)
    assert {r["order"] for r in checked["results"]} == {1}
    stab = json.loads(run_cli(["stability", "sigmoid", "--dtype", "float16", "--json",
                               *spelling]).output)
    assert stab["results"][0]["order"] == 1


@pytest.mark.parametrize("cmd", ["show", "check", "plot"])
def test_derivative_range_is_the_same(cmd, tmp_path):
    r = run_cli([cmd, "mish", "-d", "7", "-o", str(tmp_path / "a.png")] if cmd == "plot"
                else [cmd, "mish", "-d", "7"])
    assert r.exit_code == 2 and "--derivatives" in r.stderr


def test_n_is_not_an_order_anywhere():
    for cmd in ("show", "check", "plot"):
        assert run_cli([cmd, "mish", "-n", "2"]).exit_code == 2


def test_train_xor_names_are_positional(tmp_path):
    args = ["--seeds", "2", "--epochs", "20", "--json"]  # one figure is enough (seconds each)
    pos = json.loads(run_cli(["train-xor", "hard_sigmoid", "sigmoid", *args,
                              "-o", str(tmp_path / "x.png")]).output)
    opt = json.loads(run_cli(["train-xor", "--act", "hard_sigmoid", "--act", "sigmoid",
                              *args]).output)
    comma = json.loads(run_cli(["train-xor", "hard_sigmoid,sigmoid", *args]).output)
    acts = [[a["act"] for a in d["activations"]] for d in (pos, opt, comma)]
    assert acts == [["hard_sigmoid", "sigmoid"]] * 3
    assert pos["activations"][0]["final_loss_median"] == opt["activations"][0][
        "final_loss_median"]


def test_lists_repeatable_or_comma_separated():
    a = json.loads(run_cli(["stability", "sigmoid", "--dtype", "float16,bfloat16",
                            "--json"]).output)
    b = json.loads(run_cli(["stability", "sigmoid", "--dtype", "float16", "--dtype",
                            "bfloat16", "--json"]).output)
    def dtypes(d):
        return [t["dtype"] for t in d["results"][0]["dtypes"]]

    assert dtypes(a) == dtypes(b) == ["float16", "bfloat16"]
    c = json.loads(run_cli(["check", "mish,sigmoid", "--points", "20", "--json"]).output)
    assert [r["name"] for r in c["results"]][::2] == ["mish", "sigmoid"]


def test_gallery_accepts_o_and_comma_lists(tmp_path):
    r = run_cli(["gallery", "-o", str(tmp_path), "--list"])
    assert r.exit_code == 0
    first = [ln.split()[0] for ln in r.output.strip().splitlines()][:2]
    keys = [p.rsplit(".", 1)[0] for p in first]  # functions/hard_sigmoid
    r = run_cli(["gallery", "-o", str(tmp_path), "--only", ",".join(keys), "-q"])
    assert r.exit_code == 0, r.output
    for path in first:
        assert (tmp_path / path).exists()


def test_bench_says_what_it_wrote(tmp_path):
    out = tmp_path / "b.png"
    r = run_cli(["bench", "relu", "--size", "2000", "--repeat", "1", "--backend", "numpy",
                 "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1] == f"wrote {out}"
    assert "machine:" in r.output and "SIMD" in r.output
    assert _png_size(out)[0] > 100


COMMANDS = ["list", "show", "plot", "check", "train-xor", "optimize-constraint", "stability",
            "bench", "gallery"]


@pytest.mark.parametrize("cmd", COMMANDS)
def test_help_pages_laid_out_alike(cmd, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    text = run_cli([cmd, "--help"]).output
    lines = text.splitlines()
    assert lines[0].startswith(f"Usage: actviz {cmd}")
    order = [text.index(k) for k in ("Examples:", "Options:")]
    assert order == sorted(order)
    if "--json" in text:
        assert text.index("JSON keys") > text.index("Options:")
    assert max(len(ln) for ln in lines) <= 80, max(lines, key=len)


# --- feedback and output -----------------------------------------------------------------


def _on_a_terminal(args, timeout=300):
    """Run actviz with stderr on a pseudo-terminal; (stdout, what the terminal showed)."""
    master, slave = pty.openpty()
    env = dict(os.environ, COLUMNS="100")
    proc = subprocess.Popen([sys.executable, "-m", "actviz", *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    out, _ = proc.communicate(timeout=timeout)
    os.close(master)
    assert proc.returncode == 0, shown
    return out.decode(), shown.decode(errors="replace")


def test_progress_shown_on_a_terminal_only():
    out, shown = _on_a_terminal(["check", "mish", "sigmoid", "--points", "40"])
    assert "auditing" in shown and "100%" in shown
    assert "auditing" not in out  # stdout stays the report
    plain = run_cli(["check", "mish", "sigmoid", "--points", "40"])
    assert plain.stderr == ""


def test_quiet_hides_the_progress():
    _, shown = _on_a_terminal(["stability", "sigmoid", "--dtype", "float16", "-q"])
    assert "%" not in shown


def test_compile_notice_once_on_a_terminal(monkeypatch, capsys):
    from actviz import kernels, numba_env
    from actviz.cli import options

    if "numba" not in kernels.backends():
        pytest.skip("numba not installed")
    monkeypatch.setattr(options, "is_tty", lambda: True)
    seen = iter([True, False])
    monkeypatch.setattr(numba_env, "first_compile", lambda stamp: next(seen))
    options.compile_notice(30)
    options.compile_notice(30)
    err = capsys.readouterr().err
    assert err.count("compiling the numba kernels once") == 1 and "about 30 s" in err


def test_numpy_fallback_hint(monkeypatch, capsys):
    from actviz import kernels
    from actviz.cli import options

    monkeypatch.setattr(options, "is_tty", lambda: True)
    monkeypatch.setattr(kernels, "backends", lambda: ["numpy"])
    options.numba_hint("train-xor")
    assert "pip install 'actviz[numba]'" in capsys.readouterr().err


@pytest.mark.parametrize("args", [
    ["list"], ["list", "--properties"], ["show", "gelu:tanh"], ["show", "selu"],
    ["show", "x*sigmoid(b*x)"], ["check", "mish", "--points", "30"],
    ["stability", "mish", "--dtype", "float16"],
    ["train-xor", "hard_sigmoid", "--seeds", "2", "--epochs", "20", "-o", "x.png"],
    ["plot", "gelu", "--vs", "gelu:tanh", "--points", "101", "-o", "v.png"],
    ["bench", "relu,sigmoid", "--size", "2000", "--repeat", "1", "-o", "b.png"],
])
def test_text_fits_80_columns(args, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    r = run_cli(args)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert max(len(ln) for ln in lines) <= 80, max(lines, key=len)


def test_wide_terminal_keeps_the_table(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    first = run_cli(["list", "--properties"]).output.splitlines()[1]
    assert first.split()[:4] == ["hard_sigmoid", "yes", "non-decreasing", "C0"]


def test_train_xor_prints_f_prime_as_a_line(tmp_path):
    r = run_cli(["train-xor", "hard_sigmoid", "--seeds", "2", "--epochs", "10",
                 "-o", str(tmp_path / "x.png")])
    line = next(ln for ln in r.output.splitlines() if ln.strip().startswith("f'(x)"))
    assert "Piecewise" not in line
    assert "1/5 otherwise" in line


def test_dpi_sets_the_png_resolution(tmp_path):
    sizes = []
    for dpi in ("60", "120"):
        out = tmp_path / f"p{dpi}.png"
        assert run_cli(["plot", "relu", "-d", "0", "--points", "51", "--dpi", dpi,
                        "-o", str(out)]).exit_code == 0
        sizes.append(_png_size(out))
    assert sizes[1][0] == pytest.approx(2 * sizes[0][0], rel=0.02)  # tight bbox: not exact
    assert run_cli(["plot", "relu", "--dpi", "5", "-o", str(tmp_path / "a.png")]).exit_code == 2


@pytest.mark.parametrize("args", [["--json"], [], ["--format", "latex", "-d", "3"]])
def test_analysis_cache_gives_the_same_answer(args):
    cached = run_cli(["show", "softsign", *args]).output
    again = run_cli(["show", "softsign", *args]).output  # kinks, properties, formulas cached
    fresh = run_cli(["show", "softsign", *args, "--no-cache"]).output
    assert cached == again == fresh


def test_gallery_outside_a_checkout_draws_the_packaged_bench(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    listing = run_cli(["gallery", "-o", "out", "--list"]).output
    bench = [ln.split()[0] for ln in listing.splitlines() if "bench" in ln.split()[0]]
    assert bench, listing
    r = run_cli(["gallery", "-o", "out", "--only", bench[0].rsplit(".", 1)[0], "-q"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / bench[0]).stat().st_size > 1000


def test_default_file_names_keep_a_parameter_sign():
    from actviz.cli.cmd_plot import default_filename

    assert default_filename(["elu"], {"alpha": "-1"}) == "elu_alpha_-1.png"
    assert default_filename(["elu"], {"alpha": "1"}) == "elu_alpha_1.png"
    assert default_filename(["silu"], {"alpha": ("-0.5", "2")}) == "silu_alpha_-0.5-2.png"
    assert default_filename(["hard_sigmoid"], {"alpha": "1/6"}) == "hard_sigmoid_alpha_1_6.png"
