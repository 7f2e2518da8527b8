"""The debrief's plain data: what `gather()` returns and the renderers read."""

from __future__ import annotations

from dataclasses import dataclass, field

from game.content.schema import Category
from game.play.records import GoalResult
from game.render.labels import weight_label


class ReportError(ValueError):
    """No report can be made (no readable save, saves of several scenarios with no majority...)."""


@dataclass(frozen=True)
class Problem:
    """A path that was not counted, and why (one line)."""

    path: str
    message: str


@dataclass(frozen=True)
class Impact:
    """One cause's direct part in a game's final score."""

    cause: str
    """The ledger's cause: `lever:<id>`, `event:<id>`, `deal:<id>`, `market:technology`, ..."""
    label: str
    """What a student reads: 'R&D: Beyond 5G/6G (¥24B over 4 quarters)', 'Answer to ...: ...'."""
    points: float
    """Score points (0-100 scale) this cause moved, before the goals' caps: + helped, − hurt."""
    goals: dict[str, float]
    """Goal id -> change of the goal's metric from this cause."""
    decision: bool
    """True for the player's own decisions: levers they funded, events they answered."""


@dataclass(frozen=True)
class EventMet:
    quarter: str
    event: str
    title: str
    choice: str | None
    choice_label: str | None
    answered: bool
    """False when the player left the event unanswered and its default choice was taken."""
    fiction: bool = False
    """An invented event (`fiction = true` in the content)."""


@dataclass
class GameRow:
    path: str
    name: str
    player: str | None
    seed: int
    turns: int
    done: bool
    outcome: str
    score: float
    goals: list[GoalResult]
    spend: dict[Category, float]
    """Lever category -> ¥ billions actually spent over the game (every category, zero included)."""
    spend_by_lever: dict[str, float]
    decisions: list[Impact]
    """The top decisions, biggest absolute impact first."""
    other_causes: list[Impact]
    """The biggest causes that were not the player's decisions (events, deals, the market...)."""
    events: list[EventMet]
    state_hash: str


@dataclass
class StrategyRow:
    name: str
    scores: list[float]
    wins: int
    on_class_seed: float | None = None
    """The strategy's score on the seed the whole class played (None when seeds differ)."""

    @property
    def games(self) -> int:
        return len(self.scores)


@dataclass
class ChoiceCount:
    choice: str
    label: str
    count: int


@dataclass
class EventSummary:
    event: str
    title: str
    games: int
    """How many of the class's games met it."""
    choices: list[ChoiceCount]
    unanswered: int
    fiction: bool = False
    """An invented event (`fiction = true` in the content)."""

    def picks(self) -> str:
        """What the class chose, in words (the same in every format)."""
        text = ", ".join(f"{c.label}: {c.count}" for c in self.choices) if self.choices else "(no choice)"
        return text + (f" ({self.unanswered} left to the default)" if self.unanswered else "")


@dataclass
class ClassReport:
    scenario: str
    scenario_name: str
    description: str
    fingerprint: str
    turns: int
    goals: list[tuple[str, str]]
    """(goal id, description)."""
    games: list[GameRow]
    problems: list[Problem]
    strategies: list[StrategyRow]
    sweep_games: int
    sweep_seed_start: int
    class_seed: int | None
    events: list[EventSummary]
    learning_objectives: list[str]
    debrief_questions: list[str]
    prompts: list[str]
    briefing: str = ""
    inputs: list[str] = field(default_factory=list)
    goal_weights: dict[str, float] = field(default_factory=dict)
    """Goal id -> its weight in the score."""

    def weight(self, goal: str) -> str:
        """'weight 2 of 5' for a goal of the scenario."""
        return weight_label(self.goal_weights.get(goal, 1.0), sum(self.goal_weights.values()) or 1.0)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def finished(self) -> list[GameRow]:
        return [g for g in self.games if g.done]

