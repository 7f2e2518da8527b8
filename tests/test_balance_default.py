"""The default scenario stays balanced (issue 4's targets), on 300 fixed seeds per built-in strategy.

A designer who changes a number in content/ learns here, in seconds, if a strategy now dominates or the
game became trivial; `homegrown sweep --games 1000` gives the full table.
"""

from __future__ import annotations

from game.analysis.stats import balance_checks
from game.analysis.sweep import sweep
from game.strategies import BUILTIN


def test_default_scenario_meets_every_balance_target(content):
    result = sweep(content, "default", 300, list(BUILTIN), progress=False)
    checks = balance_checks(result, 0)
    failed = [f"{c['target']}: {c['detail']}" for c in checks if not c["ok"]]
    assert all(c["ok"] is not None for c in checks)
    assert not failed, failed
