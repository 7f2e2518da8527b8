"""history-2019 played untouched (do_nothing; the real policies are scenario events) must end near the
published end-2023 world RAN shares.

Targets (end 2023), from content/sources.toml ids:
- Huawei 31.3 %, ZTE 13.9 %: Omdia via the seed article (`seed-asiadaily`).
- NEC + Fujitsu + Open RAN & others 4.9 %: Omdia 2023 "all other vendors" (`omdia-ran-2023-lr`).
- Samsung 5.1 %: derived, 100 − "around 90 %" (Huawei + Ericsson + Nokia + ZTE,
  `yomiuri-oran-mwc-2025`) − 4.9.
- Ericsson 26.0 %, Nokia 18.8 %: derived, the remaining 44.8 % (90 − 31.3 − 13.9) split in Dell'Oro's 2019
  Ericsson:Nokia ratio of 29:21 (`delloro-ran-2020`); the ranking Huawei, Ericsson, Nokia, ZTE, Samsung
  matches Dell'Oro's 2023 order (`delloro-ran-2023q2`).
"""

import numpy as np

from game.content.loader import load_content
from game.play.runner import play
from game.sim.compile import build_world
from game.sim.metrics import global_shares
from game.strategies import get_strategy

TARGETS = {"huawei": 0.313, "zte": 0.139, "ericsson": 0.260, "nokia": 0.188, "samsung": 0.051, "others": 0.049}
OTHERS = ("nec", "fujitsu", "openran")
# Reached: about 0.31 pp (Huawei +0.5, ZTE -0.1, Ericsson -0.7, Nokia 0.0, Samsung +0.4, others -0.2).
MAE_BOUND_PP = 0.5
MAX_ERROR_PP = 1.0
SEEDS = range(8)


def test_history_2019_ends_near_published_2023_shares():
    world = build_world(load_content(), "history-2019")
    final = play(world, list(SEEDS), get_strategy("do_nothing"))
    shares = global_shares(final.shares, final.market_size)  # [B, V]
    index = {v: i for i, v in enumerate(world.vendor_ids)}
    got = {v: shares[:, index[v]] for v in TARGETS if v != "others"}
    got["others"] = sum(shares[:, index[v]] for v in OTHERS)
    errors = {v: (got[v] - TARGETS[v]) * 100 for v in TARGETS}  # percentage points, per seed
    mean_abs = np.mean([np.abs(e) for e in errors.values()], axis=0)  # per seed
    report = "\n".join(f"  {v:9} model {got[v].mean() * 100:5.2f} %  target {TARGETS[v] * 100:5.2f} %  "
                       f"error {errors[v].mean():+.2f} pp" for v in TARGETS)
    assert mean_abs.max() <= MAE_BOUND_PP, f"mean absolute error {mean_abs.max():.2f} pp > {MAE_BOUND_PP}\n{report}"
    worst = max(np.abs(e).max() for e in errors.values())
    assert worst <= MAX_ERROR_PP, f"a vendor is {worst:.2f} pp off (> {MAX_ERROR_PP})\n{report}"
    order = sorted(TARGETS, key=lambda v: -got[v].mean())
    assert order[:4] == ["huawei", "ericsson", "nokia", "zte"], f"ranking {order}\n{report}"


def test_history_2019_starts_near_delloro_2019_shares():
    world = build_world(load_content(), "history-2019")
    from game.sim.step import initial_state

    start = initial_state(world, [0])
    shares = global_shares(start.shares, start.market_size)[0]
    index = {v: i for i, v in enumerate(world.vendor_ids)}
    delloro_2019 = {"huawei": 0.32, "ericsson": 0.29, "nokia": 0.21, "zte": 0.08, "samsung": 0.08}
    for vendor, target in delloro_2019.items():
        assert abs(shares[index[vendor]] - target) < 0.012, (vendor, shares[index[vendor]], target)
