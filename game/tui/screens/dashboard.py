"""The main screen: plan the quarter's spending, look at the forecast, answer events, end the turn."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.timer import Timer
from textual.worker import get_current_worker

from game.content.schema import Event
from game.play.forecast import Forecast, forecast, forecasts
from game.play.levers_info import lever_info
from game.play.predictions import Prediction, PredictionError, Reveal, reveal
from game.play.records import TurnSummary
from game.play.session import ActionError, Draft, Session, TurnActions
from game.render.labels import CATEGORY_NAMES, cause_label, event_title, goal_short, unspent_fate
from game.render.words import plural
from game.sim import causes
from game.sim.metrics import KEY_METRICS, metrics
from game.sim.state import State
from game.tui.messages import GameOver, LeaveGame, SaveAsRequested, TurnEnded
from game.tui.plan import Plan
from game.tui.saving import restore_draft
from game.tui.screens.base import HomegrownScreen
from game.tui.screens.dialogs import ConfirmScreen, EventDialog, Look, PredictDialog, SaveAsDialog
from game.tui.screens.drivers import open_drivers
from game.tui.screens.report import TurnReportScreen
from game.tui.widgets.charts import money
from game.tui.widgets.footer import FitFooter
from game.tui.widgets.lever_detail import LeverDetail
from game.tui.widgets.levers import LeverPanel
from game.tui.widgets.panels import (
    GoalForecastPanel,
    GoalsBar,
    KpiPanel,
    LineBar,
    MarketPanel,
    NewsLog,
    Panel,
    RiskPanel,
    StatusBar,
    guess_text,
)

GOALS_LINES = 5
"""The goals bar's height at most (app.tcss #goals)."""
FORECAST_DEBOUNCE = 0.015  # seconds: key repeats within this coalesce into one forecast


