"""The turn report: what changed and why, incidents, deals, events and the player's prediction."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from game.content.expr import compile_expr
from game.play.drivers import cause_name, last_quarter_sizes, name_label
from game.play.predictions import Reveal
from game.play.records import Turn, TurnSummary
from game.render.labels import LOWER_IS_BETTER, cause_label, event_title, goal_decimals, goal_unit, goal_value
from game.render.words import plural
from game.sim import causes
from game.sim.metrics import KEY_METRICS, Env
from game.sim.state import State
from game.sim.world import World
from game.tui.screens.base import HELP, ClosesOnce
from game.tui.widgets.charts import arrow, fmt, fmt_change, label, money, noise
from game.tui.widgets.footer import FitFooter
from game.tui.widgets.panels import Panel, tone


def reveal_line(r: Reveal) -> str:
    """A scored prediction in words, in the goal's unit: what was guessed, what it is, the points."""
    digits = goal_decimals(r.metric, r.tolerance)
    return (f"you said {goal_value(r.metric, r.guess, digits)}, it came out at "
            f"{goal_value(r.metric, r.actual, digits)} (from {goal_value(r.metric, r.before, digits)}): "
            f"{r.points:.0f} points of 100 (0 if {goal_value(r.metric, r.tolerance, digits, difference=True)} off)")


def goal_reads(world: World) -> tuple[str, ...]:
    """The names the scenario's goals read that are not key metrics (`stance.washington`, `sixg_share`),
    in the goals' order: the report and the end screen show them beside the key metrics."""
    names = (n for g in world.scenario.goals for n in sorted(compile_expr(g.metric).names))
    return tuple(dict.fromkeys(n for n in names if n not in KEY_METRICS))


def value_of(name: str, state: State, world: World) -> float:
    """A vocabulary name's value in game 0 of `state`."""
    return float(Env(state, world)(name)[0])


def up_is_good(name: str, world: World) -> bool:
    """A rise is good news: for a name a goal reads, as the first such goal wants it (a `>=` goal's
    metrics add up, in this content), else unless it is a metric where lower is better."""
    goal = next((g for g in world.scenario.goals if name in compile_expr(g.metric).names), None)
    return goal.op == ">=" if goal is not None else name not in LOWER_IS_BETTER


def like(name: str) -> str:
    """The key metric whose format (charts.fmt, fmt_change) a name shares: shares in %, counts whole."""
    if name in KEY_METRICS or name == "major_incidents":
        return name
    if goal_unit(name) == "%":
        return "domestic_share"
    return "incidents" if name.split(".")[0] in ("deal", "deals_won") else "approval"


SHORT = {"sixg_share": "6G research share"}
"""Names the goals read whose label (game.play.drivers.name_label) would overflow the report's column."""
WHY_INDENT = 15
"""Where a cause starts on its line: 4 spaces, the change right-aligned in 9, then 2."""


def short_label(name: str, world: World) -> str:
    return label(name) if name in KEY_METRICS else SHORT.get(name) or name_label(name, world)


@dataclass(frozen=True)
class Moved:
    """One metric over the quarter: where it went and its largest causes (from the ledger)."""

    label: str
    like: str
    old: float
    new: float
    up_is_good: bool
    why: tuple[tuple[str, float], ...]
    """(cause in words, its part of the change), biggest first."""


def changes(entry: TurnSummary, world: World, before: dict[str, float], turn: Turn | None = None
            ) -> list[Moved]:
    """The key metrics (their why: game.sim.why, as the summary has it), then, with the recorded `turn`,
    the other names the goals read (their why: each cause's part, as the drivers view measures it)."""
    out = [Moved(label(m), m, before.get(m, entry.metrics[m]), entry.metrics[m], m not in LOWER_IS_BETTER,
                 tuple((cause_label(c.cause, world), c.change) for c in entry.why.get(m, ())))
           for m in KEY_METRICS]
    names = goal_reads(world)
    if turn is None or not names:
        return out
    causes_, parts = last_quarter_sizes(turn, world, [compile_expr(n) for n in names])
    for j, name in enumerate(names):
        top = sorted(((cause_name(c, world), float(parts[i, j])) for i, c in enumerate(causes_)
                      if abs(parts[i, j]) > 1e-12), key=lambda cv: -abs(cv[1]))[:5]
        out.append(Moved(short_label(name, world), like(name), value_of(name, turn.before, world),
                         value_of(name, turn.after, world), up_is_good(name, world), tuple(top)))
    return out


