"""Shared helpers for the balance tests: a tutorial whose goals are calibrated to whatever content/ holds
today (the content is being rebalanced), programmatic pack changes, and a scenario written back as TOML
for the command-line tests."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from game.content.pack import Content, refingerprint
from game.play.runner import play
from game.sim.compile import build_world
from game.sim.scoring import evaluate
from game.strategies import get_strategy

SCENARIO = "tutorial"
MET_BY_BALANCED = 0.6
"""Each calibrated goal's target is what `balanced` reaches in this share of its games (about a third of
its games then meet every goal: room for skill above it and for luck below)."""


def crafted(content: Content, new_levers: dict | None = None, new_events: dict | None = None,
            **scenario_changes: Any) -> Content:
    """The pack with the tutorial changed (and levers or events added or replaced), fingerprint recomputed."""
    scenario = content.scenarios[SCENARIO].model_copy(update=scenario_changes)
    return refingerprint(replace(content, levers={**content.levers, **(new_levers or {})},
                                 events={**content.events, **(new_events or {})},
                                 scenarios={**content.scenarios, SCENARIO: scenario}))


def calibrated_goals(content: Content, games: int = 200) -> list:
    """The tutorial's goals with targets moved so that `balanced` meets each in MET_BY_BALANCED of its games."""
    world = build_world(content, SCENARIO)
    values = evaluate(play(world, np.arange(games), get_strategy("balanced")), world).values
    goals = []
    for j, goal in enumerate(content.scenarios[SCENARIO].goals):
        q = 1 - MET_BY_BALANCED if goal.op == ">=" else MET_BY_BALANCED
        goals.append(goal.model_copy(update={"target": float(np.quantile(values[:, j], q))}))
    return goals


_CALIBRATED: dict[str, Content] = {}


def _calibrated(content: Content) -> Content:
    if content.fingerprint not in _CALIBRATED:
        _CALIBRATED[content.fingerprint] = crafted(content, goals=calibrated_goals(content))
    return _CALIBRATED[content.fingerprint]


def calibrated(content: Content, new_levers: dict | None = None, new_events: dict | None = None,
               **scenario_changes: Any) -> Content:
    """`crafted` on the calibrated tutorial (its goals fixed before the changes, so a change can make the
    game harder or easier than the calibration)."""
    return crafted(_calibrated(content), new_levers, new_events, **scenario_changes)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()
                                if v is not None) + " }"
    raise TypeError(f"no TOML for {value!r}")


def write_scenario(content: Content, folder: Path) -> Path:
    """The pack's tutorial as `folder/scenarios/tutorial.toml` (an overlay for `--content folder`)."""
    data = content.scenarios[SCENARIO].model_dump(mode="json", exclude_none=True)
    (folder / "scenarios").mkdir(parents=True, exist_ok=True)
    path = folder / "scenarios" / f"{SCENARIO}.toml"
    path.write_text("\n".join(f"{k} = {_toml_value(v)}" for k, v in data.items()) + "\n", encoding="utf-8")
    return path
