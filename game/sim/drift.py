"""What happens every quarter whatever the player does: rivals' R&D, prices and trust settling, the
ageing workforce, fading campaigns and alliance standing, tension and threat returning to normal,
market growth, and the per-quarter gifts of alliances."""

from __future__ import annotations

import numpy as np

from game.sim import causes
from game.sim.effects import apply_effects
from game.sim.ledger import Ledger
from game.sim.world import World


def hold_unfounded(ledger: Ledger, world: World, turn: int) -> None:
    """An alliance that does not exist yet (World.founded) keeps zero standing, whatever gave it some."""
    standing = ledger.arrays["standing"]
    unfounded = ~world.founded(turn)
    if unfounded.any():
        ledger.add("standing", causes.NOT_FOUNDED, -np.where(unfounded, standing, 0.0))


def drift(ledger: Ledger, world: World) -> None:
    a, m, arr = ledger.arrays, world.model, world.arrays
    for i, alliance_id in enumerate(world.alliance_ids):
        apply_effects(ledger, world.alliance_effects[i], a["standing"][:, i] / 100.0, causes.alliance(alliance_id))
    v = m.vendors
    ledger.add("tech", causes.OWN_RND, arr["tech_growth"] * (1 - v.dependence_drag * a["dependence"]))
    ledger.add("cost", causes.PRICES_SETTLE, v.cost_reversion * (arr["cost0"] - a["cost"]))
    ledger.add("trust", causes.TRUST_REVERTS, v.trust_reversion * (arr["trust0"] - a["trust"]))
    ledger.add("dependence", causes.DEPENDENCE_FADES, -v.dependence_decay * a["dependence"])
    ledger.add("appeal", causes.CAMPAIGNS_FADE, -m.market.appeal_decay * a["appeal"])
    ledger.add("standing", causes.STANDING_FADES, -arr["alliance_decay"] * a["standing"])
    ledger.add("market_size", causes.MARKET_GROWTH, a["market_size"] * arr["growth_q"])
    w = m.workforce
    ledger.add("engineers", causes.AGEING, -w.drain * a["engineers"])
    ledger.add("engineers", causes.GRADUATES, np.full_like(a["engineers"], w.inflow))
    p = m.politics
    ledger.add("tension", causes.TENSION_EASES, p.tension_reversion * (p.tension_baseline - a["tension"]))
    bloc = np.maximum(a["standing"].sum(axis=1) - 100.0, 0.0) * p.standing_tension
    ledger.add("tension", causes.BLOC_POLITICS, bloc)
    ledger.add("threat", causes.THREAT_REVERTS, p.threat_reversion * (p.threat_baseline - a["threat"]))
    ledger.add("approval", causes.APPROVAL_REVERTS,
               p.approval_reversion * (p.approval_baseline - a["approval"]))
