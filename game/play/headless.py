"""One game without a screen: the document `homegrown run --json` prints, and its readable summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.play.records import GameResult, TurnSummary
from game.play.runner import turns
from game.render.labels import METRIC_LABELS, format_metric, goal_detail, goal_numbers, score_line, verdict
from game.sim.scoring import is_met
from game.sim.world import World
from game.strategies import get_strategy

if TYPE_CHECKING:
    from game.content.pack import Content

SCHEMA_VERSION = 1


def run_game(content: Content, scenario: str, seed: int, strategy_name: str, world: World | None = None
             ) -> dict[str, Any]:
    """The `homegrown run --json` document of one game (`world`: the scenario's, if the caller built it)."""
    if world is None:
        from game.sim.compile import build_world  # lazy: `run` plays a compiled world from the cache

        world = build_world(content, scenario)
    strategy = get_strategy(strategy_name)
    history, final = [], None
    for turn in turns(world, [seed], strategy, record=True):
        history.append(TurnSummary.of(turn, world).to_json())
        final = turn.after
    assert final is not None
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": scenario,
        "seed": seed,
        "strategy": strategy.name,
        "content_fingerprint": content.fingerprint,
        "turns": len(history),
        **GameResult.of(world, final).to_json(),
        "history": history,
    }


def started_met(goal: dict[str, Any]) -> bool:
    return is_met(goal["op"], goal["target"], goal["start"])


def summary(doc: dict[str, Any]) -> str:
    """The readable summary `homegrown run` prints without --json."""
    lines = [
        f"{doc['scenario']} · seed {doc['seed']} · strategy {doc['strategy']} · {doc['turns']} turns",
        f"Outcome: {doc['outcome'].upper()}   {score_line(doc['score'], doc['outcome'])}",
        verdict(sum(g["met"] for g in doc["goals"]), len(doc["goals"]), doc["weight_met"]),
        "",
        "Goals:",
    ]
    total = sum(g["weight"] for g in doc["goals"])
    for g in doc["goals"]:
        mark = "✔ met   " if g["met"] else "✘ missed"
        value, target = goal_numbers(g["metric"], g["op"], g["target"], g["value"], g["met"])
        start, _ = goal_numbers(g["metric"], g["op"], g["target"], g["start"], True)
        lines.append(f"  {mark} {g['description']}: {value} (target {target}; start {start})")
        lines.append(f"             {goal_detail(g['weight'], total, g['met'], g['progress'], g['bonus'], started_met(g))}")
    lines += ["", "Final metrics:"]
    for name, value in doc["final"]["metrics"].items():
        lines.append(f"  {METRIC_LABELS.get(name, name):34} {format_metric(name, value)}")
    lines += ["", "Global shares:"]
    for vendor, share in sorted(doc["final"]["global_shares"].items(), key=lambda kv: -kv[1]):
        lines.append(f"  {vendor:10} {share * 100:5.1f} %  {'█' * round(share * 60)}")
    fired = [f"{h['quarter']} {e['title']}" + (f" → {e['choice']}" if e["choice"] else "")
             for h in doc["history"] for e in h["events"]]
    if fired:
        lines += ["", "Events:"] + [f"  {f}" for f in fired]
    lines += ["", f"state_hash {doc['state_hash']}"]
    return "\n".join(lines)
