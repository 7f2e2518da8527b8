"""Small modal dialogs: a yes/no question, an event with choices, a prediction, a message and a save name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from game.content.schema import Event
from game.play.consequences import Change, Consequences, consequences
from game.play.forecast import ChoiceOutlook, EventOutlook, event_outlook
from game.play.predictions import Prediction, PredictionError, from_text, tolerance
from game.play.records import GameResult, GoalResult
from game.render.labels import (
    FICTION_TAG,
    MAX_DECIMALS,
    goal_decimals,
    goal_numbers,
    goal_short,
    goal_unit,
    goal_value,
    unit_scale,
)
from game.sim.state import State
from game.sim.world import CGoal, World
from game.tui.screens.base import HELP, ClosesOnce
from game.tui.widgets.charts import goal_digits
from game.tui.widgets.footer import FitFooter
from game.tui.widgets.options import MarkedOptionList


class ConfirmScreen(ClosesOnce, ModalScreen[bool]):
    """A yes/no question: y yes, n or Esc no, Enter the focused button. The safe answer ("Stay", "Keep
    planning", "Back") has the focus, so a stray Enter never ends a turn or leaves a game."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="yes"),
        Binding("n,escape", "answer(False)", "No", id="no"),
        HELP,
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No", quits: bool = False) -> None:
        """`quits`: the question before quitting (Ctrl+Q on it quits at once)."""
        super().__init__()
        self.question, self.yes, self.no, self.quits = question, yes, no, quits

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(self.question, id="question")
            with Horizontal(classes="buttons"):
                yield Button(Text(f"{self.yes} [y]"), id="confirm-yes", variant="primary")
                yield Button(Text(f"{self.no} [n]"), id="confirm-no")
        yield FitFooter()

    def on_mount(self) -> None:
        self.focus_if_there("#confirm-no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


@dataclass(frozen=True)
class Look:
    """What an event dialog previews its answers against: the game now and the player's plan. `beside`
    gives the screen region the dialog covers (the dashboard's plan column), so the rest of the dashboard
    stays in view; None: centred."""

    world: World
    state: State
    allocations: dict[str, float]
    choices: dict[str, str]
    samples: int
    hidden: bool = False
    """The classroom's predict-then-reveal: no sampled futures until the player has predicted."""
    beside: Callable[[], Region | None] | None = None


def _number(x: float) -> str:
    """'3', '0.35', '−2.5': at most two decimals, a real minus sign."""
    text = f"{abs(x):.2f}".rstrip("0").rstrip(".")
    return f"−{text}" if x < 0 and text != "0" else text


def _yen(x: float) -> str:
    """'−¥4B', '¥2.5B'."""
    return ("−" if x < 0 else "") + f"¥{_number(abs(x))}B"


def change_text(ch: Change) -> str:
    """'next quarter's budget −¥3B', 'tension +4 (35 → 39)', 'NEC share in Japan +0.57 pp (12.0 → 12.6 %)'."""
    sign = "+" if ch.change > 0 else "−"
    if ch.unit == "flag":
        return ch.what if ch.after else ch.what.replace("banned", "unbanned")
    if ch.unit == "money":  # a running total too once an earlier answer has moved it (the quarter's others)
        total = f" ({_yen(ch.before)} → {_yen(ch.after)})" if abs(ch.before) > 1e-9 else ""
        return f"{ch.what} {sign}¥{_number(abs(ch.change))}B{total}"
    if ch.unit == "share":
        return f"{ch.what} {sign}{abs(ch.change) * 100:.2f} pp ({ch.before * 100:.1f} → {ch.after * 100:.1f} %)"
    return f"{ch.what} {sign}{_number(abs(ch.change))} ({_number(ch.before)} → {_number(ch.after)})"


def changes_text(changes: tuple[Change, ...], shares: int = 3) -> str:
    """The changes joined, share moves cut to the `shares` largest (a shift moves every vendor a little)."""
    moved = sorted((c for c in changes if c.unit == "share"), key=lambda c: -abs(c.change))
    kept = [c for c in changes if c.unit != "share" or c in moved[:shares]]
    text = " · ".join(change_text(c) for c in kept)
    return text + (f" · {len(moved) - shares} smaller share moves" if len(moved) > shares else "")


def _signed(goal: CGoal, x: float, digits: int) -> str:
    """A change of a goal's metric with its sign, '±0' when it rounds to nothing."""
    if round(abs(x) * unit_scale(goal.metric.source), digits) == 0:
        return "±0"
    return ("+" if x > 0 else "−") + goal_value(goal.metric.source, abs(x), digits, difference=True)


def outlook_lines(world: World, outlook: ChoiceOutlook, default: bool, end_quarter: str) -> list[str]:
    """Per goal that the answer moves (against the default answer, in the same sampled futures): the
    median change and its 10-90 % band, after the coming quarter and at the end. The default answer gives
    where each goal ends."""
    if default:
        parts = [f"{goal_short(g.id, g.metric.source)} {goal_value(g.metric.source, s.median, goal_digits(g.metric.source, g.target))}"
                 for g, s in zip(world.goals, outlook.end, strict=True)]
        return [f"Default answer; with it, in {end_quarter} (median): " + " · ".join(parts)]
    lines = []
    for when, spreads in (("next quarter", outlook.next_change), (end_quarter, outlook.end_change)):
        parts = []
        for g, s in zip(world.goals, spreads, strict=True):
            d = goal_digits(g.metric.source, g.target)
            shown = [_signed(g, x, d) for x in (s.median, s.low, s.high)]
            if all(x == "±0" for x in shown):
                continue
            band = "" if shown[1] == shown[2] else f" [{shown[1].split(' ')[0]} to {shown[2].split(' ')[0]}]"
            parts.append(f"{goal_short(g.id, g.metric.source)} {shown[0]}{band}")
        lines.append(f"{when}: " + (" · ".join(parts) if parts else "no change to the goals"))
    return lines


class EventDialog(ClosesOnce, ModalScreen[str | None]):
    """An event with choices: each choice with its trade-off, its exact immediate effects and (with a
    `look`) its effect on the goals in sampled futures, computed in a worker so the dialog opens at once.
    It covers only the dashboard's plan column. Enter or 1-9 choose; Esc decides later."""

    BINDINGS = [
        Binding("escape", "later", "Decide later", id="later"),
        HELP,
        # priority: the focused answers are an option list, which would page its highlight instead
        Binding("pageup", "scroll_text(-1)", "Scroll", id="event-scroll-up", show=False, priority=True),
        Binding("pagedown", "scroll_text(1)", "Scroll", id="event-scroll-down", show=False, priority=True),
        *[Binding(str(i), f"pick({i - 1})", str(i), show=False, id=f"pick-{i}") for i in range(1, 10)],
    ]

    class OutlookShown(Message):
        """The sampled futures of every answer reached the dialog."""

    def __init__(self, event: Event, quarter: str, current: str | None = None, position: str = "",
                 look: Look | None = None) -> None:
        super().__init__(classes="-beside" if look is not None and look.beside is not None else None)
        self.event, self.quarter, self.current, self.position, self.look = event, quarter, current, position, look
        self.consequences: Consequences | None = None
        self.outlook: EventOutlook | None = None
        if look is not None:
            self.consequences = consequences(look.state, look.world, event.id, look.choices)

    @property
    def safe_index(self) -> int:
        """Where the cursor starts: the player's earlier answer, else the default answer, unless it cannot
        be undone (a ban): then the first answer that can."""
        ids = [c.id for c in self.event.choices]
        if self.current in ids:
            return ids.index(self.current)
        final = self.consequences.irreversible if self.consequences else (False,) * len(ids)
        if not final[self.event.default]:
            return self.event.default
        return next((i for i, f in enumerate(final) if not f), self.event.default)

    def _prompt(self, i: int) -> Text:
        choice = self.event.choices[i]
        prompt = Text()
        mark = "● " if choice.id == self.current else ""
        prompt.append(f"{i + 1}. {mark}{choice.label}", style="bold")
        if i == self.event.default:
            prompt.append(" (default)", style="dim")
        if self.consequences is not None and self.consequences.irreversible[i]:
            prompt.append(" · irreversible", style="bold")
        if choice.text and self.look is None:  # with a look, the detail below says it
            prompt.append(f"\n   {choice.text}")
        return prompt

    def detail(self, i: int) -> Text:
        """The highlighted answer: its exact immediate effects, its effect on the goals, then its text (what
        a narrow dialog shows first is what the choice costs and gives)."""
        text = Text(f"{i + 1}. ", style="bold")
        c = self.consequences
        if c is not None:
            text.append("At once: ", style="bold")
            text.append(changes_text(c.choices[i]) or "nothing changes at once")
        look, outlook = self.look, self.outlook
        if look is not None:
            text.append("\n")
            text.append(self._outlook_note(), style="dim")
            if not look.hidden and outlook is not None and i < len(outlook.choices):
                end = look.world.quarter(look.world.turns - 1)
                for line in outlook_lines(look.world, outlook.choices[i], i == self.event.default, end):
                    text.append(f"\n{line}")
        choice = self.event.choices[i]
        if choice.text:
            text.append(f"\n{choice.text}", style="italic")
        return text

    def compose(self) -> ComposeResult:
        e = self.event
        with Vertical(id="event", classes="dialog"):
            head = Text()
            head.append(f"{self.quarter} · {e.category}", style="dim")
            if self.position:
                head.append(f" · event {self.position}", style="dim")
            head.append("\n")
            head.append(e.title, style="bold")
            if e.fiction:
                head.append(f" {FICTION_TAG}", style="italic dim")
            yield Static(head, id="event-title")
            with VerticalScroll(id="event-body"):
                yield Static(e.text, id="event-text")
                if self.consequences is not None and self.consequences.always:
                    yield Static(Text(f"Whatever you choose: {changes_text(self.consequences.always)}",
                                      style="italic"), id="event-always")
            yield MarkedOptionList(*[Option(self._prompt(i), id=c.id) for i, c in enumerate(e.choices)],
                                   id="choices")
            if self.look is not None:
                with VerticalScroll(id="event-detail-box"):
                    yield Static(id="event-detail")
            yield Static(Text(f"↑↓ Enter or 1-{len(e.choices)} choose · PgUp/PgDn scroll · Esc decide later "
                              "(unanswered: the default)", style="dim"), id="event-hint")
        yield FitFooter()

    def _outlook_note(self) -> str:
        look = self.look
        assert look is not None
        if look.hidden:
            return "Its effect on the goals: hidden until you predict (p)."
        if self.outlook is None:
            return f"Its effect on the goals: sampling {look.samples} futures of each answer…"
        return "Goals vs the default, median [10–90 %]:"  # of the same sampled futures, this quarter's plan

    def on_mount(self) -> None:
        if self._dismissed:
            return  # answered (a digit typed) before it was composed
        self._place()
        if self.look is not None and self.look.beside is not None:
            for screen in self.app.screen_stack:
                if screen is not self:
                    screen.screen_layout_refresh_signal.subscribe(self, self._below_laid_out)
        options = self.query_one("#choices", OptionList)
        options.highlighted = self.safe_index
        options.focus()
        self._draw_detail()
        if self.look is not None and not self.look.hidden and not self.look.state.done[0]:
            self.run_outlook()

    def on_resize(self) -> None:
        self.call_after_refresh(self._place)

    def _below_laid_out(self, _screen: object) -> None:
        """The dashboard below laid itself out (after a resize it does so after this screen, and its goals
        bar may take another height once drawn): place the dialog over its plan column again."""
        if not self._dismissed:
            self._place()

    def _place(self) -> None:
        """Over the dashboard's plan column, if it says where that is; else centred."""
        region = self.look.beside() if self.look is not None and self.look.beside is not None else None
        if region is None or not region.width or not self.is_attached:
            self.remove_class("-beside")
            return
        dialog = self.query_one("#event")
        dialog.styles.offset = (region.x, region.y)
        dialog.styles.width = region.width
        dialog.styles.max_width = region.width
        dialog.styles.height = region.height
        dialog.styles.max_height = region.height

    @work(exclusive=True, thread=True, group="event-outlook")
    def run_outlook(self) -> None:
        look = self.look
        assert look is not None
        worker = get_current_worker()
        try:
            result = event_outlook(look.state, look.world, self.event.id, look.allocations, look.choices,
                                   n=look.samples, checkpoint=lambda: not worker.is_cancelled and not self._dismissed)
        except Exception:  # never a traceback: the answers stay choosable without their outlook
            result = None
        if result is not None:
            try:
                self.app.call_from_thread(self._show_outlook, result)
            except RuntimeError:  # the app is closing
                return

    def _draw_detail(self) -> None:
        if self.look is None or self._dismissed:
            return
        index = self.query_one("#choices", OptionList).highlighted
        self.query_one("#event-detail", Static).update(self.detail(index or 0))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "choices":
            self._draw_detail()

    def _show_outlook(self, outlook: EventOutlook) -> None:
        if self._dismissed or not self.is_attached:
            return
        self.outlook = outlook
        self._draw_detail()
        self.post_message(self.OutlookShown())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.event.choices):
            self.dismiss(self.event.choices[index].id)

    def action_later(self) -> None:
        self.dismiss(None)

    def action_scroll_text(self, direction: int) -> None:
        """The dialog's text as one page: PgDn scrolls the story to its end, then the highlighted answer's
        effects; PgUp the effects back to their top, then the story (↑↓ move the answer)."""
        boxes = [box for box in self.query("#event-body, #event-detail-box").results(VerticalScroll)
                 if box.max_scroll_y > 0]
        if direction > 0:
            box = next((b for b in boxes if b.scroll_y < b.max_scroll_y), None)
        else:
            box = next((b for b in reversed(boxes) if b.scroll_y > 0), None)
        if box is not None:
            (box.scroll_page_down if direction > 0 else box.scroll_page_up)(animate=False)


