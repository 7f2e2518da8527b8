"""A seeded, CI-sized sample of every fuzz class of issue 15 (the full campaign: benchmarks/fuzz_campaign.py).

Each class must end with no silent corruption, no traceback, no hang and no data lost, and must also reach
both verdicts the project promises (clean errors for bad input, and input that runs fine), so a fuzzer
that stopped producing either kind of case fails too.
"""

from __future__ import annotations

import os

import pytest
from fuzzers import BUGS, FUZZERS, RACES, Outcome, key_spam, run_class

SAMPLE = {"content mutations": 40, "expressions": 200, "saves": 40, "names and paths": 40, "CLI arguments": 40}


def report(tally) -> str:
    return "; ".join(f"{o.value}: {e}" for o, examples in tally.examples.items() for e in examples[:3])


@pytest.mark.parametrize("name", list(FUZZERS))
def test_every_class_ends_clean(name):
    tally = run_class(name, SAMPLE[name], seed=int(os.environ.get("HOMEGROWN_FUZZ_SEED", "0")))
    assert tally.cases == SAMPLE[name]
    assert tally.bugs == 0, report(tally)
    assert tally.counts[Outcome.CLEAN] > 0 and tally.counts[Outcome.FINE] > 0, tally.counts


ROUND_KEYS = 120
"""Keys per round: the longest known race (80 keys) and at least 40 random keys after it. A round's cost is
mostly its fresh app (about 1.5 s), so longer rounds add little; the campaign sends 8,000 keys."""


def test_key_spam_with_the_known_races_never_crashes():
    """960 keys in 8 rounds of 120, each a fresh app opening with one of the sequences that crashed it."""
    assert max(len(race) for race in RACES) <= ROUND_KEYS - 40
    tally = key_spam(8 * ROUND_KEYS, seed=int(os.environ.get("HOMEGROWN_FUZZ_SEED", "0")), round_keys=ROUND_KEYS)
    assert tally.cases == len(RACES) == 8 and all(tally.counts[o] == 0 for o in BUGS), report(tally)
