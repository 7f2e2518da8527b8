"""The drivers view: pick a metric, see what pushes it up or down and how hard, now (game.play.drivers);
Enter on a driver that is itself a metric follows the link, Esc or Backspace goes back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.play.drivers import KINDS, Driver, Drivers, Kind, drivers, unit_of
from game.play.session import Session
from game.render.labels import LOWER_IS_BETTER, goal_decimals, goal_value
from game.tui.screens.base import HomegrownScreen
from game.tui.widgets.charts import money
from game.tui.widgets.footer import FitFooter
from game.tui.widgets.options import MarkedOptionList
from game.tui.widgets.panels import tone

WIDE = 120
"""Columns from which a driver's size goes on its name's line."""
HEADINGS: dict[Kind, str] = {
    "lever": "Your levers: what one ¥B more does",
    "last quarter": "Last quarter ({last})",
    "part": "Made of",
    "state": "What pulls it now (a link: Enter follows it)",
}


def amount(metric: str, value: float) -> str:
    """A change of `metric` in its unit with its sign, to two significant digits: '+0.86 pp', '−¥0.5B'."""
    metric = unit_of(metric)
    shown = goal_value(metric, abs(value), goal_decimals(metric, value), difference=True)
    return ("+" if value >= 0 else "−") + shown


def driver_line(driver: Driver, metric: str) -> str:
    """What the size means, in words: per ¥B at the plan's spend, in the last quarter, per unit."""
    size = amount(metric, driver.size)
    if driver.kind == "lever":
        lag = f" · works after {driver.lag} quarter{'s' if driver.lag > 1 else ''}" if driver.lag else ""
        return f"{size} per ¥B more (plan: {money(round(driver.spend, 6))}){lag}"
    if driver.kind == "last quarter":
        return size
    return f"{size} next quarter {driver.per}" if driver.kind == "state" else f"{size} {driver.per}"


def lower_is_better(metric: str, session: Session) -> bool:
    goals = {g.metric: g.op for g in session.world.scenario.goals}
    return goals.get(metric) == "<=" if metric in goals else metric in LOWER_IS_BETTER


def open_drivers(over: HomegrownScreen, session: Session, allocations: dict[str, float],
                 choices: dict[str, str]) -> None:
    """Push the drivers view over `over`, or say in one line why it cannot be built (never a traceback)."""
    try:
        screen = DriversScreen(session, allocations, choices)
    except Exception as exc:
        over.notify(f"The drivers view is unavailable ({type(exc).__name__}: {exc}); the game itself is fine.",
                    severity="error", timeout=8)
        return
    over.app.push_screen(screen)