class DashboardScreen(HomegrownScreen):
    """Everything the player needs for one quarter."""

    BINDINGS = [
        Binding("e", "end_turn", "End turn", id="end-turn"),
        Binding("v", "events", "Events", id="events"),
        Binding("ctrl+s", "save_as", "Save as…", id="save-as"),
        Binding("p", "predict", "Predict", id="predict", show=False),
        Binding("i", "detail", "Lever info", id="detail"),
        Binding("d", "drivers", "Drivers", id="drivers", show=False),  # the footer is full at 80 columns
        Binding("left_square_bracket", "region(-1)", "Region", id="region-prev", show=False),
        Binding("right_square_bracket", "region(1)", "Region", id="region-next", show=False),
        Binding("g", "goal(1)", "Goal", id="goal-next", show=False),
        Binding("G", "goal(-1)", "Goal", id="goal-prev", show=False),
        # priority: the focused lever list is a scroll view too and would take PgUp/PgDn for itself
        Binding("pageup", "scroll_info(-1)", "Scroll", id="info-up", show=False, priority=True),
        Binding("pagedown", "scroll_info(1)", "Scroll", id="info-down", show=False, priority=True),
        Binding("escape", "leave", "Menu", id="menu"),
    ]

    class ForecastShown(Message):
        """A forecast reached the screen, `latency` seconds after the change that asked for it."""

        def __init__(self, latency: float) -> None:
            super().__init__()
            self.latency = latency

    class TurnShown(Message):
        """The dashboard shows the new quarter after the player ended a turn."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        w = session.world
        self.plan = Plan.for_world(w, session.budget, session.state.turn, session.state)
        resumed = restore_draft(session, self.plan)  # a loaded game: its quarter as the player left it
        self.choices: dict[str, str] = resumed.choices
        self.forecast: Forecast | None = None
        self.forecast_latency: float | None = None
        self._cache: dict[tuple, Forecast] = {}
        self.turn_shown_at = 0.0
        self._forecast_error = False
        self._stamp = 0.0
        self._shown_stamp = -1.0
        self._forecast_timer: Timer | None = None
        self._composed = False
        self.prediction: Prediction | None = resumed.prediction
        """This quarter's guess (game.play.predictions), passed to Session.end_turn, which keeps it for the
        save."""
        start = metrics(session.turns[0].before if session.turns else session.state, w)  # a loaded game's too
        self.series: dict[str, list[float]] = {m: [float(start[m][0])] for m in KEY_METRICS}
        self.shares_series: list[dict[str, float]] = []
        self.news: list[tuple[str, str]] = []
        for entry in session.history:  # a continued game
            self._absorb(entry)
        self._announce_events()
        self._note: str | None = resumed.note

    def draft(self) -> Draft:
        """This quarter as planned so far, for a save (game.play.session.Draft)."""
        return Draft(TurnActions(self.plan.allocations(), dict(self.choices)), self.prediction)

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield GoalsBar(id="goals")
        yield Panel(id="hint")
        with Horizontal(id="body"):
            with Vertical(id="plan-col"):
                yield LineBar(id="plan-title")
                yield LeverPanel(self.plan, id="levers")
                yield Panel(id="plan-note")
            yield LeverDetail(id="lever-detail")
            with VerticalScroll(id="info", can_focus=False):
                with Vertical(id="info-a"):
                    yield GoalForecastPanel(id="goal-forecast")
                    yield KpiPanel(id="kpis")
                    yield RiskPanel(id="risks")
                with Vertical(id="info-b"):
                    yield MarketPanel(self.session.world, id="markets")
                    yield NewsLog(id="news")
        yield FitFooter()

    @property
    def live(self) -> bool:
        """Composed and still on the screen stack (a screen replaced mid-way gets late messages)."""
        if not self._composed:  # (a query on every key was a tenth of a key's time)
            self._composed = bool(self.query(LeverPanel))
        return self.is_attached and self._composed and self in self.app.screen_stack

    def on_mount(self) -> None:
        if not self.live:
            return
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh_all(forecast=False),
                                                immediate=True)  # inside the switch's one frame (app.watch_theme)
        self.query_one(LeverPanel).focus()
        self.refresh_all()
        self.call_after_refresh(self.ask_events)

    # ------------------------------------------------------------ drawing

    @property
    def _spark_width(self) -> int:
        return min(20, len(self.series["approval"]))

    def refresh_all(self, forecast: bool = True) -> None:
        if not self.live:
            return
        s, w = self.session, self.session.world
        self.query_one(StatusBar).show(w, s.state.turn, s.quarter, self.plan.budget, self.plan.spent, s.seed)
        self._draw_goals()
        hints = w.scenario.hints
        hint = self.query_one("#hint", Panel)
        turn = s.state.turn
        if hints and turn < len(hints) and not s.done:
            hint.set(Text(f"Hint: {hints[turn]}"))
            hint.display = True
        else:
            hint.display = False
        self.query_one(LeverPanel).sync()  # budget, offer or plan may have changed: every row from the plan
        self._draw_plan()
        self._draw_forecast()
        self.query_one(MarketPanel).show(s.state)
        self.query_one(NewsLog).show(self.news)
        if forecast:
            self.request_forecast()

    def _draw_goals(self) -> None:
        s = self.session
        # one goal a line only where every goal fits the bar's five lines (#goals max-height)
        compact = self.size.width < 100 or len(s.world.goals) > GOALS_LINES
        self.query_one(GoalsBar).show(s.state, s.world, compact=compact, guess=self.prediction)

    def _draw_plan(self) -> None:
        p = self.plan
        left = p.left
        title = f"Plan {money(p.spent)} of {money(p.budget)} · "
        title += f"{money(left)} left" if left > 1e-9 else "all allocated"
        pending = self.unanswered()
        if pending:
            title += f" · {plural(len(pending), 'event')} to answer (v)"
        self.query_one("#plan-title", LineBar).set(title)
        self._draw_detail()
        note = self.query_one("#plan-note", Panel)
        note.set(Text(self._note or ""))
        if note.display != bool(self._note):
            note.display = bool(self._note)

    def on_lever_panel_changed(self, message: LeverPanel.Changed) -> None:
        if not self.live:
            return
        self._note = message.note
        if message.note:
            self.app.bell()
        self.query_one(StatusBar).show(self.session.world, self.session.state.turn, self.session.quarter,
                                       self.plan.budget, self.plan.spent, self.session.seed)
        self._draw_plan()
        self.request_forecast()

    def _draw_detail(self) -> None:
        panel, detail = self.query_one(LeverPanel), self.query_one(LeverDetail)
        if panel.expand_selected == detail.display:  # the pane shows the facts: the row needs not
            panel.expand_selected = not detail.display
            panel.sync()
        lever, stop = panel.lever, panel.stop
        if lever is None:
            detail.show(None, CATEGORY_NAMES[stop.category] if stop is not None else "")
            return
        detail.show(lever_info(self.session.world, self.session.state, lever.id, self.plan.amounts[lever.id],
                               self.plan.allocations()))

    def on_lever_panel_selected(self, _message: LeverPanel.Selected) -> None:
        if self.live:
            self._draw_detail()

    def action_detail(self) -> None:
        """The detail pane: in place of the information column on a narrow screen, off or on on a wide one."""
        self.toggle_class("-detail-toggled")
        self.call_after_refresh(self._draw_detail)

    def on_resize(self) -> None:
        self.call_after_refresh(lambda: self.refresh_all(forecast=False))

    # ------------------------------------------------------------ forecast

    @property
    def forecast_hidden(self) -> bool:
        """Predict, then reveal (the save's hide_forecast, a classroom setting): the forecast stays hidden
        until this quarter's prediction is made."""
        return self.session.hide_forecast and self.prediction is None and not self.session.done

    def _draw_forecast(self) -> None:
        hidden = self.forecast_hidden
        self.query_one(KpiPanel).show(self.series, self.forecast, spark_width=self._spark_width, hidden=hidden)
        self.query_one(RiskPanel).show(self.forecast, hidden=hidden)
        w = self.session.world
        self.query_one(GoalForecastPanel).show(self.forecast, w.quarter(w.turns - 1), hidden=hidden)

    @staticmethod
    def _key(turn: int, allocations: dict[str, float], choices: dict[str, str]) -> tuple:
        return (turn, tuple(sorted(allocations.items())), tuple(sorted(choices.items())))

    def _neighbours(self) -> list[dict[str, float]]:
        """Plans one key press away on the selected lever (computed ahead while the player thinks)."""
        panel = self.query_one(LeverPanel)
        lever = panel.lever
        out: list[dict[str, float]] = []
        if lever is None:
            return out
        for steps in (1, -1):
            p = self.plan.copy()
            if p.change(lever, steps) is None or p.allocations() != self.plan.allocations():
                out.append(p.allocations())
        return out

    def request_forecast(self, delay: float = FORECAST_DEBOUNCE) -> None:
        """Show the forecast of the current plan: at once if computed ahead, else from a worker thread."""
        if self.session.done or not self.live:
            return
        self._stamp = stamp = time.perf_counter()
        allocations, choices = dict(self.plan.allocations()), dict(self.choices)
        state = self.session.state
        cached = self._cache.get(self._key(state.turn, allocations, choices))
        if cached is not None:
            self._show_forecast(stamp, cached)
        # One worker once the keys pause, not one a key: starting a thread waits for the GIL, which the
        # running forecast holds, so a burst of keys would queue up behind thread starts.
        if self._forecast_timer is not None:
            self._forecast_timer.stop()
        self._forecast_timer = self.set_timer(
            delay, lambda: self.run_forecast(stamp, state, allocations, choices, self._neighbours(), 0.0))

    @work(exclusive=True, thread=True, group="forecast")
    def run_forecast(self, stamp: float, state: State, allocations: dict[str, float], choices: dict[str, str],
                     ahead: list[dict[str, float]], delay: float) -> None:
        worker = get_current_worker()

        def still_wanted() -> bool:
            time.sleep(0.0005)  # hand the GIL to the UI between quarters
            return stamp == self._stamp and not worker.is_cancelled

        if delay:
            time.sleep(delay)
        world = self.session.world
        n = self.app.forecast_samples
        key = self._key(state.turn, allocations, choices)
        result = self._cache.get(key)
        if result is None:
            if not still_wanted():
                return
            try:
                result = forecast(state, world, allocations, choices, n=n, checkpoint=still_wanted)
            except Exception as exc:  # never a traceback: the game stays playable without a forecast
                self.app.call_from_thread(self._forecast_failed, exc)
                return
            if result is None:
                return
            self._cache[key] = result
        # shown even when an earlier worker cached it meanwhile: that worker's stamp is stale, so it was not
        try:
            self.app.call_from_thread(self._show_forecast, stamp, result)
        except RuntimeError:  # the app is closing
            return
        ahead = [p for p in ahead if self._key(state.turn, p, choices) not in self._cache]
        if not ahead:  # look ahead: the plans one key press away, in one batch
            return
        try:
            results = forecasts(state, world, ahead, choices, n=n, checkpoint=still_wanted)
        except Exception:
            return
        for plan, found in zip(ahead, results or [], strict=False):
            self._cache[self._key(state.turn, plan, choices)] = found

    def _forecast_failed(self, exc: Exception) -> None:
        if not self._forecast_error:
            self._forecast_error = True
            self.notify(f"The forecast is unavailable ({type(exc).__name__}: {exc}); "
                        "the game itself is fine.",
                        severity="error", timeout=8)

    def _show_forecast(self, stamp: float, result: Forecast) -> None:
        if stamp != self._stamp or stamp == self._shown_stamp or not self.live:
            return
        self._shown_stamp = stamp  # once per request (a cached forecast arrives from both sides)
        self.forecast = result  # kept while hidden: the reveal shows it at once
        self._draw_forecast()
        if self.forecast_hidden:
            return
        self.forecast_latency = time.perf_counter() - stamp
        self.post_message(self.ForecastShown(self.forecast_latency))

    # ------------------------------------------------------------ events

    def _announce_events(self) -> None:
        for event in self.session.pending_events():
            if not event.choices:
                self.news.append((self.session.quarter, f"{event_title(event)}: {event.text}"))

    def unanswered(self) -> list[Event]:
        return [e for e in self.session.pending_events() if e.choices and e.id not in self.choices]

    def ask_events(self, events: list[Event] | None = None, then: Callable[[], None] | None = None) -> None:
        """Open the dialog for each event (by default the unanswered ones), one after another."""
        queue = list(self.unanswered() if events is None else events)
        total = len(queue)

        def next_one(_result: str | None = None) -> None:
            if not queue:
                self.refresh_all()
                if then is not None:
                    then()
                return
            event = queue.pop(0)
            position = f"{total - len(queue)}/{total}" if total > 1 else ""

            def answered(choice: str | None, event: Event = event) -> None:
                if choice is not None:
                    self.choices[event.id] = choice
                    next_one()
                else:
                    queue.clear()
                    self.refresh_all()

            dialog = EventDialog(event, self.session.quarter, self.choices.get(event.id), position, self._look(event))
            self.app.push_screen(dialog, answered)

        if self.session.done or self.app.screen is not self:
            return
        next_one()

    def _look(self, event: Event) -> Look:
        """What the event dialog previews against: this quarter's plan and the other answers given."""
        others = {k: v for k, v in self.choices.items() if k != event.id}

        def beside() -> Region | None:
            """The plan column, and the lever detail beside it on a wide screen (not needed while answering)."""
            if not self.live:
                return None
            region = self.query_one("#plan-col").region
            detail = self.query_one(LeverDetail)
            return region.union(detail.region) if detail.display and detail.region.width else region

        s = self.session
        return Look(s.world, s.state, dict(self.plan.allocations()), others, self.app.forecast_samples,
                    self.forecast_hidden, beside)

    def action_events(self) -> None:
        events = [e for e in self.session.pending_events() if e.choices]
        if not events:
            self.notify("No events need an answer this quarter.", timeout=3)
            return
        self.ask_events(events)

    # ------------------------------------------------------------ actions

    def action_region(self, delta: int) -> None:
        self.query_one(MarketPanel).cycle(delta)

    def action_goal(self, delta: int) -> None:
        self.query_one(GoalForecastPanel).cycle(delta)

    def action_scroll_info(self, direction: int) -> None:
        info: ScrollableContainer | LeverDetail = self.query_one("#info", VerticalScroll)
        if not info.display:  # the lever detail pane stands in its place (i, on a narrow screen)
            info = self.query_one(LeverDetail)
        (info.scroll_page_down if direction > 0 else info.scroll_page_up)(animate=False)

    def action_predict(self) -> None:
        s = self.session
        if s.done or self.app.screen is not self:
            return
        if s.hide_forecast and self.prediction is not None:  # seen the forecast: the guess stands
            goal = next(g for g in s.world.goals if g.id == self.prediction.goal)
            self.notify(f"Your prediction for {s.quarter} is made ({goal_short(goal.id, goal.metric.source)} "
                        f"{guess_text(s.world, self.prediction)}) and the forecast is shown: in this class a "
                        "prediction cannot be changed once it is revealed.", timeout=6)
            return

        def done(prediction: Prediction | None) -> None:
            if prediction is not None and self.live:
                self.prediction = prediction
                self._draw_goals()
                self._draw_forecast()

        self.app.push_screen(PredictDialog(s.world, s.result(), s.quarter, self.prediction), done)

    def action_drivers(self) -> None:
        if not self.session.done and self.app.screen is self:
            open_drivers(self, self.session, self.plan.allocations(), dict(self.choices))

    def action_leave(self) -> None:
        def leave() -> None:
            self.post_message(LeaveGame())

        self.confirm_leave(leave)

    def confirm_leave(self, then: Callable[[], None], where: str = "go back to the title screen") -> None:
        """Ask before leaving this game (the app's question: HomegrownApp.confirm_leave)."""
        self.app.confirm_leave(then, where)

    def action_save_as(self) -> None:
        if self.app.screen is not self:
            return
        service = self.app.service
        target = service.save_target
        suggestion = f"{self.session.scenario}-{self.session.quarter}"
        if target is not None and not target.stem.startswith("autosave-"):
            suggestion = target.stem

        def done(name: str | None) -> None:
            if name:
                self.post_message(SaveAsRequested(name))

        self.app.push_screen(SaveAsDialog(str(service.saves_folder), suggestion, service.check_save_name), done)

    def action_end_turn(self) -> None:
        if self.session.done or self.app.screen is not self:
            return
        if self.unanswered():
            self.ask_events(then=self._confirm_end_turn)
            return
        self._confirm_end_turn()

    def _confirm_end_turn(self) -> None:
        if self.unanswered():
            return
        left = self.plan.left
        if left > 1e-9:
            def answer(yes: bool | None) -> None:
                if yes:
                    self.end_turn()

            self.app.push_screen(ConfirmScreen(
                f"{money(left)} of this quarter's {money(self.plan.budget)} is not allocated: "
                f"{unspent_fate(self.session.world.scenario.carryover)}.\nEnd the turn anyway?",
                yes="End turn", no="Keep planning"), answer)
            return
        self.end_turn()

    def end_turn(self) -> TurnSummary | None:
        """Play the quarter with the current plan and choices; show the turn report."""
        s = self.session
        before = {m: v[-1] for m, v in self.series.items()}
        try:
            entry = s.end_turn(TurnActions(self.plan.check(s.world, s.state.turn), dict(self.choices)),
                               prediction=self.prediction)
        except (ActionError, PredictionError) as exc:
            self.notify(f"The turn could not be played: {exc}", severity="error")
            return None
        revealed: Reveal | None = None
        if self.prediction is not None:
            revealed = reveal(s.world, s.turns[-1], self.prediction)
        self.prediction = None
        self._absorb(entry)
        self.choices = {}
        self.forecast = None
        self._cache.clear()
        if not s.done:
            self.plan.advance(s.world, s.state.turn, s.state)
        self._note = None if s.done else self.plan.rebudget(s.budget)
        self._announce_events()
        self.post_message(TurnEnded(s, entry))
        self.refresh_all(forecast=False)
        self.request_forecast(delay=0.1)  # the player reads the report first: let it draw
        self.turn_shown_at = time.perf_counter()
        self.post_message(self.TurnShown())
        coming = ""
        if s.done:
            coming = "The game is over: see how you did against the goals."
        else:
            asks = [e for e in s.pending_events() if e.choices]
            coming = f"{s.quarter}: budget {money(s.budget)}"
            coming += f", {plural(len(asks), 'event')} to answer" if asks else ", no events to answer"
            if self._note:
                coming += f". {self._note}"
        report = TurnReportScreen(entry, s.world, before, revealed, s.done, coming, s.turns[-1])
        self.app.push_screen(report, self._after_report)
        return entry

    def _absorb(self, entry: TurnSummary) -> None:
        """Add a played turn to the series and the news."""
        w = self.session.world
        for m in KEY_METRICS:
            self.series[m].append(entry.metrics[m])
        self.shares_series.append(dict(entry.global_shares))
        q = entry.quarter
        for e in entry.events:
            if e.choice:
                event = w.content.events[e.id]
                label = next((c.label for c in event.choices if c.id == e.choice), e.choice)
                self.news.append((q, f"{event_title(event)} → {label}"))
        if entry.incidents:
            extra = f", {entry.major_incidents} major" if entry.major_incidents else ""
            self.news.append((q, f"⚠ {plural(entry.incidents, 'security incident')}{extra}"))
        for d in entry.deals:
            name = cause_label(causes.deal(d.id), w)
            self.news.append((q, f"{'✔ Won' if d.won else '✘ Lost'}: {name}"))

    def _after_report(self, _result: Any = None) -> None:
        if self.session.done:
            self.post_message(GameOver(self.session))
        else:
            self.ask_events()
