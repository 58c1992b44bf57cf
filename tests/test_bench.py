"""``actviz bench`` and the bench library on tiny sizes (no timed assertions)."""

from __future__ import annotations

import json

from actviz import bench

from conftest import run_cli


def test_bench_library_small():
    res = bench.run(["relu", "mish"], size=1000, repeat=1, peers=False, backends=("numpy",))
    d = res.to_dict()
    assert d["size"] == 1000 and d["dtype"] == "float32"
    assert set(d["floors_ms"]) == {"copy", "dy*x"}
    assert {(r["name"], r["op"]) for r in d["rows"]} == {
        ("relu", "forward"), ("relu", "backward"), ("mish", "forward"), ("mish", "backward")}
    assert all(r["ms"] > 0 and r["ratio"] > 0 for r in d["rows"])
    assert "relu" in res.table() and "floors:" in res.table()


def test_bench_cli_json_and_figure(tmp_path):
    out = tmp_path / "bench.png"
    r = run_cli(["bench", "sigmoid", "-n", "500", "--repeat", "1", "--no-peers",
                 "--backend", "numpy", "--json", "-o", str(out)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [row["impl"] for row in d["rows"]] == ["numpy", "numpy"]
    assert out.stat().st_size > 0


def test_bench_cli_errors():
    r = run_cli(["bench", "nosuch", "-n", "10", "--no-peers"])
    assert r.exit_code == 2 and "unknown activation" in r.stderr
    r = run_cli(["bench", "relu", "-n", "10", "--backend", "tpu", "--no-peers"])
    assert r.exit_code == 2 and "unknown backend" in r.stderr
    r = run_cli(["bench", "relu", "-n", "0", "--no-peers"])
    assert r.exit_code == 2
