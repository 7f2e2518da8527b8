"""The dashboard's read-only panels: status, goals, KPIs with forecast, risks, markets, news."""

from __future__ import annotations

import math
from typing import Any

from rich.text import Text
from textual.events import Click
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from game.play.forecast import Forecast
from game.play.predictions import Prediction, tolerance
from game.render.labels import (
    GOAL_NAME_WIDTH,
    goal_decimals,
    goal_numbers,
    goal_short,
    goal_value,
    weight_label,
)
from game.sim.scoring import evaluate
from game.sim.state import State
from game.sim.world import World
from game.tui.widgets.charts import (
    DASHBOARD_METRICS,
    FAN_BAND,
    FAN_MEDIAN,
    FAN_TARGET,
    arrow,
    bar,
    fan_chart,
    fmt,
    fmt_change,
    goal_digits,
    label,
    meter,
    money,
    sparkline,
    verdict,
)


def tone(widget: Widget | None, kind: str) -> str:
    """Rich style for good / bad / flat news from the current theme (the colour-blind theme has its own)."""
    good, bad = "green", "red"
    if widget is not None:
        try:
            theme = widget.app.current_theme
            good, bad = theme.success or good, theme.error or bad
        except Exception:  # not mounted yet
            pass
    return {"good": f"bold {good}", "bad": f"bold {bad}", "flat": ""}[kind]


def guess_text(world: World, prediction: Prediction) -> str:
    """A guess in its goal's unit, to the precision its scoring tells apart (game.play.predictions)."""
    metric = next(g.metric.source for g in world.goals if g.id == prediction.goal)
    return goal_value(metric, prediction.guess, goal_decimals(metric, tolerance(world, prediction.goal)))


def goal_items(state: State, world: World, compact: bool, widget: Widget | None = None,
               guess: Prediction | None = None) -> list[tuple[Text, Text]]:
    """Each goal as (head, numbers): met or not and its name; its value and target in the goal's unit
    (game.render.labels.goal_numbers), and `guess`, this quarter's prediction, beside its goal."""
    scores = evaluate(state, world)
    total = sum(g.weight for g in world.goals)
    items = []
    for j, goal in enumerate(world.scenario.goals):
        met = bool(scores.met[0, j])
        progress = float(scores.progress[0, j])
        value, target = goal_numbers(goal.metric, goal.op, goal.target, float(scores.values[0, j]), met)
        head = Text(f"{'✔' if met else '✘'} ", style=tone(widget, "good" if met else "bad"))
        head.append(goal_short(goal.id, goal.metric) if compact else goal.description, style="bold")
        numbers = Text(f"{value} (target {target})" if compact else
                       f"{value} (target {target}, {weight_label(goal.weight, total)})  "
                       f"{meter(progress, 10)} {math.floor(progress * 100):.0f} %")
        if guess is not None and guess.goal == goal.id:
            numbers.append(f" (your guess {guess_text(world, guess)})", style="italic")
        items.append((head, numbers))
    return items


def pack(items: list[Text], width: int, gap: str = "   ", indent: int = 0) -> Text:
    """Items side by side, a new line before one that would not fit: an item never breaks inside (no lone
    '%' on a line of its own) unless it is wider than the whole line. Every line starts at column `indent`
    (the caller indents the first; the others get as many spaces)."""
    text = Text()
    used = indent
    for i, item in enumerate(items):
        if i and width > 0 and used + len(gap) + item.cell_len > width:
            text.append("\n" + " " * indent)
            used = indent
        elif i:
            text.append(gap)
            used += len(gap)
        text.append_text(item)
        used += item.cell_len
    return text


class Panel(Static):
    """A Static that skips the (layout-refreshing) update when nothing changed."""

    _shown: Text | None = None

    def set(self, text: Text) -> None:
        if self._shown is not None and text == self._shown:
            return
        self._shown = text
        self.update(text)

    @property
    def plain(self) -> str:
        """What the panel shows, as plain text (for tests)."""
        return self._shown.plain if self._shown is not None else ""


class LineBar(Static):
    """A one-line bar whose updates never change the layout (cheap to redraw on every key)."""

    _text: Text = Text()

    def set(self, text: Text | str) -> None:
        text = Text(text) if isinstance(text, str) else text
        if text == self._text:
            return
        self._text = text
        self.update(text, layout=False)

    @property
    def plain(self) -> str:
        return self._text.plain


class StatusBar(LineBar):
    """Quarter, turns left, budget and what is left to allocate."""

    def show(self, world: World, turn: int, quarter: str, budget: float, spent: float, seed: int) -> None:
        left = budget - spent
        turns_left = world.turns - turn
        text = Text()
        text.append(f" {quarter} ", style="reverse bold")
        text.append(f" turn {turn + 1}/{world.turns} · {turns_left} left ")
        text.append(" Budget ", style="bold")
        text.append(f"{money(budget)} · allocated {money(round(spent, 6))} · ")
        text.append(f"left {money(round(left, 6))}", style="bold" if left > 1e-9 else "")
        self.set(text)


