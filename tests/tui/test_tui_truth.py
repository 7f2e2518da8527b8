"""The playtest's logic items of issue 13: what the screen says is what the game does.

- the turn report (and the end screen) show every name the scenario's goals read, with its why;
- the lever detail pane's pledge reads the core's pledge rule against the whole plan, after a budget cut too;
- a second event's exact consequences start from the answers already given this quarter;
- an export deal's status words: lost, won and deploying, decided in N quarters.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from itertools import pairwise

from tui_support import answer_events, end_turn, make_app, on_dashboard, settle, tui_content

from game.play.consequences import consequences
from game.play.levers_info import deal_info, lever_info
from game.play.rules import TurnActions
from game.play.session import Session
from game.render.words import plural
from game.tui.plan import Plan
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import EventDialog
from game.tui.screens.end import end_text
from game.tui.screens.report import TurnReportScreen
from game.tui.widgets.lever_detail import LeverDetail
from game.tui.widgets.levers import LeverPanel

QUAD = "alliance-quad"  # pledge ¥2B, term 4; breaking it costs Washington's stance 4 (content/alliances.toml)


async def _fund(pilot, lever_id: str, steps: int) -> None:
    """Move the cursor to `lever_id` and press → (or ←) `steps` times, as a player would."""
    panel = pilot.app.screen.query_one(LeverPanel)
    panel.select_lever(next(i for i, lv in enumerate(panel.plan.levers) if lv.id == lever_id))
    await pilot.pause()
    await pilot.press(*(["right"] * steps if steps > 0 else ["left"] * -steps))
    await pilot.pause()


@asynccontextmanager
async def committed_to_the_quad(size: tuple[int, int]) -> AsyncIterator:
    """Default seed 3 with the Quad funded at its ¥2B pledge in 2026Q1: in 2026Q2 Japan is committed to it.
    Yields the Pilot on 2026Q2's dashboard, its events answered."""
    async with on_dashboard("default", size, seed=3, samples=8) as pilot:
        await _fund(pilot, QUAD, 2)
        await end_turn(pilot)
        await settle(pilot)
        await answer_events(pilot)
        yield pilot


def _block(report: str, heading: str) -> list[str]:
    """A metric's line in the report's "what changed and why" and its cause lines below it."""
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    out = [lines[start]]
    for line in lines[start + 1:]:
        if not line.startswith("    "):
            break
        out.append(line)
    return out


def test_the_report_shows_the_goals_own_metrics_with_their_why_and_a_broken_pledge_in_it():
    """Default campaign: committing to the Quad, then funding it below its pledge, breaks it. The report
    shows Washington's stance (a goal, not a key metric) falling by the pledge's 4 points, caused by the
    Quad, and the other goals' names; the end screen charts them too."""

    async def run() -> None:
        async with committed_to_the_quad((100, 40)) as pilot:
            app = pilot.app
            dash = app.screen
            assert isinstance(dash, DashboardScreen) and dash.session.state.pledged.any()
            await _fund(pilot, QUAD, -2)  # below the pledge while committed: it breaks
            await end_turn(pilot, stop_at_report=True)
            report = app.screen
            assert isinstance(report, TurnReportScreen)
            text = report.query_one("#report-text").plain
            washington = _block(text, "Washington stance")
            assert "▼" in washington[0] and "(worse)" in washington[0]
            assert any(re.search(r"−4\.0\s+Quad 5G diversification$", line) for line in washington[1:]), washington
            for name in ("Beijing stance", "6G research share", "Major incidents", "Reserve (¥B)"):
                assert _block(text, name), name
            session = dash.session
            after = session.turns[-1].after
            end = end_text(session, 100).plain
            assert "Washington stance" in end and "6G research share" in end
            w = session.world
            k = w.stakeholder_ids.index("washington")
            assert f"{float(after.stance[0, k]):.1f}" in _block(end, "Washington stance")[0]

    asyncio.run(run())


