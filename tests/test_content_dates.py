"""Every text true to its date (content/README.md, "Real events and their dates").

Over the shipped pack and every scenario: an invented event says so, a real one has a date and a source
and can fire only from its date to NEWS_LAG quarters after it, never in a scenario that starts later; a
lever is offered, and an alliance has standing, only from the quarter it came into being; mirrors are
marked. The compiled worlds and played games are checked, not the content's text; the loader's rule is
checked by the overlays it must refuse (file and key named).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

from game.content.loader import NEWS_LAG, load_content
from game.content.pack import Content, ContentError
from game.content.schema import quarter_index
from game.play.rules import ActionError, check_allocations
from game.render.labels import FICTION_TAG, cause_label, event_title
from game.sim import causes
from game.sim.compile import build_world
from game.sim.step import Actions, initial_state, step
from game.sim.world import World
from game.strategies.base import fill_budget

SCENARIOS = sorted(load_content().scenarios)

MIRROR_HOSTS = (
    "cnnworldtoday.com", "pledgetimes.com", "pdfslide.us", "cloudfront.net", "fastly.net", "gulfsouthtowers.com",
    "tellerreport.com", "visualpcs.com", "ubmfuturecities.com", "curacaochronicle.com", "newsobservatory.com",
    "newsonjapan.com", "germanmediatoday.com",
)
"""Hosts that only copy other publishers' reports (reprints, scrapers, raw content-delivery addresses)."""


def span(world: World) -> range:
    """The scenario's quarters as quarter indexes."""
    return range(world.start_index, world.start_index + world.turns)


def fundable_quarters(world: World, e: int) -> list[int]:
    """The quarters (as indexes) in which the compiled world may draw event `e`."""
    arr = world.arrays
    if not arr["event_allowed"][e] or arr["event_probability"][e] <= 0:
        return []
    return [world.start_index + t for t in range(world.turns)
            if arr["event_start"][e] <= t <= arr["event_end"][e]]


def play(world: World, seeds: int, answer_all: bool = True):
    """Games that fund every lever the strategy helper allows and answer each event with each choice in
    turn, so that every lever and every choice's effects (alliance standing included) are tried."""
    state = initial_state(world, list(range(seeds)))
    ones = np.ones((seeds, len(world.lever_ids)))
    n = np.maximum(world.arrays["event_choices"], 1)
    while not state.done.all():
        # everything the player could ask for, not only what the strategy helper would: the core must refuse
        greedy = np.broadcast_to(world.arrays["lever_max"], ones.shape).copy()
        alloc = greedy if state.turn % 2 else fill_budget(ones, state, world)
        choices = (state.turn + np.arange(len(world.event_ids))) % n if answer_all else -np.ones_like(n)
        before = state
        state, report = step(state, Actions(alloc, np.broadcast_to(choices, (seeds, n.size)).copy()), world)
        yield before, state, report


# ---------------------------------------------------------------- events


def test_every_event_is_either_invented_or_dated_and_sourced(content: Content):
    for e in content.events.values():
        assert e.fiction != (e.date is not None), (
            f"event '{e.id}': mark it `fiction = true`, or give the real episode's `date` (not both)")
        if e.date is not None:
            assert e.source, f"event '{e.id}' is real (date {e.date}) but cites no source"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_real_event_can_fire_only_from_its_date_to_a_year_after_never_as_old_news(content: Content,
                                                                                       scenario: str):
    world = build_world(content, scenario)
    for e, event_id in enumerate(world.event_ids):
        event = content.events[event_id]
        if event.date is None:
            continue
        date = quarter_index(event.date)
        quarters = fundable_quarters(world, e)
        for q in quarters:
            assert date <= q <= date + NEWS_LAG, f"{scenario}: '{event_id}' (date {event.date}) could fire in {q}"
        if quarters or world.arrays["event_allowed"][e]:
            assert world.start_index <= date, (
                f"{scenario} starts {world.scenario.start}, after '{event_id}' happened ({event.date}): "
                "it would arrive as old news")


