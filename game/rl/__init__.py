"""Gymnasium environments over the core (the optional extra `homegrown[rl]`): `HomegrownEnv` (one game,
game.rl.env), `HomegrownVectorEnv` (many games through the batched core, game.rl.vector) and
`PolicyStrategy` (a learned policy as a `module:attr` strategy, game.rl.policy; numpy only).

`homegrown/Homegrown-v0` is registered when this package is imported (`import game.rl`, or
`gymnasium.make("game.rl:homegrown/Homegrown-v0")`, Gymnasium 1.x's way), and `register_envs` is also
declared under the `gymnasium.envs` entry point for tools that load plugins from it (Gymnasium 0.26-0.29
did). Importing this package without Gymnasium installed registers nothing and raises nothing.
"""

from __future__ import annotations

import contextlib

ENV_ID = "homegrown/Homegrown-v0"


def register_envs() -> None:
    """Register `homegrown/Homegrown-v0` (one game; `make_vec` gets the batched `HomegrownVectorEnv`)."""
    # lazy: gymnasium is an optional extra; game.rl.policy must work without it
    from gymnasium.envs.registration import register, registry

    if ENV_ID not in registry:
        register(id=ENV_ID, entry_point="game.rl.env:HomegrownEnv",
                 vector_entry_point="game.rl.vector:HomegrownVectorEnv")


with contextlib.suppress(ImportError):  # no gymnasium: the numpy parts (coding, policy) still work
    register_envs()
