"""`gather()`: a class's saves in, a `ClassReport` out (finding and checking the saves, each game's row,
the comparison with the strategies, the events and the discussion prompts)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from game.analysis.debrief.data import ClassReport, GameRow, ReportError
from game.analysis.debrief.discussion import discussion_prompts, summarise_events
from game.analysis.debrief.games import game_row
from game.analysis.debrief.saves import choose_group, find_saves, read_saves, replay_group
from game.analysis.debrief.strategies import DEFAULT_SWEEP_GAMES, default_strategies, strategy_distribution
from game.content.pack import Content
from game.sim.compile import build_world


def gather(
    inputs: Sequence[str | Path],
    content: Content,
    *,
    scenario: str | None = None,
    sweep_games: int = DEFAULT_SWEEP_GAMES,
    strategies: Sequence[str] | None = None,
    progress: bool | None = False,
) -> ClassReport:
    """Read, check and replay a class's saves and compute the debrief. Raises ReportError only when no
    report at all can be made; every save that is not counted is in `.problems`. `progress`: bars for
    the replays and the strategies' games (None: on a terminal)."""
    paths, problems = find_saves(inputs)
    saves, unreadable = read_saves(paths)
    problems += unreadable
    if not saves:
        listing = "; ".join(f"{p.path}: {p.message}" for p in problems) or "no inputs"
        raise ReportError(f"no readable save among the inputs ({listing})")
    group, odd = choose_group(saves, scenario)
    problems += odd
    scenario_id, fingerprint = group
    if scenario_id not in content.scenarios:
        raise ReportError(
            f"scenario '{scenario_id}' is not in this content pack: if the class played a "
            "scenario of an overlay folder, pass it with --content DIR"
        )
    world = build_world(content, scenario_id)
    counted, failed = replay_group(saves, group, content, progress)
    problems += failed
    games: list[GameRow] = [game_row(path, save, session) for path, save, session in counted]
    games.sort(key=lambda g: (g.name.casefold(), g.path))
    seeds = {g.seed for g in games}
    class_seed = seeds.pop() if len(seeds) == 1 else None
    names = list(strategies) if strategies is not None else default_strategies()
    rows = strategy_distribution(content, scenario_id, sweep_games, names, class_seed, progress) if games else []
    events = summarise_events(games, content)
    sc = world.scenario
    return ClassReport(
        scenario=scenario_id,
        scenario_name=sc.name,
        description=sc.description,
        fingerprint=fingerprint,
        turns=world.turns,
        goals=[(g.id, g.description) for g in world.goals],
        goal_weights={g.id: g.weight for g in world.goals},
        games=games,
        problems=problems,
        strategies=rows,
        sweep_games=sweep_games if rows else 0,
        sweep_seed_start=0,
        class_seed=class_seed,
        events=events,
        learning_objectives=list(sc.learning_objectives),
        debrief_questions=list(sc.debrief_questions),
        prompts=discussion_prompts(games, rows, events, world),
        briefing=sc.briefing,
        inputs=[str(i) for i in inputs],
    )