def test_the_pledge_in_the_lever_pane_is_the_cores_after_a_budget_cut():
    """A committed Quad pledge trimmed below its ¥2B by a budget cut: the pane says the plan breaks it (not
    'N more quarters owed'), and the quarter played with that plan ends the commitment as the pane said.
    Kept at the pledge, the pane's quarters owed after the quarter are the core's too."""
    content = tui_content()
    session = Session(content, "default", 3)
    first = lever_info(session.world, session.state, QUAD, 2.0)
    assert first.pledge is not None and first.pledge.owed_after == 3 and not first.pledge.breaks
    assert "This quarter's ¥2B meets it: committed for 4 quarters" in first.pledge.text
    session.end_turn(TurnActions({QUAD: 2.0}, {}))
    world, state = session.world, session.state
    owed = int(state.pledged[0, world.alliance_ids.index("quad")])
    assert owed == 3

    kept = lever_info(world, state, QUAD, 2.0, {QUAD: 2.0, "rnd-b5g": 4.0})
    assert kept.pledge is not None and not kept.pledge.breaks and kept.pledge.owed_after == owed - 1
    assert f"{plural(owed - 1, 'more quarter')} owed after it" in kept.pledge.text

    plan = Plan.for_world(world, session.budget, state.turn, state)
    plan.amounts.update({QUAD: 2.0, "rnd-b5g": 4.0})
    note = plan.rebudget(1.5)  # a cut below the pledge: the pledge is trimmed last, but trimmed
    assert note is not None and "a pledge still owed" in note and plan.amounts[QUAD] == 1.5
    cut = lever_info(world, state, QUAD, plan.amounts[QUAD], plan.allocations())
    assert cut.pledge is not None and cut.pledge.breaks and cut.pledge.owed_after == 0
    assert "below the ¥2B pledge and breaks it" in cut.pledge.text and "owed after it" not in cut.pledge.text

    played = Session.replay(content, "default", 3, session.log)
    played.end_turn(TurnActions(plan.allocations(), {}))
    assert int(played.state.pledged[0, world.alliance_ids.index("quad")]) == cut.pledge.owed_after
    stance = world.stakeholder_ids.index("washington")
    assert played.state.stance[0, stance] < state.stance[0, stance] - 3  # the break's −4, as the pane warned

    other = Session.replay(content, "default", 3, session.log)
    other.end_turn(TurnActions({QUAD: 2.0, "rnd-b5g": 4.0}, {}))
    assert int(other.state.pledged[0, world.alliance_ids.index("quad")]) == kept.pledge.owed_after


def test_the_pane_on_screen_follows_a_cut_pledge():
    """On the dashboard: the plan's pledge cut below ¥2B (as a cut trims it) and the pane says it breaks."""

    async def run() -> None:
        async with committed_to_the_quad((160, 48)) as pilot:
            app = pilot.app
            dash = app.screen
            assert isinstance(dash, DashboardScreen)
            detail = dash.query_one(LeverDetail)
            await _fund(pilot, QUAD, 0)
            text = " ".join(detail.plain.split())
            assert "Committed for 3 more quarters, this one included" in text and "keeps it" in text
            dash._note = dash.plan.rebudget(1.0)  # the budget cut's own path (Plan.rebudget), as a turn end runs it
            dash.refresh_all(forecast=False)
            await pilot.pause()
            text = " ".join(detail.plain.split())
            assert "this quarter's ¥1B is below the ¥2B pledge and breaks it" in text, text
            assert "keeps it" not in text

    asyncio.run(run())


def test_a_second_events_consequences_start_after_the_first_answer():
    """Default, seed 43: the telecom business act and economic-security screening in one quarter. Answered
    'strict', the act raises tension from 45 to 47; the screening's preview then reads from 47."""

    async def run() -> None:
        app = make_app(scenario="default", seed=43, samples=8)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            first = app.screen
            assert isinstance(first, EventDialog) and first.event.id == "telecom-business-act"
            assert first.consequences is not None
            strict = next(c for c in first.consequences.choices[0] if c.what == "tension")
            await pilot.press("1")  # strict
            await pilot.pause()
            second = app.screen
            assert isinstance(second, EventDialog) and second.event.id == "economic-security-screening"
            await pilot.press("up")  # to "screen radios", the first answer
            await pilot.pause()
            shown = str(second.query_one("#event-detail").render())
            assert f"tension +4 ({strict.after:g} → {strict.after + 4:g})" in shown, shown
            assert strict.before == 45 and "(45 → 49)" not in shown

    asyncio.run(run())


def test_consequences_follow_the_steps_order_and_ignore_unfired_answers():
    """The chained preview is the step's: the second answer's tension after both equals what the quarter's
    own events leave (before drift), and an answer to an event that did not fire changes nothing."""
    content = tui_content()
    session = Session(content, "default", 43)
    world = session.world
    alone = consequences(session.state, world, "economic-security-screening")
    chained = consequences(session.state, world, "economic-security-screening", {"telecom-business-act": "strict"})
    assert alone != chained
    unfired = next(e for e in world.event_ids if not session.state.pending[0, world.event_ids.index(e)]
                   and content.events[e].choices)
    assert consequences(session.state, world, "economic-security-screening",
                        {unfired: content.events[unfired].choices[0].id}) == alone
    first = consequences(session.state, world, "telecom-business-act", {"economic-security-screening": "screen-radios"})
    tension = next(c for c in chained.choices[0] if c.what == "tension")
    back = next(c for c in first.choices[0] if c.what == "tension")
    assert tension.after == back.after == 51.0  # either order of answering: the same quarter