class DriversScreen(HomegrownScreen):
    """Metrics on the left, the selected one's drivers on the right."""

    DEFAULT_CSS = """
    #drivers-body { height: 1fr; }
    #drivers-metrics { width: 34%; min-width: 26; max-width: 48; height: 1fr; border: round $primary; }
    #drivers-side { width: 1fr; height: 1fr; }
    #drivers-title { height: auto; padding: 0 1; }
    #drivers-list { height: 1fr; border: round $secondary; }
    #drivers-hint { height: 1; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape,backspace", "back", "Back", id="drivers-back"),
        Binding("enter", "choose", "Drivers / follow", id="drivers-choose", priority=True),
        Binding("tab", "switch", "Metrics/drivers", id="drivers-switch", show=False),
    ]

    def __init__(self, session: Session, allocations: dict[str, float], choices: dict[str, str]) -> None:
        super().__init__()
        self.session = session
        last = session.turns[-1] if session.turns else None
        self.model: Drivers = drivers(session.world, session.state, allocations, choices, last)
        self.current: str = self.model.metrics[0].id
        self.history: list[str] = []
        """Metrics the player followed a link from (Esc goes back through them)."""
        self._shown: tuple[Driver, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Drivers · {self.model.quarter} · what pushes each metric up or down, now",
                          style="bold"), id="drivers-head")
        with Horizontal(id="drivers-body"):
            yield MarkedOptionList(id="drivers-metrics")
            with Vertical(id="drivers-side"):
                yield Static(id="drivers-title")
                yield MarkedOptionList(id="drivers-list")
        yield Static(Text("↑↓ choose · Enter drivers / follow a link · Esc back · ? help", style="dim"),
                     id="drivers-hint")
        yield FitFooter()

    def on_mount(self) -> None:
        options: list[Option] = []
        group = ""
        for m in self.model.metrics:
            if m.group != group:
                group = m.group
                options.append(Option(Text(group, style="bold underline"), disabled=True))
            options.append(Option(Text(m.short), id=m.id))
        metrics = self.query_one("#drivers-metrics", MarkedOptionList)
        metrics.show_options(options)
        metrics.highlighted = metrics.get_option_index(self.current)
        metrics.focus()
        self.show(self.current)

    # ------------------------------------------------------------ drawing

    def show(self, metric: str) -> None:
        self.current = metric
        m = self.model.metric(metric)
        assert m is not None
        title = Text(m.label, style="bold")
        title.append(f" · now {goal_value(unit_of(metric), m.value)}")
        if self.history:
            back = self.model.metric(self.history[-1])
            title.append(f"  (Esc: back to {back.short if back else 'the last one'})", style="dim")
        self.query_one("#drivers-title", Static).update(title)
        found = self.model.of(metric)
        bad_rise = lower_is_better(metric, self.session)
        options: list[Option] = []
        shown: list[Driver] = []
        gap = "  ·  " if self.size.width >= WIDE else "\n  "  # the size beside the name where there is room
        for kind in KINDS:
            of_kind = [d for d in found if d.kind == kind]
            if not of_kind:
                continue
            options.append(Option(Text(HEADINGS[kind].format(last=self.model.last), style="bold underline"),
                                  disabled=True))
            shown.append(of_kind[0])  # a placeholder for the heading's index
            for d in of_kind:  # biggest first, either way (game.play.drivers sorts them)
                good = (d.size > 0) != bad_rise
                line = Text("▲ " if d.size > 0 else "▼ ", style=tone(self, "good" if good else "bad"))
                line.append(d.name[:1].upper() + d.name[1:], style="bold" if d.link else "")
                if d.link:
                    line.append(" →", style="dim")
                line.append(f"{gap}{driver_line(d, metric)}", style="dim")
                options.append(Option(line, id=f"driver-{len(shown)}"))
                shown.append(d)
        if not options:
            options.append(Option(Text("Nothing moves it now (no lever, cause or link).", style="dim"),
                                  disabled=True))
        self._shown = tuple(shown)
        listing = self.query_one("#drivers-list", MarkedOptionList)
        listing.show_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        listing.highlighted = first

    def on_resize(self) -> None:
        if self.is_mounted and self.query("#drivers-list"):
            highlighted = self.query_one("#drivers-list", OptionList).highlighted
            self.show(self.current)
            self.query_one("#drivers-list", OptionList).highlighted = highlighted

    # ------------------------------------------------------------ keys

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "drivers-metrics" and event.option.id and event.option.id != self.current:
            self.history.clear()  # picked from the list, not followed
            self.show(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click (Enter is the screen's own key, below)."""
        event.stop()
        self._choose(event.option_list.id, event.option_index)

    def action_choose(self) -> None:
        """Enter, handled before the lists see it, so that keys typed right after it go where it led."""
        focused = self.focused
        if isinstance(focused, OptionList) and focused.highlighted is not None:
            self._choose(focused.id, focused.highlighted)

    def _choose(self, list_id: str | None, index: int) -> None:
        if list_id == "drivers-metrics":
            self.set_focus(self.query_one("#drivers-list"))
            return
        driver = self._shown[index] if 0 <= index < len(self._shown) else None
        if driver is None or driver.link is None:
            self.notify("That driver is not a metric of its own: nothing to follow.", timeout=3)
            return
        self.history.append(self.current)
        self._go(driver.link)

    def _go(self, metric: str) -> None:
        metrics = self.query_one("#drivers-metrics", MarkedOptionList)
        self.show(metric)
        metrics.highlighted = metrics.get_option_index(metric)  # its Highlighted is ours already (current)

    def action_back(self) -> None:
        if self.history:
            self._go(self.history.pop())
            return
        listing = self.query_one("#drivers-list")
        if listing.has_focus:
            self.set_focus(self.query_one("#drivers-metrics"))
            return
        self.dismiss(None)

    def action_switch(self) -> None:
        listing = self.query_one("#drivers-list")
        self.set_focus(self.query_one("#drivers-metrics") if listing.has_focus else listing)
