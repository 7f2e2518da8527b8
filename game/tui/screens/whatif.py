"""What if…: the end screen's replay of the finished game with one allocation changed (game.play.whatif).

The dialog picks a quarter, a lever and an amount; the replay keeps every random draw, so the comparison
shows what that decision alone would have changed, side by side, in a scrollable view.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from game.play.session import Session
from game.play.whatif import Change, WhatIf, WhatIfError, what_if
from game.render.whatif import format_what_if
from game.sim.metrics import budget
from game.tui.screens.base import ClosesOnce
from game.tui.widgets.charts import money
from game.tui.widgets.footer import FitFooter


def changeable_levers(session: Session) -> list[str]:
    """Lever ids the player could set in this scenario (offered and not locked: world.controllable)."""
    w = session.world
    return [lid for i, lid in enumerate(w.lever_ids) if w.controllable[i]]


def amount_text(value: float) -> str:
    """¥ billions as typed: 4, 2.5, 1.71 (never 1.71429)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


class WhatIfDialog(ClosesOnce, ModalScreen[None]):
    """Quarter, lever, amount; Enter (or Compare) runs the what-if and shows the comparison. Ctrl+N keeps
    the change and lets the player add another (e.g. to lower another lever of the same quarter)."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="whatif-close"),
        Binding("ctrl+n", "add", "Add another change", id="whatif-add"),
        Binding("ctrl+r", "reset", "Clear changes", id="whatif-reset", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.levers = changeable_levers(session)
        self.played = len(session.log)
        self.kept: dict[tuple[int, str], float] = {}
        """Changes added with Ctrl+N, by (turn, lever)."""

    def compose(self) -> ComposeResult:
        s, w = self.session, self.session.world
        names = s.content.levers
        quarters = [(f"{w.quarter(i)} (turn {i + 1})", i) for i in range(self.played)]
        levers = [(names[lid].name if lid in names else lid, lid) for lid in self.levers]
        with Vertical(id="whatif", classes="dialog"):
            yield Static(Text("What if… you had spent differently?", style="bold"))
            yield Static(Text("Same random draws: any difference comes from your change alone.",
                              style="dim"), id="whatif-intro")
            with Horizontal(classes="whatif-row"):
                yield Static("Quarter", classes="whatif-label")
                yield Select(quarters, value=0, allow_blank=False, id="whatif-quarter", compact=True)
            with Horizontal(classes="whatif-row"):
                yield Static("Lever", classes="whatif-label")
                yield Select(levers, value=self.levers[0], allow_blank=False, id="whatif-lever", compact=True)
            with Horizontal(classes="whatif-row"):
                yield Static("¥ billions", classes="whatif-label")
                yield Input(id="whatif-amount", placeholder="e.g. 4", restrict=r"[0-9.]*", compact=True)
            yield Static(id="whatif-info")
            yield Static(id="whatif-kept")
            yield Static(id="whatif-message")
            with Horizontal(classes="buttons"):
                yield Button(Text("Compare [Enter]"), id="whatif-run", variant="primary")
                yield Button(Text("Close [Esc]"), id="whatif-cancel")
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one("#whatif-message").display = False
        self.query_one("#whatif-kept").display = False
        self._fill_amount()
        self.query_one("#whatif-quarter", Select).focus()

    # ------------------------------------------------------------ reading the form

    @property
    def turn(self) -> int:
        value = self.query_one("#whatif-quarter", Select).value
        return value if isinstance(value, int) else 0

    @property
    def lever(self) -> str:
        value = self.query_one("#whatif-lever", Select).value
        return value if isinstance(value, str) else self.levers[0]

    def played_amount(self, turn: int, lever: str) -> float:
        return float(self.session.log[turn].allocations.get(lever, 0.0))

    def budget_at(self, turn: int) -> float:
        return float(budget(self.session.turns[turn].before, self.session.world)[0])

    def _fill_amount(self) -> None:
        turn, lever = self.turn, self.lever
        amount = self.kept.get((turn, lever), self.played_amount(turn, lever))
        field = self.query_one("#whatif-amount", Input)
        field.value = amount_text(amount)
        field.cursor_position = len(field.value)
        self._show_info()

    def _show_info(self) -> None:
        turn, lever, w = self.turn, self.lever, self.session.world
        spent = sum(self.session.log[turn].allocations.values())
        cap = float(w.arrays["lever_max"][w.lever_ids.index(lever)])
        self.query_one("#whatif-info", Static).update(Text(
            f"{w.quarter(turn)}: budget ¥{amount_text(self.budget_at(turn))}B, ¥{amount_text(spent)}B was "
            f"allocated; this lever got ¥{amount_text(self.played_amount(turn, lever))}B (at most "
            f"{money(cap)} a quarter). Ctrl+N keeps this change and adds another.",
            style="dim"))

    def show_message(self, message: str) -> None:
        note = self.query_one("#whatif-message", Static)
        note.update(Text(message))
        note.display = bool(message)
        self.query_one("#whatif-info").display = not message  # room at 80x24: one or the other

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.show_message("")
        self._fill_amount()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_message("")

    # ------------------------------------------------------------ running it

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_run()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "whatif-run":
            self.action_run()
        else:
            self.dismiss(None)

    def _current(self) -> Change | None:
        """The change in the form, or None (with a message) if the amount is not a number."""
        text = self.query_one("#whatif-amount", Input).value.strip()
        try:
            amount = float(text)
        except ValueError:
            amount = math.nan
        if not math.isfinite(amount) or amount < 0:
            self.app.bell()
            self.show_message(f"'{text}' is not an amount: type ¥ billions, 0 or more, e.g. 4 or 2.5")
            return None
        return Change(self.turn, self.lever, amount)

    def _show_kept(self) -> None:
        kept = self.query_one("#whatif-kept", Static)
        w, names = self.session.world, self.session.content.levers
        lines = [f"{w.quarter(t)} {names[lv].name if lv in names else lv}: "
                 f"¥{amount_text(self.played_amount(t, lv))}B → ¥{amount_text(a)}B"
                 for (t, lv), a in sorted(self.kept.items())]
        kept.update(Text("Changes kept (Ctrl+R clears): " + "; ".join(lines)) if lines else "")
        kept.display = bool(lines)

    def action_add(self) -> None:
        change = self._current()
        if change is None:
            return
        self.kept[(change.turn, change.lever)] = change.amount
        self.show_message("")
        self._show_kept()

    def action_reset(self) -> None:
        self.kept.clear()
        self._show_kept()
        self._fill_amount()

    def action_run(self) -> None:
        change = self._current()
        if change is None:
            return
        changes = dict(self.kept)
        changes[(change.turn, change.lever)] = change.amount
        self.show_message("Replaying…")
        self.run_what_if([Change(t, lv, a) for (t, lv), a in sorted(changes.items())])

    @work(exclusive=True, thread=True, group="what-if")
    def run_what_if(self, changes: list[Change]) -> None:
        s = self.session
        try:
            result = what_if(s.content, s.scenario, s.seed, s.log, changes)
        except WhatIfError as exc:
            # the same message as `homegrown replay --what-if`, with this form's way to add a change
            self.app.call_from_thread(self._failed, str(exc).replace(
                "with more --what-if changes", "(Ctrl+N keeps a change and adds another)"))
            return
        except Exception as exc:  # never a traceback
            self.app.call_from_thread(self._failed, f"the replay failed: {type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._show, result)

    def _failed(self, message: str) -> None:
        if not self.is_current:
            return  # closed while the replay ran
        self.app.bell()
        self.show_message(message)

    def _show(self, result: WhatIf) -> None:
        if self.is_current:  # not closed while the replay ran
            self.show_message("")
            self.app.push_screen(WhatIfResultScreen(result))

    def action_close(self) -> None:
        self.dismiss(None)


class WhatIfResultScreen(ClosesOnce, ModalScreen[None]):
    """The side-by-side comparison, scrollable; Esc goes back to the form to try another change."""

    BINDINGS = [
        Binding("escape,enter", "close", "Back", id="whatif-back"),
        Binding("pageup", "scroll(-1)", "Scroll", id="whatif-up", show=False),
        Binding("pagedown", "scroll(1)", "Scroll", id="whatif-down", show=False),
    ]

    def __init__(self, result: WhatIf) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        with Vertical(id="whatif-result", classes="dialog"):
            yield Static(Text("What if… (↑↓ PgUp PgDn scroll, Esc back)", style="bold"), id="whatif-head")
            with ScrollableContainer(id="whatif-body"):
                yield Static(Text(format_what_if(self.result), no_wrap=True), id="whatif-text")
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one("#whatif-body").focus()

    def action_scroll(self, direction: int) -> None:
        body = self.query_one("#whatif-body", ScrollableContainer)
        (body.scroll_page_down if direction > 0 else body.scroll_page_up)(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