class GoalsBar(Panel):
    """The scenario's goals: side by side when `compact` (narrow screens), else one a line; each kept whole
    on its line as far as the width allows."""

    def show(self, state: State, world: World, compact: bool = True, guess: Prediction | None = None) -> None:
        width = self.content_region.width or self.size.width
        items = goal_items(state, world, compact, self, guess)
        if compact:
            self.set(pack([Text("Goals", style="bold"), *(head + " " + numbers for head, numbers in items)],
                          width, gap="  " if width < 100 else "   "))
            return
        text = Text()
        for j, (head, numbers) in enumerate(items):  # the numbers under the name when both do not fit
            if j:
                text.append("\n")
            first = Text("Goals  " if j == 0 else "", style="bold") + head
            text.append_text(pack([first, numbers], width, gap="  "))
        self.set(text)


FORECAST_HIDDEN = "forecast hidden until you predict (p)"


class KpiPanel(Panel):
    """Each key metric: value, change since last quarter (arrow and sign), trend, and the forecast band."""

    def show(self, series: dict[str, list[float]], forecast: Forecast | None, spark_width: int = 10,
             hidden: bool = False) -> None:
        """`hidden`: the classroom's predict-then-reveal (the save's hide_forecast): no forecast until the
        player has predicted this quarter."""
        width = self.content_region.width
        text = Text()
        text.append("Key metrics", style="bold underline")
        if hidden:
            forecast = None
            text.append(f" · {FORECAST_HIDDEN}", style="dim")
        elif forecast is not None and forecast.quarters:
            text.append(f" · in {forecast.quarters}q: median [10–90 %]", style="dim")
        elif forecast is None:
            text.append(" · forecast: computing…", style="dim")
        for metric in DASHBOARD_METRICS:
            values = series[metric]
            now = values[-1]
            change = now - values[-2] if len(values) > 1 else 0.0
            kind = verdict(metric, change)
            moved = f"{arrow(change, metric)} {fmt_change(metric, change)}"
            name, value = f"{label(metric):<18}", f"{fmt(metric, now):>8} "
            if len(name) + len(value) + len(moved) > (width or 80):
                name, value = f"{label(metric)} ", f"{fmt(metric, now)} "  # narrow: no lone 'pp' below
            text.append("\n")
            text.append(name, style="bold")
            text.append(value)
            text.append(moved, style=tone(self, kind))
            ahead = Text()
            if forecast is not None and metric in forecast.bands and forecast.bands[metric].median:
                band = forecast.bands[metric]
                med, lo, hi = band.median[-1], band.low[-1], band.high[-1]
                ahead.append(" → ", style="dim")
                ahead.append(f"{fmt(metric, med)}", style="bold")
                ahead.append(f" [{fmt(metric, lo).removesuffix(' %')}–{fmt(metric, hi)}]", style="dim")
            # the trend gives way to the forecast: a band's ' %]' never wraps onto a line of its own
            spark = min(spark_width, max(4, width - 2 - ahead.cell_len)) if width else spark_width
            text.append("\n  ")
            text.append(f"{sparkline(values, spark):<{spark}}")
            text.append_text(ahead)
        self.set(text)


