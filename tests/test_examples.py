"""The examples stay runnable: examples/balance.ipynb's code cells run, in order, on a small sweep."""

from __future__ import annotations

import json
import subprocess
import sys


def test_the_balance_notebook_runs_on_a_sweep(repo_root, tmp_path, cli_env):
    notebook = json.loads((repo_root / "examples" / "balance.ipynb").read_text(encoding="utf-8"))
    code = "\n\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    script = tmp_path / "balance.py"
    script.write_text(code + "\n\nprint(by_strategy.to_json())\n", encoding="utf-8")
    env = {**cli_env, "HOMEGROWN_SWEEP": str(tmp_path / "sweep"), "HOMEGROWN_SWEEP_GAMES": "30",
           "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(tmp_path / "mpl")}
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    table = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(table["games"].values()) == {30} and "balanced" in table["win_rate"]
    assert (tmp_path / "sweep" / "balance.png").stat().st_size > 1000
