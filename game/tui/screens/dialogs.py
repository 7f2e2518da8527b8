"""Small modal dialogs: a yes/no question, an event with choices, a prediction, a message and a save name."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from game.content.schema import Event
from game.play.predictions import Prediction, PredictionError, from_text, tolerance
from game.play.records import GameResult, GoalResult
from game.render.labels import (
    FICTION_TAG,
    MAX_DECIMALS,
    goal_decimals,
    goal_numbers,
    goal_unit,
    goal_value,
    unit_scale,
)
from game.sim.world import World
from game.tui.screens.base import ClosesOnce
from game.tui.widgets.options import MarkedOptionList


class ConfirmScreen(ClosesOnce, ModalScreen[bool]):
    """A yes/no question: y yes, n or Esc no, Enter the focused button. The safe answer ("Stay", "Keep
    planning", "Back") has the focus, so a stray Enter never ends a turn or leaves a game."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="yes"),
        Binding("n,escape", "answer(False)", "No", id="no"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(self.question, id="question")
            with Horizontal(classes="buttons"):
                yield Button(Text(f"{self.yes} [y]"), id="confirm-yes", variant="primary")
                yield Button(Text(f"{self.no} [n]"), id="confirm-no")
        yield Footer()

    def on_mount(self) -> None:
        self.focus_if_there("#confirm-no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class EventDialog(ClosesOnce, ModalScreen[str | None]):
    """An event with choices: each choice with its trade-off. Enter or 1-9 choose; Esc decides later."""

    BINDINGS = [
        Binding("escape", "later", "Decide later", id="later"),
        *[Binding(str(i), f"pick({i - 1})", str(i), show=False, id=f"pick-{i}") for i in range(1, 10)],
    ]

    def __init__(self, event: Event, quarter: str, current: str | None = None, position: str = "") -> None:
        super().__init__()
        self.event, self.quarter, self.current, self.position = event, quarter, current, position

    def compose(self) -> ComposeResult:
        e = self.event
        default = e.choices[e.default].label if e.choices else ""
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
                options = []
                for i, choice in enumerate(e.choices):
                    prompt = Text()
                    mark = "● " if choice.id == self.current else ""
                    prompt.append(f"{i + 1}. {mark}{choice.label}", style="bold")
                    if choice.text:
                        prompt.append(f"\n   {choice.text}")
                    options.append(Option(prompt, id=choice.id))
                yield MarkedOptionList(*options, id="choices")
            yield Static(Text(f"↑↓ and Enter or 1-{len(e.choices)} choose · Esc decide later "
                              f"(unanswered: “{default}”)", style="dim"), id="event-hint")
        yield Footer()

    def on_mount(self) -> None:
        if self._dismissed:
            return  # answered (a digit typed) before it was composed
        options = self.query_one("#choices", OptionList)
        ids = [c.id for c in self.event.choices]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.event.choices):
            self.dismiss(self.event.choices[index].id)

    def action_later(self) -> None:
        self.dismiss(None)


class PredictDialog(ClosesOnce, ModalScreen[Prediction | None]):
    """The player's guess of where one of the scenario's goals will stand after this quarter: ↑↓ pick the
    goal (the first by default), the guess is typed in the goal's unit, Enter predicts, Esc cancels (the
    earlier guess, if any, stays). A guess that is not one (game.play.predictions.from_text) is said in one
    line under the field and nothing typed is lost."""

    BINDINGS = [
        Binding("up", "goal(-1)", "Goal ↑", id="predict-goal-up"),
        Binding("down", "goal(1)", "Goal ↓", id="predict-goal-down"),
        Binding("escape", "cancel", "Cancel", id="predict-cancel"),
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
        yield Footer()

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
        yield Footer()

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
        yield Footer()

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