def report_text(entry: TurnSummary, world: World, before: dict[str, float], prediction: Reveal | None,
                widget: Widget | None = None, turn: Turn | None = None) -> Text:
    c = world.content
    text = Text()
    text.append(f"Spent {money(round(entry.spent, 6))} of {money(entry.budget)}", style="bold")
    if entry.allocations:
        parts = [f"{c.levers[k].name} {money(v)}" for k, v in entry.allocations.items()]
        text.append(": " + ", ".join(parts))
    if entry.refused:
        text.append("\n(The plan was over budget and was scaled down.)", style="italic")

    text.append("\n\nWhat changed and why", style="bold underline")
    # a long cause wraps under itself, not under the numbers: the text is as wide as the dialog (app.tcss:
    # 90 % of the screen, at most 110) less its border, padding and scrollbar (6)
    width = widget.app.size.width if widget is not None else 80
    room = max(20, min(int(0.9 * width), 110) - 6 - WHY_INDENT)
    for row in changes(entry, world, before, turn):
        m, change = row.like, row.new - row.old
        kind = "flat" if abs(change) < noise(m) else "good" if (change > 0) == row.up_is_good else "bad"
        text.append(f"\n{row.label:<18}", style="bold")
        text.append(f" {fmt(m, row.old)} → {fmt(m, row.new)} ")
        word = {"good": "better", "bad": "worse", "flat": "no change"}[kind]
        text.append(f"{arrow(change, m)} {fmt_change(m, change)} ({word})", style=tone(widget, kind))
        for cause, size in row.why:
            if fmt_change(m, size).startswith("±"):
                continue
            wrapped = ("\n" + " " * WHY_INDENT).join(textwrap.wrap(cause, room))
            text.append(f"\n    {fmt_change(m, size):>9}  {wrapped}",
                        style="dim" if abs(size) < abs(change) / 10 else "")

    text.append("\n\nSecurity", style="bold underline")
    n = entry.incidents
    major = entry.major_incidents
    if n:
        text.append(f"\n⚠ {plural(n, 'incident')} this quarter" + (f", {major} major" if major else ", none major"))
    else:
        text.append("\n✔ No security incidents this quarter.")

    if entry.deals:
        text.append("\n\nExport deals", style="bold underline")
        for d in entry.deals:
            won = d.won
            text.append(f"\n{'✔ WON ' if won else '✘ LOST'} {cause_label(causes.deal(d.id), world)}",
                        style=tone(widget, "good" if won else "bad"))

    if entry.events:
        text.append("\n\nEvents", style="bold underline")
        for e in entry.events:
            ev = c.events[e.id]
            text.append(f"\n• {event_title(ev)}")
            if e.choice:
                lbl = next((ch.label for ch in ev.choices if ch.id == e.choice), e.choice)
                text.append(f" → {lbl}")

    if prediction is not None:
        text.append("\n\nYour prediction", style="bold underline")
        text.append(f"\n{prediction.description}", style="bold")
        text.append(f"\n{reveal_line(prediction)}")
    return text


class TurnReportScreen(ClosesOnce, ModalScreen[None]):
    """Shown after every turn. Enter, space or Esc continue."""

    BINDINGS = [
        Binding("enter,space,escape", "close", "Continue", id="continue"),
        HELP,
        Binding("pageup", "scroll(-1)", "Scroll", id="report-up", show=False),
        Binding("pagedown", "scroll(1)", "Scroll", id="report-down", show=False),
    ]

    def __init__(self, entry: TurnSummary, world: World, before: dict[str, float],
                 prediction: Reveal | None = None, last: bool = False, coming: str = "",
                 turn: Turn | None = None) -> None:
        """`turn`, the quarter as recorded, adds the metrics the goals read to the key ones."""
        super().__init__()
        self.coming, self.turn = coming, turn
        self.entry, self.world, self.before = entry, world, before
        self.prediction, self.last = prediction, last

    def compose(self) -> ComposeResult:
        with Vertical(id="report", classes="dialog"):
            yield Static(Text(f"Turn report · {self.entry.quarter}", style="bold"), id="report-title")
            with VerticalScroll(id="report-body"):
                yield Panel(id="report-text")
            yield Static(Text("Enter: " + ("see the ending" if self.last else "next quarter")
                              + " · ↑↓ PgUp PgDn scroll", style="dim"), id="report-hint")
        yield FitFooter()

    def on_mount(self) -> None:
        text = report_text(self.entry, self.world, self.before, self.prediction, self, self.turn)
        if self.coming:
            text.append("\n\nComing up", style="bold underline")
            text.append(f"\n{self.coming}")
        self.query_one("#report-text", Panel).set(text)
        self.query_one("#report-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: int) -> None:
        body = self.query_one("#report-body", VerticalScroll)
        (body.scroll_page_down if direction > 0 else body.scroll_page_up)(animate=False)
