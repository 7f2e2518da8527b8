"""Goal short labels: what the goals bar, the forecast and the event previews call each goal."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.content.loader import load_content
from game.render.labels import GOAL_NAME_WIDTH, goal_short

CONTENT = load_content("content")
GOALS = [(s.id, g) for s in CONTENT.scenarios.values() for g in s.goals]


@pytest.mark.parametrize(("scenario", "goal"), GOALS, ids=[f"{s}:{g.id}" for s, g in GOALS])
def test_every_shipped_goal_has_a_capitalised_label_that_fits(scenario, goal):
    label = goal_short(goal.id, goal.metric)
    assert label[0].isupper() or label[0].isdigit(), label
    assert len(label) <= GOAL_NAME_WIDTH, label


def test_labels_say_what_the_metric_measures_not_what_the_id_hopes():
    # the default campaign's 'trusted-network' goal counts untrusted kit
    assert goal_short("trusted-network", "untrusted_japan") == "Untrusted kit"
    assert goal_short("clean-network", " untrusted_japan ") == "Untrusted kit"
    assert goal_short("washington", "stance.washington") == "Washington"
    assert goal_short("fiscal", "reserve") == "Reserve"
    # a sum of metrics: the label of that goal, else its id in words, capitalised
    assert goal_short("japanese-stake", "domestic_share + 0.1 * sixg_share") == "Japan's stake"
    assert goal_short("sea-share", "share.southeast-asia.nec + share.southeast-asia.fujitsu") == "SEA share"
    assert goal_short("my-goal", "approval + tension") == "My goal"


def test_labels_within_a_scenario_are_distinct():
    for s in CONTENT.scenarios.values():
        labels = [goal_short(g.id, g.metric) for g in s.goals]
        assert len(set(labels)) == len(labels), (s.id, labels)


def test_counts_are_written_in_words_never_with_a_bracketed_s():
    from game.render.words import plural
    assert [plural(n, "more quarter") for n in (0, 1, 2)] == ["0 more quarters", "1 more quarter", "2 more quarters"]
    # and no user-facing f-string still counts with "(s)"
    root = Path(__file__).resolve().parents[1] / "game"
    offenders = [f"{p.relative_to(root)}:{i}" for p in root.rglob("*.py")
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if "(s)" in line and ('f"' in line or "f'" in line)]
    assert not offenders, offenders