class GoalForecastPanel(Panel):
    """Each of the scenario's goals at the end of the game under the current plan: median, 10-90 % band and
    the share of sampled futures that meet it; below, the fan chart of one goal quarter by quarter (g / G,
    or a click on its line, choose it)."""

    goal_index = reactive(0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.forecast: Forecast | None = None
        self.end_quarter = ""
        self.hidden = False

    def show(self, forecast: Forecast | None, end_quarter: str, hidden: bool = False) -> None:
        self.forecast, self.end_quarter, self.hidden = forecast, end_quarter, hidden
        self._draw()

    def watch_goal_index(self) -> None:
        self._draw()

    def cycle(self, delta: int) -> None:
        goals = self.forecast.goals if self.forecast is not None else ()
        if goals:
            self.goal_index = (self.goal_index + delta) % len(goals)

    def on_resize(self) -> None:
        self._draw()

    def on_click(self, event: Click) -> None:
        goals = self.forecast.goals if self.forecast is not None else ()
        if 1 <= event.y <= len(goals):
            self.goal_index = event.y - 1

    def _draw(self) -> None:
        width = max(24, (self.size.width or 40))
        f = self.forecast
        text = Text()
        text.append("Goals at the end", style="bold underline")
        if self.hidden:
            self.set(text + Text(f" · {FORECAST_HIDDEN}", style="dim"))
            return
        if f is None or not f.goals or not f.horizon:
            self.set(text + Text(" · forecast: computing…" if f is None else "", style="dim"))
            return
        text.append(f" of {self.end_quarter}", style="bold underline")
        wide = width >= 50
        text.append(" · median [10–90 %]" if wide else " · median", style="dim")
        index = min(self.goal_index, len(f.goals) - 1)
        name_width = max(8, min(GOAL_NAME_WIDTH, width - (38 if wide else 22)))
        for j, goal in enumerate(f.goals):
            d = goal_digits(goal.metric, goal.target)
            end = [goal_value(goal.metric, x, d) for x in (goal.band.median[-1], goal.band.low[-1], goal.band.high[-1])]
            met = goal.met
            text.append("\n")
            text.append("▶" if j == index else " ", style="bold")
            kind = "good" if met >= 0.5 else "bad"
            text.append(f"{goal_short(goal.id, goal.metric):<{name_width}.{name_width}} ", style="bold" if j == index else "")
            text.append(f"{end[0]:>8}", style="bold")
            if wide:
                text.append(f" [{end[1].removesuffix(' %')}–{end[2]}]", style="dim")
            text.append(f" {met * 100:3.0f} % met", style=tone(self, kind))
        goal = f.goals[index]
        d = goal_digits(goal.metric, goal.target)
        height = 6 if (self.app.size.height if self.is_attached else 24) >= 40 else 4
        label_width = 9
        rows, bottom, top = fan_chart(goal.band.now, goal.band.median, goal.band.low, goal.band.high,
                                      goal.target, width - label_width - 1, height)
        styles = {FAN_BAND: "dim", FAN_MEDIAN: "bold", FAN_TARGET: tone(self, "good")}
        for r, line in enumerate(rows):
            text.append("\n")
            axis = goal_value(goal.metric, top, d) if r == 0 else goal_value(goal.metric, bottom, d) \
                if r == len(rows) - 1 else ""
            text.append(f"{axis:>{label_width}} ", style="dim")
            for ch in line:
                text.append(ch, style=styles.get(ch, ""))
        text.append("\n")
        _, target = goal_numbers(goal.metric, goal.op, goal.target, goal.target, True)
        text.append(f"{'':>{label_width if wide else 1}} now → {self.end_quarter} · {FAN_TARGET} target {target}",
                    style="dim")
        if wide:
            text.append(f" · {FAN_MEDIAN} median {FAN_BAND} 10–90 %", style="dim")
        self.set(text)


class RiskPanel(Panel):
    def show(self, forecast: Forecast | None, hidden: bool = False) -> None:
        text = Text("Risks this quarter", style="bold underline")
        if hidden:
            text.append(f"\n{FORECAST_HIDDEN}", style="dim")
        elif forecast is None:
            text.append("\ncomputing…", style="dim")
        elif not forecast.risks:
            text.append("\nnone: the game is over", style="dim")
        else:
            for risk in forecast.risks:
                text.append("\n")
                text.append(f"{'⚠' if risk.kind == 'incident' else '◆'} {risk.title} ", style="bold")
                text.append(f"{risk.chance * 100:.0f} %", style="bold")
                for reason in risk.reasons:
                    text.append(f"\n   · {reason}", style="dim")
        self.set(text)


class MarketPanel(Panel):
    """Shares by region as bars; [ and ] (or a click on ◀ / ▶) choose the region."""

    region_index = reactive(0)

    def __init__(self, world: World, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.world = world
        self.state: State | None = None

    def show(self, state: State) -> None:
        self.state = state
        self._draw()

    def watch_region_index(self) -> None:
        self._draw()

    def cycle(self, delta: int) -> None:
        self.region_index = (self.region_index + delta) % len(self.world.region_ids)

    def _draw(self) -> None:
        if self.state is None:
            return
        w, s = self.world, self.state
        regions = list(w.content.regions.values())
        r = self.region_index
        text = Text()
        text.append("Market shares ", style="bold underline")
        text.append(" ◀ ", style="bold")
        text.append(f" {regions[r].name} ", style="reverse bold")
        text.append(" ▶ ", style="bold")
        text.append(f"{r + 1}/{len(regions)}  [ ]", style="dim")
        width = max(8, min(30, (self.size.width or 40) - 24))
        order = sorted(range(len(w.vendor_ids)), key=lambda v: -s.shares[0, r, v])
        for v in order:
            vendor = w.content.vendors[w.vendor_ids[v]]
            share = float(s.shares[0, r, v])
            mark = "★" if vendor.domestic else "⚠" if vendor.high_risk else " "
            banned = " banned" if bool(s.banned[0, r, v]) else ""
            text.append(f"\n{mark}{vendor.name[:9]:<9} {share * 100:5.1f} % ")
            text.append(bar(share, width), style="bold" if vendor.domestic else "")
            if banned:
                text.append(banned, style="italic")
        text.append("\n★ domestic  ⚠ high-risk vendor", style="dim")
        self.set(text)

    def on_click(self, event: Click) -> None:
        if event.y == 0:
            self.cycle(-1 if event.x < 20 else 1)

    def on_resize(self) -> None:
        self._draw()


class NewsLog(Panel):
    """Events, incidents and deals, newest first."""

    def show(self, items: list[tuple[str, str]], limit: int = 12) -> None:
        text = Text("News", style="bold underline")
        if not items:
            text.append("\nNothing yet. Events, incidents and deals will appear here.", style="dim")
        for quarter, line in list(reversed(items))[:limit]:
            text.append(f"\n{quarter} ", style="bold")
            text.append(line)
        self.set(text)
