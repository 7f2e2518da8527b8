"""A scenario's balance measured against the targets it declares (`[balance]`, schema.BalanceTargets): the one
home of what `homegrown search --balance`, `homegrown sweep --balance` and the balance tests measure and of
how each target is judged.

`measure` takes the families a search already found, searches what the targets still need (`fixed` for
the doctrines and lever verdicts, `reactive` when `reactive_beats_fixed_by` is declared), then judges what
the declared targets need (`NEEDS`): the category-led doctrines, each lever and each event's answers on the
best fixed plan, each category in the viable plans, the answer policies on the best plan and on `balanced`,
and the bots the targets name.
Every verdict is paired: the same seeds, from the search's first validation seed, for every variant.
`check_targets` turns those measures into one line per declared target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from game.analysis.doctrines import (
    AnswerVerdict,
    CategoryUse,
    Doctrine,
    LeverVerdict,
    answer_verdicts,
    category_uses,
    doctrines,
    lever_verdicts,
    viable_plans,
)
from game.analysis.policies import PolicyRates, on_found, on_strategy, with_search
from game.analysis.search import Found, Progress, Settings, make_space, search
from game.analysis.sweep import sweep
from game.content.pack import Content
from game.content.schema import CATEGORIES, BalanceTargets
from game.render.words import plural
from game.sim.compile import build_world
from game.strategies.builtin import balanced

VERDICT_GAMES = 500
"""Paired games per variant (lever, category, answer, answer policy) by default."""
LOOKAHEAD_GAMES = 100
"""Games the `lookahead` bot plays for `lookahead_min` by default (it is slow: about half a default game a
second on one core, as it plans each quarter to the end)."""
NEEDS = {
    "doctrines": ("min_viable_doctrines", "max_dead_levers", "every_category_useful"),
    "levers": ("max_mandatory_levers", "max_dead_levers"),
    "categories": ("every_category_useful",),
    "answers": ("max_answer_gain",),
    "answers_balanced": ("min_answer_spread",),
}
"""Each measure -> the targets it is needed for (a scenario declaring none of them skips it)."""
BOT_TARGETS = (("do_nothing_max", "do_nothing"), ("random_max", "random"), ("lookahead_min", "lookahead"))
"""Target -> the built-in strategy it measures."""


@dataclass(frozen=True)
class BotRate:
    wins: int
    games: int
    seed_start: int = 0

    @property
    def rate(self) -> float:
        return self.wins / self.games if self.games else 0.0


@dataclass(frozen=True)
class Measures:
    """Everything the balance targets are judged on."""

    families: list[Found]
    """The best plan of each family searched."""
    doctrines: list[Doctrine]
    levers: list[LeverVerdict]
    answers: list[AnswerVerdict]
    categories: list[CategoryUse]
    answers_best: PolicyRates | None
    answers_balanced: PolicyRates | None
    bots: dict[str, BotRate] = field(default_factory=dict)
    verdict_games: int = VERDICT_GAMES

    def family(self, name: str) -> Found | None:
        return next((f for f in self.families if f.family == name), None)

    @property
    def best(self) -> Found:
        """The family plan with the highest validated win rate (the earlier family on ties)."""
        return max(self.families, key=lambda f: f.win_rate)


def bots_needed(targets: BalanceTargets) -> list[str]:
    """The built-in strategies the declared targets measure."""
    return [bot for target, bot in BOT_TARGETS if getattr(targets, target) is not None]


def needs(targets: BalanceTargets, what: str) -> bool:
    """Whether a declared target needs measure `what` (a key of NEEDS)."""
    # `is`, not `in (None, False)`: a declared 0.0 equals False
    return any(getattr(targets, t) is not None and getattr(targets, t) is not False for t in NEEDS[what])


def measure(content: Content, scenario: str, found: Sequence[Found], settings: Settings, *,
            forbid: Sequence[str] = (), verdict_games: int = VERDICT_GAMES, lookahead_games: int = LOOKAHEAD_GAMES,
            bots: dict[str, BotRate] | None = None, workers: int = 1, progress: Progress | None = None) -> Measures:
    """The measures of a scenario's balance (see the module docstring). `bots` are win rates already
    measured (e.g. by a sweep); the targets' other bots are played here, `do_nothing` and `random` on the
    search's validation seeds, `lookahead` on `lookahead_games` of them."""
    targets = content.scenarios[scenario].balance
    families = list(found)
    need = ["fixed", *(["reactive"] if targets.reactive_beats_fixed_by is not None else [])]
    missing = [f for f in need if f not in {x.family for x in families}]
    if missing:
        families += search(content, scenario, missing, settings, forbid=forbid, workers=workers, progress=progress)
    fixed = next(f for f in families if f.family == "fixed")
    world = build_world(content, scenario)
    space = make_space(world, forbid)
    start = settings.validate_start
    found_doctrines = (doctrines(content, scenario, fixed, settings, workers=workers, progress=progress, forbid=forbid)
                       if needs(targets, "doctrines") else [])
    best = max(families, key=lambda f: f.win_rate)
    made = with_search(world, best)
    measured = dict(bots or {})
    played = [b for b in bots_needed(targets) if b not in measured]
    for name in played:
        games = lookahead_games if name == "lookahead" else settings.validate
        result = sweep(content, scenario, games, [name], seed_start=start, workers=workers, progress=False)
        measured[name] = BotRate(int((result.group(0, 0).cols.outcome == 0).sum()), games, start)
    answers = needs(targets, "answers")
    return Measures(
        families=families, doctrines=found_doctrines,
        levers=lever_verdicts(fixed, space, found_doctrines, verdict_games, start) if needs(targets, "levers") else [],
        answers=answer_verdicts(fixed, space, verdict_games, start) if answers else [],
        categories=(category_uses(viable_plans(families, found_doctrines), space, verdict_games, start)
                    if needs(targets, "categories") else []),
        answers_best=on_found(best, space, made, verdict_games, start) if answers else None,
        answers_balanced=(on_strategy(world, balanced(), made, verdict_games, start)
                          if needs(targets, "answers_balanced") else None),
        bots=measured, verdict_games=verdict_games)


