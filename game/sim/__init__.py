"""The pure simulation core: numpy state with a leading game axis, no I/O, no globals, no UI."""

MODEL_VERSION = 2
"""The version of the simulated numbers: raised by every deliberate change that alters a state hash, so
that a saved game's hashes are compared only with a replay under the model that recorded them.
1: the first release. 2: the additive effects of events and answers are summed per game through a table
and added once per quarter (the same effects: only the order of summation, and so the last bits, differ)."""