@pytest.mark.parametrize("scenario", ["exercise-procurement-2018", "history-2019", "default"])
def test_played_games_show_real_events_only_inside_their_window(content: Content, scenario: str):
    world = build_world(content, scenario)
    dates = {e: quarter_index(world.event(e).date) for e in range(len(world.event_ids)) if world.event(e).date}
    fired_real = 0
    for _before, _after, report in play(world, seeds=16):
        q = quarter_index(report.quarter)
        for e in np.flatnonzero(report.events.any(axis=0)):
            if int(e) in dates:
                fired_real += 1
                assert dates[int(e)] <= q <= dates[int(e)] + NEWS_LAG, (world.event_ids[e], report.quarter)
    if scenario != "default":  # the historical scenarios are built on real events: the check saw some
        assert fired_real > 0


def test_the_2026_campaigns_have_no_real_past_event_as_news(content: Content):
    for scenario in SCENARIOS:
        world = build_world(content, scenario)
        if world.start_index < quarter_index("2026Q1"):
            continue
        for e, event_id in enumerate(world.event_ids):
            if world.arrays["event_allowed"][e] and content.events[event_id].date is not None:
                assert quarter_index(content.events[event_id].date) >= world.start_index, (scenario, event_id)


def test_invented_events_say_so_wherever_their_title_is_shown(content: Content, world: World):
    invented = next(e for e in content.events.values() if e.fiction)
    real = next(e for e in content.events.values() if e.date)
    assert event_title(invented) == f"{invented.title} {FICTION_TAG}"
    assert event_title(real) == real.title
    assert cause_label(causes.event(invented.id), world).endswith(FICTION_TAG)


# ---------------------------------------------------------------- levers and alliances


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_lever_is_offered_only_from_the_quarter_it_came_into_being(content: Content, scenario: str):
    world = build_world(content, scenario)
    for turn in range(world.turns):
        quarter = world.start_index + turn
        for i in np.flatnonzero(world.available(turn)):
            since = world.lever(int(i)).since
            assert since is None or quarter_index(since) <= quarter, (scenario, world.lever_ids[i], turn)


@pytest.mark.parametrize("scenario", ["exercise-procurement-2018", "history-2019"])
def test_the_core_spends_nothing_on_a_lever_before_its_since(content: Content, scenario: str):
    world = build_world(content, scenario)
    waiting = [i for i, lid in enumerate(world.lever_ids)
               if world.offered[i] and content.levers[lid].since
               and quarter_index(content.levers[lid].since) > world.start_index]
    if scenario == "history-2019":
        assert waiting, "history-2019 offers the Quad, Japan-UK, Japan-US, EU and Beyond 5G levers mid-game"
    spent_after = np.zeros(len(world.lever_ids))
    for before, _after, report in play(world, seeds=4):
        quarter = world.start_index + before.turn
        for i in waiting:
            if quarter < quarter_index(world.lever(i).since or "0000Q1"):
                assert np.all(report.spent[:, i] == 0), (world.lever_ids[i], report.quarter)
            else:
                spent_after[i] += report.spent[:, i].sum()
    for i in waiting:  # and once it exists, it can be funded
        assert spent_after[i] > 0, world.lever_ids[i]


def test_the_rules_refuse_money_for_a_lever_before_its_since(content: Content):
    world = build_world(content, "history-2019")
    with pytest.raises(ActionError, match=r"not offered in 2019Q1 \(offered from 2022Q2"):
        check_allocations(world, {"alliance-quad": 1.0}, 10.0, turn=0)
    turn = quarter_index("2022Q2") - world.start_index
    assert check_allocations(world, {"alliance-quad": 1.0}, 10.0, turn=turn).sum() == 1.0


