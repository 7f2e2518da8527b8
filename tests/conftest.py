"""Shared fixtures: the default content pack and world, loaded once per test session.

Hypothesis settings suit a 2-core machine: no deadline (the first example pays numpy's warm-up) and
modest example counts; `HYPOTHESIS_PROFILE=thorough` runs many more examples.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from game.content.loader import Content, load_content
from game.sim.compile import build_world
from game.sim.world import World

REPO_ROOT = Path(__file__).resolve().parent.parent

# The parsed-content cache goes to a throwaway folder (inherited by subprocesses), never the user's.
os.environ["HOMEGROWN_CACHE"] = tempfile.mkdtemp(prefix="homegrown-cache-")
# Settings (the remembered theme) too: the user's own never change a test, nor a test them.
os.environ["HOMEGROWN_CONFIG"] = tempfile.mkdtemp(prefix="homegrown-config-")

# The default profile is derandomized: the suite gives the same verdict on every run and machine (a test
# that fails, fails for everyone). `HYPOTHESIS_PROFILE=thorough` explores at random, with many more examples.
settings.register_profile("homegrown", deadline=None, max_examples=25, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", deadline=None, max_examples=500,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "homegrown"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def content() -> Content:
    """The default content pack (loaded once; Content is frozen, do not mutate its dicts)."""
    return load_content()


@pytest.fixture(scope="session")
def world(content: Content) -> World:
    """The default scenario compiled."""
    return build_world(content, "default")


@pytest.fixture()
def cli_env() -> dict[str, str]:
    """Environment for `python -m game` subprocesses: the repo importable, no debug tracebacks."""
    env = {k: v for k, v in os.environ.items() if k not in ("HOMEGROWN_DEBUG", "PYTHONPATH")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["PYTHONHASHSEED"] = "random"
    return env