@dataclass(frozen=True)
class TargetCheck:
    target: str
    ok: bool
    detail: str
    """The measured value against the target, in words."""


def _points(x: float) -> str:
    return f"{100 * x:.1f} points"


def check_targets(targets: BalanceTargets, m: Measures) -> list[TargetCheck]:
    """One check per declared target that was measured (a target whose measure is missing is left out)."""
    t, out = targets, []

    def check(name: str, ok: bool, text: str) -> None:
        out.append(TargetCheck(name, ok, text))

    best = m.best
    if t.min_win_rate is not None:
        check("min_win_rate", best.win_rate >= t.min_win_rate,
              f"the best plan found ({best.family}) wins {best.win_rate:.1%} (at least {t.min_win_rate:.0%})")
    if t.max_win_rate is not None:
        check("max_win_rate", best.win_rate <= t.max_win_rate,
              f"the best plan found ({best.family}) wins {best.win_rate:.1%} (at most {t.max_win_rate:.0%})")
    if t.best_loses_at_least is not None:
        loses = 1 - best.win_rate
        check("best_loses_at_least", loses >= t.best_loses_at_least,
              f"the best plan found ({best.family}) loses {loses:.1%} (at least {t.best_loses_at_least:.0%})")
    fixed, reactive = m.family("fixed"), m.family("reactive")
    if t.reactive_beats_fixed_by is not None and fixed is not None and reactive is not None:
        ahead = reactive.win_rate - fixed.win_rate
        gap = "level" if abs(ahead) < 5e-4 else f"reactive {'ahead' if ahead > 0 else 'behind'} by {_points(abs(ahead))}"
        check("reactive_beats_fixed_by", ahead >= t.reactive_beats_fixed_by - 1e-12,
              f"the best reactive plan wins {reactive.win_rate:.1%}, the best fixed {fixed.win_rate:.1%}: {gap} "
              f"(ahead by at least {_points(t.reactive_beats_fixed_by)})")
    viable = [d.category for d in m.doctrines if d.verdict == "viable"]
    if t.min_viable_doctrines is not None:
        check("min_viable_doctrines", len(viable) >= t.min_viable_doctrines,
              f"{plural(len(viable), 'viable doctrine')}: {', '.join(viable) or 'none'} (at least {t.min_viable_doctrines})")
    for name, verdict, limit in (("max_mandatory_levers", "mandatory", t.max_mandatory_levers),
                                 ("max_dead_levers", "dead", t.max_dead_levers)):
        if limit is not None:
            which = [v.lever for v in m.levers if v.verdict == verdict]
            check(name, len(which) <= limit,
                  f"{plural(len(which), verdict + ' lever')}: {', '.join(which) or 'none'} (at most {limit})")
    if t.every_category_useful and m.categories:
        useful = [f"{c.category} (in {', '.join(c.useful_in)})" for c in m.categories if c.useful]
        idle = [c.category for c in m.categories if not c.useful]
        check("every_category_useful", not idle,
              f"{len(useful)} of {len(CATEGORIES)} categories useful in a viable plan: {', '.join(useful) or 'none'}"
              + (f"; not useful in any: {', '.join(idle)}" if idle else "") + f" (all {len(CATEGORIES)})")
    p = m.answers_best
    if t.max_answer_gain is not None and p is not None:
        check("max_answer_gain", p.gain <= t.max_answer_gain + 1e-12,
              f"on {p.plan}, the best answer policy ({p.best}) wins {p.rates[p.best]:.1%}, the default answers "
              f"{p.rates['default']:.1%}: a gain of {_points(p.gain)} (at most {_points(t.max_answer_gain)})")
    p = m.answers_balanced
    if t.min_answer_spread is not None and p is not None:
        check("min_answer_spread", p.spread >= t.min_answer_spread - 1e-12,
              f"on {p.plan}, the answer policies win from {p.rates[p.worst]:.1%} ({p.worst}) to "
              f"{p.rates[p.best]:.1%} ({p.best}): a spread of {_points(p.spread)} "
              f"(at least {_points(t.min_answer_spread)})")
    for name, bot in BOT_TARGETS:
        declared = getattr(t, name)
        if declared is None or bot not in m.bots:
            continue
        b = m.bots[bot]
        ok = b.rate >= declared if name.endswith("_min") else b.rate <= declared
        check(name, ok, f"{bot} wins {b.rate:.1%} of {b.games} games "
              f"({'at least' if name.endswith('_min') else 'at most'} {declared:.0%})")
    return out
