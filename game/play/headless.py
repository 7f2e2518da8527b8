"""One game without a screen: the document `homegrown run --json` prints, and its readable summary."""

from __future__ import annotations

from typing import Any

from game.content.loader import Content
from game.play.runner import Turn, turns
from game.sim.metrics import KEY_METRICS, METRIC_LABELS, PERCENT_METRICS, metrics
from game.sim.scoring import OUTCOMES, evaluate
from game.sim.state import State
from game.sim.why import contributions, global_share_table, top_causes
from game.sim.world import World, build_world
from game.strategies import get_strategy

SCHEMA_VERSION = 1


def _round(x: float) -> float:
    return round(float(x), 6)


def turn_entry(turn: Turn, world: World, game: int = 0) -> dict[str, Any]:
    """One turn of a game's history: what was spent, what happened, and why the key metrics moved."""
    r, after = turn.report, turn.after
    why = contributions(turn.before, after, r, world)
    events = []
    for e, fired in enumerate(r.events[game]):
        if fired:
            event = world.event(e)
            choice = int(r.choices[game, e])
            events.append({"id": event.id, "title": event.title,
                           "choice": event.choices[choice].id if choice >= 0 else None})
    deals = [{"id": world.deal_ids[d], "result": "won" if v > 0 else "lost"}
             for d, v in enumerate(r.deals[game]) if v != 0]
    return {
        "quarter": r.quarter,
        "budget": _round(r.budget[game]),
        "allocations": {lid: _round(r.spent[game, i]) for i, lid in enumerate(world.lever_ids) if r.spent[game, i] > 0},
        "refused": bool(r.refused[game]),
        "metrics": {k: _round(v[game]) for k, v in metrics(after, world).items()},
        "global_shares": {k: _round(v) for k, v in global_share_table(after, world, game).items()},
        "events": events,
        "deals": deals,
        "incidents": int(r.incidents[game]),
        "major_incidents": int(r.major_incidents[game]),
        "why": {m: [{"cause": c, "change": _round(v)} for c, v in top_causes(why[m], game)] for m in KEY_METRICS
                if m in why},
    }


def result(world: World, final: State, game: int = 0) -> dict[str, Any]:
    """Outcome, score, goals and final state of one game of a batch."""
    scores = evaluate(final, world)
    goals = [{"id": g.id, "description": g.description, "op": g.op, "target": g.target,
              "value": _round(scores.values[game, j]), "met": bool(scores.met[game, j])}
             for j, g in enumerate(world.goals)]
    return {
        "outcome": OUTCOMES[int(scores.outcome[game])],
        "score": float(scores.score[game]),
        "goals": goals,
        "final": {
            "metrics": {k: _round(v[game]) for k, v in metrics(final, world).items()},
            "shares": {r: {v: _round(final.shares[game, i, j]) for j, v in enumerate(world.vendor_ids)}
                       for i, r in enumerate(world.region_ids)},
            "global_shares": {k: _round(v) for k, v in global_share_table(final, world, game).items()},
        },
        "state_hash": final.hash(game),
    }


def run_game(content: Content, scenario: str, seed: int, strategy_name: str) -> dict[str, Any]:
    world = build_world(content, scenario)
    strategy = get_strategy(strategy_name)
    history, final = [], None
    for turn in turns(world, [seed], strategy, record=True):
        history.append(turn_entry(turn, world))
        final = turn.after
    assert final is not None
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": scenario,
        "seed": seed,
        "strategy": strategy.name,
        "content_fingerprint": content.fingerprint,
        "turns": len(history),
        **result(world, final),
        "history": history,
    }


def format_metric(name: str, value: float) -> str:
    return f"{value * 100:.1f} %" if name in PERCENT_METRICS else f"{value:.1f}"


def summary(doc: dict[str, Any]) -> str:
    """The readable summary `homegrown run` prints without --json."""
    lines = [
        f"{doc['scenario']} · seed {doc['seed']} · strategy {doc['strategy']} · {doc['turns']} turns",
        f"Outcome: {doc['outcome'].upper()}   score {doc['score']:.1f} / 100",
        "",
        "Goals:",
    ]
    for g in doc["goals"]:
        mark = "✔ met   " if g["met"] else "✘ missed"
        lines.append(f"  {mark} {g['description']}: {g['value']:.4g} (target {g['op']} {g['target']:g})")
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