def test_deal_status_words():
    """Decided in N quarters while open; won and deploying; lost with no deployment of ours."""
    content = tui_content()
    for seed, won in ((0, False), (1, True)):
        session = Session(content, "default", seed)
        world = session.world
        info = deal_info(world, session.state, "pacific-openran")
        assert info.state == "open" and "decided 2026Q4 (in 3 quarters)" in info.line
        while session.state.turn <= world.arrays["deal_decides"][world.index("deal")["pacific-openran"]]:
            if session.state.turn == 3:
                assert "decided 2026Q4 (this quarter)" in deal_info(world, session.state, "pacific-openran").line
            session.end_turn(TurnActions({}, {}))
        line = deal_info(world, session.state, "pacific-openran").line
        if won:
            assert line == "won in 2026Q4, deploying 3 more quarters"
        else:
            assert line == "lost in 2026Q4"


def test_a_lost_deals_lever_never_reads_deploying():
    """Seed 0 loses the Pacific Open RAN deal in 2026Q4: its row and its pane say lost, not deploying."""

    async def run() -> None:
        app = make_app(scenario="default", seed=0, samples=4)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            for _ in range(4):
                await end_turn(pilot)
            await settle(pilot)
            await answer_events(pilot)
            dash = app.screen
            assert isinstance(dash, DashboardScreen)
            assert int(dash.session.state.deal_status[0, dash.session.world.index("deal")["pacific-openran"]]) == -1
            await _fund(pilot, "export-pacific", 0)
            panel = dash.query_one(LeverPanel)
            row = [line.text.plain for line in panel.lines if line.lever is not None
                   and panel.plan.levers[line.lever].id == "export-pacific"]
            shown = " ".join(row) + " " + " ".join(dash.query_one(LeverDetail).plain.split())
            assert "lost in 2026Q4" in shown and "deploying" not in shown, shown

    asyncio.run(run())


def test_a_second_budget_cut_reads_with_the_quarters_running_total():
    """Seed 16: ordering the backdoored radios out cuts next quarter's budget by ¥4B; the AI-RAN answer's
    further ¥3B then reads with the total it brings (from −¥4B to −¥7B), not as if it were the only one."""
    from game.tui.screens.dialogs import change_text

    content = tui_content()
    session = Session(content, "default", 16)
    world = session.world
    alone = consequences(session.state, world, "ai-ran-race").choices[0]
    chained = consequences(session.state, world, "ai-ran-race", {"legacy-backdoor": "emergency-removal"}).choices[0]
    first = next(change_text(c) for c in alone if c.unit == "money")
    second = next(change_text(c) for c in chained if c.unit == "money")
    assert first == "next quarter's budget −¥3B"
    assert second == "next quarter's budget −¥3B (−¥4B → −¥7B)"


def test_a_scenario_whose_goals_read_only_key_metrics_reports_just_those():
    """The tutorial's goals are all key metrics: the report has nothing to add, and still opens."""

    async def run() -> None:
        app = make_app(scenario="tutorial", samples=4)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await end_turn(pilot, stop_at_report=True)
            text = app.screen.query_one("#report-text").plain
            assert "Approval" in text and "stance" not in text

    asyncio.run(run())


def test_the_sampled_outlook_plays_the_quarters_other_answers_too():
    """event_outlook had no such gap: the answers given to the quarter's other events are played in every
    sampled future (what the dialog's Look passes), so the second event's outlook moves with the first answer."""
    from game.play.forecast import event_outlook

    content = tui_content()
    session = Session(content, "default", 43)
    world = session.world
    beijing = [g.id for g in world.goals].index("beijing")

    def end(answer: str) -> float:
        outlook = event_outlook(session.state, world, "economic-security-screening", {},
                                {"telecom-business-act": answer}, n=8)
        assert outlook is not None
        return outlook.choices[0].end[beijing].median

    assert end("strict") < end("light")  # the strict act costs Beijing's stance 6 at once (its preview)


def test_a_long_cause_in_the_report_wraps_under_itself_at_80x24():
    """Default seed 7: the 2026Q1 act's title with its (fiction) tag is longer than the report's column at
    80×24; its second line starts under the cause, never at the dialog's left edge."""

    async def run() -> None:
        app = make_app(scenario="default", seed=7, samples=8)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await answer_events(pilot)
            await end_turn(pilot, stop_at_report=True)
            report = app.screen
            assert isinstance(report, TurnReportScreen)
            panel = report.query_one("#report-text")
            lines = [panel.render_line(y).text.rstrip() for y in range(panel.size.height)]
            cause = re.compile(r"^\s+[+−]\S+\s{2}\S")
            follows = [line for before, line in pairwise(lines) if cause.match(before)]
            assert any(line.startswith(" " * 15) and line.strip() for line in follows), lines  # a wrapped cause
            # after a cause comes another cause, its own second line, the next metric's row or a blank line
            stray = [line for line in follows if line and not line.startswith(" ") and "→" not in line]
            assert not stray, stray

    asyncio.run(run())
