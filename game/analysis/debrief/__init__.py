"""A class debrief: which saves count, what each game did, and how it compares.

Nothing here writes files or prints: `gather()` returns a `ClassReport` (plain data) that
`game.render.debrief_markdown` and `game.render.debrief_html` render. One subject per module:

- `data`: the report's plain data (`ClassReport`, `GameRow`, `Flag`...);
- `counterfactual`: each game's decisions measured by what-if replays;
- `integrity`: copies, backups, bots, seeds and the roster, flagged;
- `saves`: finding the saves and checking them (read, one scenario and pack, replay-verified);
- `games`: each game's row, timeline and top decisions;
- `strategies`: the class against the built-in strategies and the best searched plan;
- `discussion`: the events the class met and the discussion prompts;
- `gathering`: `gather()`, which puts them together.
"""

from game.analysis.debrief.counterfactual import METHOD, Decision, measure
from game.analysis.debrief.data import (
    ChoiceCount,
    ClassReport,
    EventMet,
    EventSummary,
    Flag,
    GameRow,
    Matchup,
    Problem,
    ReportError,
    SpendGroup,
    StrategyRow,
    TurnRow,
)
from game.analysis.debrief.discussion import discussion_prompts, summarise_events
from game.analysis.debrief.games import TOP_DECISIONS, events_met, game_row, spend_groups
from game.analysis.debrief.gathering import gather
from game.analysis.debrief.saves import find_saves
from game.analysis.debrief.strategies import (
    DEFAULT_SEARCH_GENERATIONS,
    DEFAULT_SWEEP_GAMES,
    default_strategies,
    score_stats,
    strategy_distribution,
)
from game.sim.scoring import OUTCOMES, points_per_unit

__all__ = [
    "DEFAULT_SEARCH_GENERATIONS",
    "DEFAULT_SWEEP_GAMES",
    "METHOD",
    "OUTCOMES",
    "TOP_DECISIONS",
    "ChoiceCount",
    "ClassReport",
    "Decision",
    "EventMet",
    "EventSummary",
    "Flag",
    "GameRow",
    "Matchup",
    "Problem",
    "ReportError",
    "SpendGroup",
    "StrategyRow",
    "TurnRow",
    "default_strategies",
    "discussion_prompts",
    "events_met",
    "find_saves",
    "game_row",
    "gather",
    "measure",
    "points_per_unit",
    "score_stats",
    "spend_groups",
    "strategy_distribution",
    "summarise_events",
]
