"""The end of a game: the ending, the score against each goal, and charts over the whole game."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget

from game.play.predictions import mean_points, reveals
from game.play.session import Session
from game.render.labels import goal_detail, goal_numbers, goal_short, score_line, verdict
from game.render.words import plural
from game.sim.metrics import KEY_METRICS, metrics
from game.sim.step import initial_state
from game.tui.messages import LeaveGame
from game.tui.screens.base import HomegrownScreen
from game.tui.screens.report import goal_reads, like, reveal_line, short_label, value_of
from game.tui.screens.whatif import WhatIfDialog
from game.tui.widgets.charts import fmt, meter, sparkline
from game.tui.widgets.footer import FitFooter
from game.tui.widgets.panels import Panel, pack, tone

OUTCOME_TITLES = {"victory": "VICTORY", "partial": "PARTIAL SUCCESS", "defeat": "DEFEAT",
                  "dismissed": "DISMISSED"}


def history_series(session: Session) -> tuple[dict[str, list[float]], list[dict[str, float]]]:
    """Key metrics and the other names the goals read (from the start), and global shares (after each
    quarter), over the game so far."""
    w = session.world
    first = initial_state(w, [session.seed])
    start = metrics(first, w)
    series = {m: [float(start[m][0])] + [h.metrics[m] for h in session.history] for m in KEY_METRICS}
    for name in goal_reads(w):
        series[name] = [value_of(name, s, w) for s in (first, *(t.after for t in session.turns))]
    return series, [dict(h.global_shares) for h in session.history]


def end_text(session: Session, width: int, widget: Widget | None = None, saved: Path | None = None) -> Text:
    series, shares = history_series(session)
    result = session.result()
    w = session.world
    outcome = result.outcome
    text = Text()
    text.append(f" {OUTCOME_TITLES[outcome]} ", style="reverse bold")
    text.append(f"  {score_line(result.score, outcome)}", style="bold")
    text.append(f"   {w.scenario.name} · seed {session.seed} · {len(session.history)} quarters\n\n")
    text.append(verdict(result.goals_met, len(result.goals), result.weight_met) + "\n")
    text.append(getattr(w.scenario.endings, outcome))
    text.append("\n\nGoals", style="bold underline")
    for g in result.goals:
        met = g.met
        mark = "✔ met   " if met else "✘ missed"
        value, target = goal_numbers(g.metric, g.op, g.target, g.value, met)
        began, _ = goal_numbers(g.metric, g.op, g.target, g.start, True)
        text.append(f"\n{mark} ", style=tone(widget, "good" if met else "bad"))
        text.append(g.description, style="bold")
        detail = goal_detail(g.weight, result.total_weight, met, g.progress, g.bonus, g.started_met)
        parts = [Text(f"{value} (target {target}; start {began})"), *map(Text, detail.split(" · "))]
        text.append("\n" + " " * 10)
        text.append_text(pack(parts, width - 6, gap=" · ", indent=10))  # (the body's padding, its scrollbar)
    spark = max(10, min(60, width - 40))
    for title, names in (("Key metrics over the game", KEY_METRICS), ("The goals' other metrics", goal_reads(w))):
        if not names:
            continue
        text.append(f"\n\n{title}", style="bold underline")
        text.append("   start → end, low–high", style="dim")
        for m in names:
            values, shown = series[m], like(m)
            text.append(f"\n{short_label(m, w):<18} ", style="bold")
            text.append(sparkline(values, spark))
            text.append(f" {fmt(shown, values[0])} → {fmt(shown, values[-1])}")
            text.append(f"  ({fmt(shown, min(values))}–{fmt(shown, max(values))})", style="dim")
    if shares:
        text.append("\n\nGlobal shares over the game", style="bold underline")
        start = session.content
        vendors = sorted(shares[-1], key=lambda v: -shares[-1][v])
        for v in vendors:
            vendor = start.vendors[v]
            values = [s[v] for s in shares]
            mark = "★" if vendor.domestic else "⚠" if vendor.high_risk else " "
            text.append(f"\n{mark}{vendor.name[:16]:<17} ", style="bold")
            text.append(sparkline(values, spark))
            text.append(f" {values[0] * 100:.1f} % → {values[-1] * 100:.1f} %")
        text.append("\n★ domestic  ⚠ high-risk", style="dim")
    revealed = reveals(w, session.turns, session.predictions)
    text.append("\n\nYour predictions", style="bold underline")
    mean = mean_points(revealed)
    if mean is None:
        text.append("\nYou made none (press p on the dashboard to predict a quarter).", style="dim")
    else:
        text.append(f"\n{plural(len(revealed), 'prediction')} in {len(session.history)} quarters: "
                    f"{mean:.0f} points of 100 on average {meter(mean / 100, 10)}")
        for r in revealed:
            text.append(f"\n{r.quarter} {goal_short(r.goal, r.metric)}: ", style="bold")
            text.append(reveal_line(r))
    if session.log:
        text.append("\n\nWhat if…", style="bold underline")
        text.append("\nPress w to replay this game with one quarter's allocation changed and see, side by "
                    "side, how the score and the key metrics would have differed.")
    if saved is not None:
        text.append(f"\n\nSaved as {saved}", style="dim")
        text.append(f"\nCheck it any time: homegrown replay \"{saved}\"", style="dim")
    text.append(f"\n\nstate_hash {result.state_hash[:16]}…", style="dim")
    return text


class EndScreen(HomegrownScreen):
    BINDINGS = [
        Binding("enter", "again", "Title screen", id="again"),
        Binding("w", "what_if", "What if…", id="what-if"),
        Binding("pageup", "scroll(-1)", "Scroll", id="end-up", show=False),
        Binding("pagedown", "scroll(1)", "Scroll", id="end-down", show=False),
    ]

    def __init__(self, session: Session) -> None:
        """The predictions shown are the session's (those of a loaded save too)."""
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="end-body"):
            yield Panel(id="end-text")
        yield FitFooter()

    def on_mount(self) -> None:
        self._draw()
        self.query_one("#end-body").focus()

    def on_resize(self) -> None:
        self.call_after_refresh(self._draw)  # at the new size (the text is packed to the width)

    def _draw(self) -> None:
        self.query_one("#end-text", Panel).set(
            end_text(self.session, self.size.width or 80, self, self.app.service.last_saved))

    def action_what_if(self) -> None:
        if self.app.screen is not self:
            return
        if not self.session.log:
            self.notify("No quarter was played, so there is nothing to change.", timeout=4)
            return
        self.app.push_screen(WhatIfDialog(self.session))

    def action_again(self) -> None:
        self.post_message(LeaveGame())

    def action_scroll(self, direction: int) -> None:
        body = self.query_one("#end-body", VerticalScroll)
        (body.scroll_page_down if direction > 0 else body.scroll_page_up)(animate=False)