def test_the_2018_exercise_offers_no_lever_and_no_alliance_of_later_years(content: Content):
    world = build_world(content, "exercise-procurement-2018")
    last = world.start_index + world.turns - 1
    for i in np.flatnonzero(world.offered):
        since = world.lever(int(i)).since
        assert since is None or quarter_index(since) <= last, world.lever_ids[i]
    for a, alliance_id in enumerate(world.alliance_ids):
        since = content.alliances[alliance_id].since
        assert since is not None and quarter_index(since) > world.start_index, alliance_id
        assert world.arrays["standing0"][a] == 0.0, f"{alliance_id} is active in December 2018"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_an_alliance_has_no_standing_before_it_came_into_being(content: Content, scenario: str):
    world = build_world(content, scenario)
    founded_later = [a for a, aid in enumerate(world.alliance_ids)
                     if content.alliances[aid].since and quarter_index(content.alliances[aid].since) > world.start_index]
    if scenario in ("exercise-procurement-2018", "history-2019"):
        assert founded_later
    gained = np.zeros(len(world.alliance_ids))
    for before, after, _report in play(world, seeds=4):
        for a in founded_later:
            since = quarter_index(content.alliances[world.alliance_ids[a]].since or "0000Q1")
            if world.start_index + before.turn < since:
                assert np.all(before.standing[:, a] == 0) and np.all(after.standing[:, a] == 0), (
                    scenario, world.alliance_ids[a], world.quarter(before.turn))
            else:
                gained[a] += after.standing[:, a].sum()
    if scenario == "history-2019":  # the Quad, Japan-UK and Japan-US levers build standing once they exist
        for aid in ("quad", "uk-japan", "us-japan", "eu-japan"):
            assert gained[world.alliance_ids.index(aid)] > 0, aid


def test_alliances_founded_before_the_start_keep_their_standing(content: Content):
    world = build_world(content, "default")
    assert np.array_equal(world.arrays["standing0"], [a.standing for a in content.alliances.values()])


# ---------------------------------------------------------------- sources


def test_mirrors_are_marked_as_such(content: Content):
    for source in content.sources.values():
        host = urlparse(source.url.split(" ;")[0]).hostname or ""
        if any(host == h or host.endswith("." + h) for h in MIRROR_HOSTS):
            assert source.mirror, f"source '{source.id}' ({host}) is a mirror: add `mirror = true` and `original`"
        if source.mirror:
            assert source.original, f"source '{source.id}' is a mirror: say who published the original"


def test_nothing_cites_a_mirror_when_the_pack_has_the_original(content: Content):
    """A mirror whose `original` names another source of the pack is kept only for old citations."""
    replaced = {s.id: o for s in content.sources.values() if s.mirror and s.original
                for o in content.sources if o != s.id and o in s.original}
    cited = [(f"event {e.id}", e.source) for e in content.events.values()]
    cited += [(f"lever {lv.id}", lv.source) for lv in content.levers.values()]
    cited += [(f"alliance {a.id}", a.source) for a in content.alliances.values()]
    cited += [(f"scenario {s.id}", s.shares_source) for s in content.scenarios.values()]
    for where, value in cited:
        for sid in (x.strip() for x in (value or "").split(",")):
            assert sid not in replaced, f"{where} cites the mirror '{sid}': cite '{replaced[sid]}'"


# ---------------------------------------------------------------- what the loader refuses


