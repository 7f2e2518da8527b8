"""The debrief's plain data: what `gather()` returns and the renderers read."""

from __future__ import annotations

from dataclasses import dataclass, field

from game.analysis.debrief.counterfactual import Decision
from game.play.predictions import Reveal
from game.play.records import GoalResult
from game.render.labels import weight_label
from game.render.shell import shell_command


class ReportError(ValueError):
    """No report can be made (no readable save, saves of several scenarios with no majority...)."""


@dataclass(frozen=True)
class Problem:
    """A path that was not counted, and why (one line)."""

    path: str
    message: str


@dataclass(frozen=True)
class Flag:
    """Something about a save a teacher must look at before trusting the class's figures (one line). A
    flagged game is listed with its flags and left out of the class's statistics."""

    kind: str
    """'copy', 'backup', 'bot', 'seed', 'name', 'unknown' (not on the roster), 'missing' (on the roster,
    no save)."""
    path: str
    """The save's path ('' for a roster name without a save)."""
    name: str
    message: str


@dataclass(frozen=True)
class SpendGroup:
    """What money is for in the spend profile: a lever category, or a lever's own `purpose`."""

    id: str
    name: str
    colour: str


@dataclass(frozen=True)
class TurnRow:
    """One quarter of one student's game, for the timeline and decisions.csv."""

    turn: int
    """1-based."""
    quarter: str
    spend: dict[str, float]
    """Spend group id -> ¥ billions actually spent this quarter."""
    spend_by_lever: dict[str, float]
    answers: list[EventMet]
    prediction: Reveal | None
    score: float
    """The game's score after the quarter."""


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
    turn: int = 0
    """1-based turn it happened in."""


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
    spend: dict[str, float]
    """Spend group id -> ¥ billions actually spent over the game (every group, zero included)."""
    spend_by_lever: dict[str, float]
    decisions: list[Decision]
    """The top decisions, biggest absolute what-if difference first."""
    all_decisions: list[Decision]
    """Every decision measured (the JSON and CSV exports)."""
    events: list[EventMet]
    state_hash: str
    timeline: list[TurnRow] = field(default_factory=list)
    predictions: list[Reveal] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    replay: list[str] = field(default_factory=list)
    lever_groups: dict[str, str] = field(default_factory=dict)
    """Lever id -> its spend group, for the levers this game funded."""
    """`homegrown replay SAVE [--content DIR]` as words: the what-if commands start with it."""

    def command(self, d: Decision) -> str:
        """The command that reproduces a decision's number (its 'difference' is `d.difference`)."""
        return shell_command(*self.replay, *[w for c in d.changes for w in ("--what-if", c)])

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def prediction_points(self) -> float | None:
        return sum(p.points for p in self.predictions) / len(self.predictions) if self.predictions else None


@dataclass
class StrategyRow:
    name: str
    scores: list[float]
    """Over many seeds (the sweep's)."""
    wins: int
    on_class_seeds: dict[int, float] = field(default_factory=dict)
    """Seed -> the strategy's score on each seed the class played."""
    label: str = ""
    """What it is, when not a built-in's name (the best plan `homegrown search` finds)."""

    @property
    def games(self) -> int:
        return len(self.scores)

    @property
    def on_class_seed(self) -> float | None:
        """The score on the class's seed when the whole class played one."""
        return next(iter(self.on_class_seeds.values())) if len(self.on_class_seeds) == 1 else None


@dataclass(frozen=True)
class Matchup:
    """The class's counted games against one strategy on the same seeds, game by game."""

    strategy: str
    games: int
    beaten: int
    """Games that scored more than the strategy did on that game's seed."""
    tied: int
    class_mean: float
    strategy_mean: float
    """The strategy's mean over the class's games' seeds (each game's seed once per game)."""


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
    names: dict[str, list[str]] = field(default_factory=dict)
    """Choice id -> the names of the students who took it (alphabetical)."""

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
    flags: list[Flag] = field(default_factory=list)
    """Every integrity flag (also on the flagged games), the roster's missing names included."""
    spend_groups: list[SpendGroup] = field(default_factory=list)
    matchups: list[Matchup] = field(default_factory=list)
    class_seeds: list[int] = field(default_factory=list)
    """The seeds the counted (unflagged) games played."""
    search_note: str = ""
    """How the best plan was searched (or why it was not)."""

    def weight(self, goal: str) -> str:
        """'weight 2 of 5' for a goal of the scenario."""
        return weight_label(self.goal_weights.get(goal, 1.0), sum(self.goal_weights.values()) or 1.0)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.flags

    @property
    def counted(self) -> list[GameRow]:
        """The games the class's statistics use: every game that carries no flag."""
        return [g for g in self.games if not g.flagged]

    @property
    def finished(self) -> list[GameRow]:
        """Counted games played to the end (the class's score distribution)."""
        return [g for g in self.counted if g.done]

