"""Export financing shows its deal before the player commits (deciding quarter, odds, prize), and a decided
deal's lever takes no more money."""

from game.play.rules import TurnActions
from game.play.session import Session
from game.tui.plan import Plan
from game.tui.widgets.levers import row_lines, row_view


def test_a_deal_lever_shows_its_deal_and_closes_once_decided(content):
    session = Session(content, "default", 5)
    world = session.world
    plan = Plan.for_world(world, session.budget, session.state.turn, session.state)
    line = plan.deals["export-pacific"]
    deal = content.deals["pacific-openran"]
    assert f"decided {deal.decides}" in line and "win chance now" in line and f"over {deal.deploy}" in line
    assert "export-pacific" not in plan.closed and plan.change(content.levers["export-pacific"], 1) is None
    decides = world.arrays["deal_decides"][world.index("deal")["pacific-openran"]]
    while session.state.turn <= decides:
        session.end_turn(TurnActions({}, {e.id: e.choices[0].id for e in session.pending_events() if e.choices}))
    plan.advance(world, session.state.turn, session.state)
    assert "export-pacific" in plan.closed and plan.amounts["export-pacific"] == 0.0
    assert ("won in" in plan.deals["export-pacific"]) or ("lost in" in plan.deals["export-pacific"])
    refused = plan.change(content.levers["export-pacific"], 1)
    assert refused is not None and "takes no money" in refused
    assert plan.amounts["export-pacific"] == 0.0
    # its row, expanded, says the deal's outcome once (the status line), not again in the facts below it
    lever = content.levers["export-pacific"]
    lines = row_lines(lever, row_view(plan, lever, True), False, 40)
    painted = " ".join(" ".join(line.plain for line in lines).split())  # as words: the facts wrap, the status line is cut
    outcome = " ".join(plan.deals["export-pacific"].split()[:3])  # 'won in 2026Q4' or 'lost in 2026Q4'
    assert painted.count(outcome) == 1, painted


def test_the_confirm_dialog_says_where_unspent_money_goes():
    """Ending a quarter with money left: the default campaign keeps it in the reserve, the tutorial loses it."""
    import asyncio

    from tui_support import on_dashboard

    from game.tui.screens.dialogs import ConfirmScreen

    async def question(scenario: str) -> str:
        async with on_dashboard(scenario=scenario, size=(80, 24)) as pilot:
            app = pilot.app
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            return app.screen.question

    kept, lost = asyncio.run(question("default")), asyncio.run(question("tutorial"))
    assert "goes to the reserve" in kept and "lost" not in kept
    assert "will be lost" in lost