def problems_of(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(tmp_path)
    return [str(p) for p in info.value.problems]


LEVER = """[[lever]]
id = "alliance-test"
name = "Test"
category = "alliance"
short = "s"
description = "d"
max = 2
saturation = 1
effects = [ { kind = "add", target = "standing.quad", amount = 1 } ]
since = "%s"
"""


def test_a_malformed_since_names_file_key_and_the_expected_form(tmp_path: Path):
    problems = problems_of(tmp_path, {"levers.toml": LEVER % "2022-05"})
    assert any("levers.toml: lever[0].since:" in p and "'2022-05' is not a quarter" in p and "2026Q1" in p
               for p in problems), problems


def test_a_malformed_alliance_since_and_event_date_are_named(tmp_path: Path):
    alliance = """[[alliance]]
id = "test-alliance"
name = "T"
partners = "p"
description = "d"
gives = "g"
costs = "c"
since = "2022q2"
"""
    event = """[[event]]
id = "test-event"
title = "T"
category = "politics"
text = "t"
date = "May 2022"
source = "mic-quad-2022"
trigger = { start = "2022Q2", end = "2022Q2" }
"""
    problems = problems_of(tmp_path, {"alliances.toml": alliance, "events/test.toml": event})
    assert any("alliances.toml: alliance[0].since:" in p and "not a quarter" in p for p in problems), problems
    assert any("test.toml: event[0].date:" in p and "not a quarter" in p for p in problems), problems


def dated_event(date: str, start: str, end: str, source: str = 'source = "mic-quad-2022"',
                extra: str = 'scenarios = ["history-2019"]') -> str:
    return f"""[[event]]
id = "test-event"
title = "T"
category = "politics"
text = "t"
date = "{date}"
{source}
{extra}
trigger = {{ start = "{start}", end = "{end}" }}
"""


@pytest.mark.parametrize(("event", "key", "words"), [
    (dated_event("2022Q2", "2022Q2", "2022Q2", source=""), "event[id=test-event].source", "must cite a source"),
    (dated_event("2022Q2", "2022Q1", "2022Q2"), "event[id=test-event].trigger.start", "may not fire before its date"),
    (dated_event("2022Q2", "2022Q2", "2023Q3"), "event[id=test-event].trigger.end", "at most 4 quarters"),
    (dated_event("2022Q2", "2022Q2", "2022Q2", extra="fiction = true\nscenarios = [\"history-2019\"]"),
     "event[id=test-event].fiction", "no real date"),
    (dated_event("2022Q2", "2022Q2", "2022Q2", extra=""), "event[id=test-event].date", "scenario 'default'"),
])
def test_the_loader_refuses_a_real_event_out_of_its_date(tmp_path: Path, event: str, key: str, words: str):
    problems = problems_of(tmp_path, {"events/test.toml": event})
    assert any(f"test.toml: {key}:" in p and words in p for p in problems), problems


def test_the_loader_refuses_a_scenario_listing_a_lever_that_does_not_exist_yet(tmp_path: Path):
    source = (Path(__file__).resolve().parents[1] / "content" / "scenarios" / "exercise-procurement-2018.toml")
    text = source.read_text(encoding="utf-8").replace('"workforce-reskilling",\n]', '"workforce-reskilling", "alliance-us",\n]')
    assert "alliance-us" in text
    problems = problems_of(tmp_path, {"scenarios/exercise-procurement-2018.toml": text})
    assert any("levers[7]:" in p and "'alliance-us' exists only from 2023Q1" in p for p in problems), problems


def test_nothing_gives_an_alliance_standing_before_it_exists(tmp_path: Path):
    """An event that hands out standing in 2019 to the 2023 Japan-US initiative gives nothing until 2023Q1;
    the ledger says why. (The shipped pack has no such event: an overlay shows the rule holds anyway.)"""
    overlay = tmp_path / "events" / "gift.toml"
    overlay.parent.mkdir(parents=True)
    overlay.write_text("""[[event]]
id = "standing-gift"
title = "A gift of standing"
category = "politics"
text = "t"
fiction = true
scenarios = ["history-2019"]
trigger = { start = "2019Q2", end = "2023Q2", once = false, cooldown = 0 }
effects = [ { kind = "add", target = "standing.us-japan", amount = 20 } ]
""", encoding="utf-8")
    content = load_content(tmp_path)
    world = build_world(content, "history-2019")
    a = world.alliance_ids.index("us-japan")
    state = initial_state(world, [0, 1])
    held = False
    while not state.done.all():
        before = state
        state, report = step(state, Actions.nothing(world, 2), world, record=True)
        if world.quarter(before.turn) < "2023Q1":
            assert np.all(state.standing[:, a] == 0), world.quarter(before.turn)
            held |= bool(np.any(report.ledger.get(causes.NOT_FOUNDED, {}).get("standing", 0) != 0))
        else:
            assert np.all(state.standing[:, a] > 0), world.quarter(before.turn)
    assert held, "the ledger books the standing it takes away"


def test_no_scenario_from_2026_offers_money_for_nec_radios(content: Content):
    """NEC stopped developing 4G/5G base stations in Dec 2025: every scenario starting later leaves its
    deployment subsidy out, whether it names its levers or offers them all (the 6G race, Southeast Asia)."""
    later = [s for s in content.scenarios.values() if quarter_index(s.start) > quarter_index("2025Q4")]
    assert {s.id for s in later} >= {"default", "6g-race", "southeast-asia"}
    for scenario in later:
        world = build_world(content, scenario.id)
        assert not world.offered[world.index("lever")["subsidy-nec"]], scenario.id
    earlier = build_world(content, "history-2019")
    assert earlier.available(0)[earlier.index("lever")["subsidy-nec"]]


def test_a_lever_ends_after_its_until_quarter_mid_game(tmp_path: Path):
    """A teacher's scenario from 2025Q3 offers the NEC subsidy for two quarters, then takes no money for it;
    the rules refuse money after the end with the reason, and the plan says so."""
    source = Path(__file__).resolve().parents[1] / "content" / "scenarios" / "tutorial.toml"
    text = (source.read_text(encoding="utf-8").replace('id = "tutorial"', 'id = "late-2025"')
            .replace('start = "2026Q1"', 'start = "2025Q3"').replace('levers = ["subsidy-fujitsu"', 'levers = ["subsidy-nec"'))
    assert 'start = "2025Q3"' in text and '"subsidy-nec"' in text
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "late.toml").write_text(text, encoding="utf-8")
    world = build_world(load_content(tmp_path), "late-2025")
    nec = world.index("lever")["subsidy-nec"]
    assert [bool(world.available(t)[nec]) for t in range(4)] == [True, True, False, False]
    assert world.unavailable(nec, 2) == "offered until 2025Q4: it has ended"
    assert check_allocations(world, {"subsidy-nec": 1.0}, 10.0, turn=1).sum() == 1.0
    with pytest.raises(ActionError, match=r"not offered in 2026Q1 \(offered until 2025Q4: it has ended\)"):
        check_allocations(world, {"subsidy-nec": 1.0}, 10.0, turn=2)


@pytest.mark.parametrize(("files", "key", "words"), [
    ({"scenarios/default.toml": None}, "levers[", "'subsidy-nec' ended in 2025Q4 (its `until`), before this scenario starts"),
    ({"levers.toml": 'until = "2019Q1"'}, "lever[id=rnd-b5g].until", "ends (2019Q1) before it begins"),
])
def test_the_loader_refuses_a_lever_used_outside_its_dates(tmp_path: Path, files: dict, key: str, words: str):
    root = Path(__file__).resolve().parents[1] / "content"
    if "levers.toml" in files:
        text = (root / "levers.toml").read_text(encoding="utf-8")
        text = text.replace('since = "2020Q4"', 'since = "2020Q4"\nuntil = "2019Q1"', 1)
        assert 'until = "2019Q1"' in text
        out = {"levers.toml": text}
    else:
        text = (root / "scenarios" / "default.toml").read_text(encoding="utf-8")
        text = text.replace("levers = [", 'levers = ["subsidy-nec", ', 1)
        out = {"scenarios/default.toml": text}
    problems = problems_of(tmp_path, out)
    assert any(key in p and words in p for p in problems), problems