class PredictDialog(ClosesOnce, ModalScreen[Prediction | None]):
    """The player's guess of where one of the scenario's goals will stand after this quarter: ↑↓ pick the
    goal (the first by default), the guess is typed in the goal's unit, Enter predicts, Esc cancels (the
    earlier guess, if any, stays). A guess that is not one (game.play.predictions.from_text) is said in one
    line under the field and nothing typed is lost."""

    BINDINGS = [
        Binding("up", "goal(-1)", "Goal ↑", id="predict-goal-up"),
        Binding("down", "goal(1)", "Goal ↓", id="predict-goal-down"),
        Binding("escape", "cancel", "Cancel", id="predict-cancel"),
        HELP,
    ]

    def __init__(self, world: World, now: GameResult, quarter: str, current: Prediction | None = None) -> None:
        super().__init__()
        self.world, self.now, self.quarter, self.current = world, now, quarter, current
        ids = [g.id for g in now.goals]
        self.index = ids.index(current.goal) if current is not None and current.goal in ids else 0

    @property
    def goal(self) -> GoalResult:
        return self.now.goals[self.index]

    def compose(self) -> ComposeResult:
        with Vertical(id="predict", classes="dialog"):
            yield Static(Text(f"Your prediction · {self.quarter}", style="bold"), id="predict-title")
            yield Static(Text("Where will one of your goals stand after this quarter? The turn report "
                              "scores your guess; the end screen sums the scores up.", style="dim"),
                         id="predict-help")
            options = [Option(Text(g.description), id=g.id) for g in self.now.goals]
            yield MarkedOptionList(*options, id="predict-goals")
            yield Static(id="predict-detail")
            value = ""
            if self.current is not None and self.current.goal == self.goal.id:
                value = _plain(self.goal.metric, self.current.guess)
            yield Input(value=value, id="predict-guess")
            yield Static("", id="predict-message")
            yield Static(id="predict-hint")
        yield FitFooter()

    def on_mount(self) -> None:
        goals = self.query_one("#predict-goals", OptionList)
        goals.can_focus = False  # the keys are the field's; ↑↓ move here from the dialog
        goals.highlighted = self.index
        self.query_one("#predict-message").display = False
        self._draw()
        self.query_one("#predict-guess", Input).focus()

    def _draw(self) -> None:
        g = self.goal
        tol = tolerance(self.world, g.id)
        digits = goal_decimals(g.metric, tol)
        unit = goal_unit(g.metric)
        _, target = goal_numbers(g.metric, g.op, g.target, g.value, g.met)
        self.query_one("#predict-detail", Static).update(Text(
            f"now {goal_value(g.metric, g.value, digits)} (target {target}) · 100 points if exact, "
            f"0 if {goal_value(g.metric, tol, digits, difference=True)} off", style="bold"))
        self.query_one("#predict-hint", Static).update(Text(
            f"↑↓ goal · type your guess{f' in {unit}' if unit else ''} · Enter predict · Esc cancel",
            style="dim"))
        self.query_one("#predict-guess", Input).placeholder = f"now {_plain(g.metric, g.value, digits)}"

    def show_message(self, message: str) -> None:
        note = self.query_one("#predict-message", Static)
        note.update(Text(message))
        note.display = bool(message)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_index != self.index:
            self.index = event.option_index
            self.show_message("")
            self._draw()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click picks the goal; Enter in the field predicts
        self.query_one("#predict-guess", Input).focus()

    def action_goal(self, delta: int) -> None:
        goals = self.query_one("#predict-goals", OptionList)
        goals.highlighted = (self.index + delta) % len(self.now.goals)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_message("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            prediction = from_text(self.world, self.goal.id, event.value)
        except PredictionError as exc:
            self.app.bell()
            self.show_message(f"Not a prediction: {exc}.")
            return
        self.dismiss(prediction)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _plain(metric: str, value: float, digits: int = MAX_DECIMALS) -> str:
    """A value as the player would type it in the goal's unit (no unit sign): '1.76' for 1.76 %."""
    text = f"{value * unit_scale(metric):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class MessageScreen(ClosesOnce, ModalScreen[None]):
    """Something the player must know (a save that cannot be loaded): a title, one message, OK."""

    BINDINGS = [
        Binding("escape,enter", "close", "OK", id="message-ok"),
        HELP,
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text, self.message = title, message

    def compose(self) -> ComposeResult:
        with Vertical(id="message", classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), id="message-title")
            yield Static(self.message, id="message-text", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(Text("OK [Enter]"), id="message-ok", variant="primary")
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one("#message-ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class SaveAsDialog(ClosesOnce, ModalScreen[str | None]):
    """Ask for a save name. `check(name)` returns None if it is fine, else the reason, shown inline."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="save-as-cancel"),
    ]

    def __init__(self, folder: str, suggestion: str, check: Callable[[str], str | None]) -> None:
        super().__init__()
        self.folder, self.suggestion, self.check = folder, suggestion, check
        self._confirmed: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="save-as", classes="dialog"):
            yield Static(Text("Save as", style="bold"))
            yield Static(Text(f"A name for this save (letters, digits, spaces, - _ .), in {self.folder}. "
                              "Later turns are saved to it too.", style="dim"), id="save-as-help")
            yield Input(value=self.suggestion, placeholder="my game", id="save-as-name")
            yield Static("", id="save-as-message")
            yield Static(Text("Enter save · Esc cancel", style="dim"))
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one("#save-as-message").display = False
        self.query_one("#save-as-name", Input).focus()

    def show_message(self, message: str) -> None:
        note = self.query_one("#save-as-message", Static)
        note.update(Text(message))
        note.display = bool(message)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._confirmed = None
        self.show_message("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        problem = self.check(name)
        if problem is None or (problem.startswith("replace:") and self._confirmed == name):
            self.dismiss(name)
            return
        if problem.startswith("replace:"):
            self._confirmed = name
            problem = problem.removeprefix("replace:")
        self.app.bell()
        self.show_message(problem)

    def action_cancel(self) -> None:
        self.dismiss(None)
