"""The turn report: what changed and why, incidents, deals, events and the player's prediction."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Static

from game.play.predictions import Reveal
from game.play.records import TurnSummary
from game.render.labels import cause_label, event_title, goal_decimals, goal_value
from game.sim import causes
from game.sim.metrics import KEY_METRICS
from game.sim.world import World
from game.tui.screens.base import ClosesOnce
from game.tui.widgets.charts import arrow, fmt, fmt_change, label, money, verdict
from game.tui.widgets.panels import Panel, tone


def reveal_line(r: Reveal) -> str:
    """A scored prediction in words, in the goal's unit: what was guessed, what it is, the points."""
    digits = goal_decimals(r.metric, r.tolerance)
    return (f"you said {goal_value(r.metric, r.guess, digits)}, it came out at "
            f"{goal_value(r.metric, r.actual, digits)} (from {goal_value(r.metric, r.before, digits)}): "
            f"{r.points:.0f} points of 100 (0 if {goal_value(r.metric, r.tolerance, digits, difference=True)} off)")


def report_text(entry: TurnSummary, world: World, before: dict[str, float], prediction: Reveal | None,
                widget: Widget | None = None) -> Text:
    c = world.content
    text = Text()
    text.append(f"Spent {money(round(entry.spent, 6))} of {money(entry.budget)}", style="bold")
    if entry.allocations:
        parts = [f"{c.levers[k].name} {money(v)}" for k, v in entry.allocations.items()]
        text.append(": " + ", ".join(parts))
    if entry.refused:
        text.append("\n(The plan was over budget and was scaled down.)", style="italic")

    text.append("\n\nWhat changed and why", style="bold underline")
    for m in KEY_METRICS:
        new, old = entry.metrics[m], before.get(m, entry.metrics[m])
        change = new - old
        kind = verdict(m, change)
        text.append(f"\n{label(m):<18}", style="bold")
        text.append(f" {fmt(m, old)} → {fmt(m, new)} ")
        word = {"good": "better", "bad": "worse", "flat": "no change"}[kind]
        text.append(f"{arrow(change, m)} {fmt_change(m, change)} ({word})", style=tone(widget, kind))
        for cause in entry.why.get(m, ()):
            if fmt_change(m, cause.change).startswith("±"):
                continue
            text.append(f"\n    {fmt_change(m, cause.change):>9}  {cause_label(cause.cause, world)}",
                        style="dim" if abs(cause.change) < abs(change) / 10 else "")

    text.append("\n\nSecurity", style="bold underline")
    n = entry.incidents
    major = entry.major_incidents
    if n:
        text.append(f"\n⚠ {n} incident(s) this quarter" + (f", {major} major" if major else ", none major"))
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
        Binding("pageup", "scroll(-1)", "Scroll", id="report-up", show=False),
        Binding("pagedown", "scroll(1)", "Scroll", id="report-down", show=False),
    ]

    def __init__(self, entry: TurnSummary, world: World, before: dict[str, float],
                 prediction: Reveal | None = None, last: bool = False, coming: str = "") -> None:
        super().__init__()
        self.coming = coming
        self.entry, self.world, self.before = entry, world, before
        self.prediction, self.last = prediction, last

    def compose(self) -> ComposeResult:
        with Vertical(id="report", classes="dialog"):
            yield Static(Text(f"Turn report · {self.entry.quarter}", style="bold"), id="report-title")
            with VerticalScroll(id="report-body"):
                yield Panel(id="report-text")
            yield Static(Text("Enter: " + ("see the ending" if self.last else "next quarter")
                              + " · ↑↓ PgUp PgDn scroll", style="dim"), id="report-hint")
        yield Footer()

    def on_mount(self) -> None:
        text = report_text(self.entry, self.world, self.before, self.prediction, self)
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
