"""A seeded, CI-sized sample of every fuzz class of issue 15 (the full campaign: benchmarks/fuzz_campaign.py).

Each class must end with no silent corruption, no traceback, no hang and no data lost, and must also reach
both verdicts the project promises (clean errors for bad input, and input that runs fine), so a fuzzer
that stopped producing either kind of case fails too.
"""

from __future__ import annotations

import os

import pytest
from fuzzers import BUGS, FUZZERS, Outcome, key_spam, run_class

SAMPLE = {"content mutations": 40, "expressions": 200, "saves": 40, "names and paths": 40, "CLI arguments": 40}


def report(tally) -> str:
    return "; ".join(f"{o.value}: {e}" for o, examples in tally.examples.items() for e in examples[:3])


@pytest.mark.parametrize("name", list(FUZZERS))
def test_every_class_ends_clean(name):
    tally = run_class(name, SAMPLE[name], seed=int(os.environ.get("HOMEGROWN_FUZZ_SEED", "0")))
    assert tally.cases == SAMPLE[name]
    assert tally.bugs == 0, report(tally)
    assert tally.counts[Outcome.CLEAN] > 0 and tally.counts[Outcome.FINE] > 0, tally.counts


def test_key_spam_with_the_known_races_never_crashes():
    """2,400 keys in 8 rounds of 300, each opening with one of the sequences that crashed the app."""
    tally = key_spam(2400, seed=int(os.environ.get("HOMEGROWN_FUZZ_SEED", "0")), round_keys=300)
    assert tally.cases == 8 and all(tally.counts[o] == 0 for o in BUGS), report(tally)
