"""Security incidents: a Poisson draw per quarter whose rate grows with untrusted kit in Japan's network,
the threat level and geopolitical tension, and falls with a healthy engineer pool."""

from __future__ import annotations

import numpy as np

from game.sim import causes
from game.sim.ledger import Ledger
from game.sim.levers import workforce_factor
from game.sim.metrics import untrusted_japan
from game.sim.rng import Purpose, uniform
from game.sim.world import World

MAX_INCIDENTS = 5


def incident_rate(a: dict[str, np.ndarray], world: World) -> np.ndarray:
    """[B] expected incidents this quarter."""
    s = world.model.security
    wf = workforce_factor(a["engineers"], world)
    return (s.base_rate * np.maximum(a["threat"], 0.0) / 50.0
            * (1 + s.untrusted_weight * untrusted_japan(a, world))
            * (1 + s.tension_weight * np.maximum(a["tension"], 0.0))
            * (1.5 - 0.5 * wf))


def poisson(u: np.ndarray, rate: np.ndarray, cap: int) -> np.ndarray:
    """Inverse-CDF Poisson draw from uniforms `u` (exact up to `cap`)."""
    term = np.exp(-rate)
    cdf = term.copy()
    k = np.zeros(u.shape, dtype=np.int64)
    for n in range(1, cap + 1):
        k += u >= cdf
        term = term * rate / n
        cdf = cdf + term
    return k


def draw_incidents(ledger: Ledger, world: World, turn: int) -> None:
    a, s = ledger.arrays, world.model.security
    rate = incident_rate(a, world)
    count = poisson(uniform(a["seed"], turn, Purpose.INCIDENT), rate, MAX_INCIDENTS)
    draws = uniform(a["seed"][:, None], turn, Purpose.MAJOR, np.arange(MAX_INCIDENTS)[None, :])
    major = ((draws < s.major_chance) & (np.arange(MAX_INCIDENTS)[None, :] < count[:, None])).sum(axis=1)
    cause = causes.INCIDENTS
    ledger.add("incidents", cause, count)
    ledger.add("major_incidents", cause, major)
    ledger.add("incidents_last", cause, count - a["incidents_last"])
    ledger.add("approval", cause, -(s.approval_hit * count + s.major_approval_hit * major))
    ledger.add("budget_mod", cause, -s.budget_hit * major.astype(np.float64))
    hr = world.arrays["high_risk"]
    ledger.add("trust", cause, -0.01 * count[:, None] * hr[None, :])
