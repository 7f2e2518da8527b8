"""`gather()`: a class's saves in, a `ClassReport` out (finding and checking the saves, the integrity
flags, each game's row and decisions, the comparisons, the events and the discussion prompts)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from game.analysis.debrief.data import ClassReport, GameRow, ReportError
from game.analysis.debrief.discussion import discussion_prompts, summarise_events
from game.analysis.debrief.games import game_row, spend_groups
from game.analysis.debrief.integrity import flags as integrity_flags
from game.analysis.debrief.saves import choose_group, find_saves, read_saves, replay_group
from game.analysis.debrief.strategies import (
    DEFAULT_SEARCH_GENERATIONS,
    DEFAULT_SWEEP_GAMES,
    best_plan,
    default_strategies,
    matchups,
    strategy_distribution,
)
from game.content.pack import Content
from game.render.shell import path_word
from game.sim.compile import build_world


def gather(
    inputs: Sequence[str | Path],
    content: Content,
    *,
    scenario: str | None = None,
    sweep_games: int = DEFAULT_SWEEP_GAMES,
    strategies: Sequence[str] | None = None,
    progress: bool | None = False,
    roster: Sequence[str] | None = None,
    search_generations: int = DEFAULT_SEARCH_GENERATIONS,
    overlays: Sequence[str] = (),
) -> ClassReport:
    """Read, check and replay a class's saves and compute the debrief. Raises ReportError only when no
    report at all can be made; every save that is not counted is in `.problems`, every save that is
    counted but suspicious carries its `.flags` (and is left out of the class's statistics). `progress`:
    bars for the replays and the strategies' games (None: on a terminal)."""
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
    sc = world.scenario
    counted, failed = replay_group(saves, group, content, progress)
    problems += failed
    flags = integrity_flags([(p, s) for p, s, _ in counted], sc.seed, roster)
    groups = spend_groups(world)
    extra = [w for o in overlays for w in ("--content", path_word(str(o)))]
    games: list[GameRow] = []
    for path, save, session in counted:
        row = game_row(path, save, session, groups, ["homegrown", "replay", path_word(str(path)), *extra])
        row.flags = [f for f in flags if f.path == str(path)]
        games.append(row)
    games.sort(key=lambda g: (g.name.casefold(), g.path))
    clean = [g for g in games if not g.flagged]
    class_seeds = sorted({g.seed for g in clean})
    names = list(strategies) if strategies is not None else default_strategies()
    rows = strategy_distribution(content, scenario_id, sweep_games, names, class_seeds, progress) if clean else []
    note = ""
    if clean:
        plan, note = best_plan(content, scenario_id, sweep_games, class_seeds, search_generations)
        rows += [plan] if plan is not None else []
    events = summarise_events(games, content)
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
        class_seed=class_seeds[0] if len(class_seeds) == 1 else None,
        events=events,
        learning_objectives=list(sc.learning_objectives),
        debrief_questions=list(sc.debrief_questions),
        prompts=discussion_prompts(clean, rows, events, world),
        briefing=sc.briefing,
        inputs=[str(i) for i in inputs],
        flags=flags,
        spend_groups=groups,
        matchups=matchups(clean, rows),
        class_seeds=class_seeds,
        search_note=note,
    )
