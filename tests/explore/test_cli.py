"""actviz explore on the command line: the file, the errors (one line, exit 2, no file),
and the one-line hint where Bokeh is missing."""

from __future__ import annotations

import json
import re

import pytest

from conftest import run_cli

pytest.importorskip("bokeh")


def _data(path) -> dict:
    """The page's data, read back from the Bokeh document embedded in the file."""
    import html

    text = path.read_text(encoding="utf-8")
    docs = json.loads(html.unescape(re.search(
        r'<script type="application/json" id="[^"]+">(.*?)</script>', text, re.S).group(1)))

    def find(o):
        if isinstance(o, str) and o.startswith('{"entries"'):
            return json.loads(o)
        if isinstance(o, dict):
            for v in o.values():
                if (r := find(v)) is not None:
                    return r
        elif isinstance(o, list):
            for v in o:
                if (r := find(v)) is not None:
                    return r
        return None

    return find(docs)


def test_explore_writes_one_page(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run_cli(["explore", "elu", "relu", "-p", "alpha=2", "--only"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "wrote elu_relu_alpha_2.html\n"
    data = _data(tmp_path / "elu_relu_alpha_2.html")
    assert [e["key"] for e in data["entries"]] == ["elu", "relu"]
    assert data["initial"] == {"act": "elu", "params": {"alpha": 2.0}, "show": [0, 1, 2],
                               "with": ["relu"], "x": None}
    (alpha,) = data["entries"][0]["params"]
    assert alpha["default"] == 1.0 and alpha["start"] == 0.0 and alpha["end"] == 4.0
    assert data["entries"][0]["defaults"]["given"] is True


def test_a_family_is_overlaid_and_an_expression_gets_its_slider(tmp_path):
    out = tmp_path / "f.html"
    r = run_cli(["explore", "silu", "x*sigmoid(b*x)", "-p", "alpha=0.5,2", "--only",
                 "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    data = _data(out)
    assert data["initial"]["act"] == "silu" and data["initial"]["params"] == {"alpha": 0.5}
    assert data["initial"]["with"] == ["silu(alpha=0.5)", "silu(alpha=2)", "x*sigmoid(b*x)"]
    expr = data["entries"][1]
    assert expr["key"] == "x*sigmoid(b*x)" and [p["name"] for p in expr["params"]] == ["b"]
    assert expr["params"][0]["default"] == 1.0  # a name without a value starts at 1


@pytest.mark.parametrize("args, message", [
    (["elu", "-o", "page.png"], "use a .html file name"),
    (["elu", "-p", "beta=2"], "parameter 'beta' is not used by elu"),
    (["nosuch"], "unknown activation 'nosuch'"),
    (["elu", "-o", "missing/page.html"], "does not exist"),
    (["--only"], "--only needs at least one NAME"),
])
def test_user_errors_are_one_line_and_leave_no_file(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    r = run_cli(["explore", *args])
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and message in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_without_bokeh_it_names_the_extra(tmp_path, monkeypatch):
    import actviz.explore

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(actviz.explore, "has_bokeh", lambda: False)
    r = run_cli(["explore", "elu"])
    assert r.exit_code == 2
    assert r.stderr == "Error: actviz explore needs Bokeh: pip install 'actviz[explore]'\n"
    assert list(tmp_path.iterdir()) == []


def test_help_lists_explore():
    r = run_cli(["--help"])
    assert "explore" in r.stdout
    r = run_cli(["explore", "--help"])
    assert r.exit_code == 0 and "#act=elu&alpha=2&show=f,df" in r.stdout
