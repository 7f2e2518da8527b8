"""What happens every quarter whatever the player does: the per-quarter gifts of alliances and of
stakeholders (by their stance), everyone's own R&D and 6G research, rivals answering Japan's gains,
prices and trust settling, the ageing workforce, fading campaigns and alliance standing, tension and
threat returning to normal, and market growth."""

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
    for k, stakeholder_id in enumerate(world.stakeholder_ids):
        apply_effects(ledger, world.stakeholder_effects[k], (a["stance"][:, k] - 50.0) / 50.0,
                      causes.stakeholder(stakeholder_id))
    ledger.add("stance", causes.STANCES_SETTLE, arr["stance_reversion"] * (arr["stance_baseline"] - a["stance"]))
    v, research = m.vendors, m.research
    ledger.add("tech", causes.OWN_RND,
               research.tech_per_billion * a["rnd"] * (1 - v.dependence_drag * a["dependence"]))
    ledger.add("sixg", causes.OWN_6G, research.sixg_per_billion * a["rnd6g"])
    ledger.add("sixg", causes.SIXG_AGES, -research.sixg_decay * a["sixg"])
    if m.rivals.response:
        # Rivals answer Japan's gains region by region (price cuts, counter-offers): appeal for every other
        # vendor in proportion to the domestic share won there since the start.
        domestic = arr["domestic"]
        gained = np.maximum(a["shares"][:, :, domestic].sum(axis=2) - arr["shares0"][:, domestic].sum(axis=1), 0.0)
        ledger.add("appeal", causes.RIVALS_RESPOND, m.rivals.response * gained[:, :, None] * ~domestic)
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
