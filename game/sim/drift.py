"""What happens every quarter whatever the player does: rivals' R&D, prices and trust settling, the
ageing workforce, fading campaigns and alliance standing, tension and threat returning to normal,
market growth, and the per-quarter gifts of alliances."""

from __future__ import annotations

import numpy as np

from game.sim.effects import apply_effects
from game.sim.ledger import Ledger
from game.sim.world import World


def drift(ledger: Ledger, world: World) -> None:
    a, m, arr = ledger.arrays, world.model, world.arrays
    for i, alliance_id in enumerate(world.alliance_ids):
        apply_effects(ledger, world.alliance_effects[i], a["standing"][:, i] / 100.0, f"alliance:{alliance_id}")
    v = m.vendors
    ledger.add("tech", "drift:own R&D", arr["tech_growth"] * (1 - v.dependence_drag * a["dependence"]))
    ledger.add("cost", "drift:prices settle", v.cost_reversion * (arr["cost0"] - a["cost"]))
    ledger.add("trust", "drift:trust returns to normal", v.trust_reversion * (arr["trust0"] - a["trust"]))
    ledger.add("dependence", "drift:dependence fades", -v.dependence_decay * a["dependence"])
    ledger.add("appeal", "drift:campaigns fade", -m.market.appeal_decay * a["appeal"])
    ledger.add("standing", "drift:standing fades", -arr["alliance_decay"] * a["standing"])
    ledger.add("market_size", "drift:market growth", a["market_size"] * arr["growth_q"])
    w = m.workforce
    ledger.add("engineers", "drift:ageing workforce", -w.drain * a["engineers"])
    ledger.add("engineers", "drift:graduates", np.full_like(a["engineers"], w.inflow))
    p = m.politics
    ledger.add("tension", "drift:tension eases", p.tension_reversion * (p.tension_baseline - a["tension"]))
    bloc = np.maximum(a["standing"].sum(axis=1) - 100.0, 0.0) * p.standing_tension
    ledger.add("tension", "drift:bloc politics", bloc)
    ledger.add("threat", "drift:threat returns to normal", p.threat_reversion * (p.threat_baseline - a["threat"]))
    ledger.add("approval", "drift:approval returns to normal",
               p.approval_reversion * (p.approval_baseline - a["approval"]))
