"""A class debrief: which saves count, what each game did, and how it compares.

Nothing here writes files or prints: `gather()` returns a `ClassReport` (plain data) that
`game.render.debrief_markdown` and `game.render.debrief_html` render. One subject per module:

- `data`: the report's plain data (`ClassReport`, `GameRow`, `Impact`...);
- `saves`: finding the saves and checking them (read, one scenario and pack, replay-verified);
- `games`: each game's row and its top decisions (the attribution itself is game.sim.attribution);
- `strategies`: the class against the built-in strategies;
- `discussion`: the events the class met and the discussion prompts;
- `gathering`: `gather()`, which puts them together.
"""

from game.analysis.debrief.data import (
    ChoiceCount,
    ClassReport,
    EventMet,
    EventSummary,
    GameRow,
    Impact,
    Problem,
    ReportError,
    StrategyRow,
)
from game.analysis.debrief.discussion import discussion_prompts, summarise_events
from game.analysis.debrief.games import (
    TOP_DECISIONS,
    decision_impacts,
    events_met,
    game_row,
)
from game.analysis.debrief.gathering import gather
from game.analysis.debrief.saves import find_saves
from game.analysis.debrief.strategies import (
    DEFAULT_SWEEP_GAMES,
    default_strategies,
    score_stats,
    strategy_distribution,
)
from game.sim.scoring import OUTCOMES, points_per_unit

__all__ = [
    "DEFAULT_SWEEP_GAMES",
    "OUTCOMES",
    "TOP_DECISIONS",
    "ChoiceCount",
    "ClassReport",
    "EventMet",
    "EventSummary",
    "GameRow",
    "Impact",
    "Problem",
    "ReportError",
    "StrategyRow",
    "decision_impacts",
    "default_strategies",
    "discussion_prompts",
    "events_met",
    "find_saves",
    "game_row",
    "gather",
    "points_per_unit",
    "score_stats",
    "strategy_distribution",
    "summarise_events",
]
