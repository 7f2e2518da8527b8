"""Train PPO (stable-baselines3) on Homegrown, export the policy as a strategy and judge it with `sweep`.

    pip install 'homegrown[rl]' stable-baselines3
    python examples/train_ppo.py --scenario default --steps 20000 --out plans/ppo
    homegrown sweep --strategy plans/ppo/ppo.py:policy --games 2000

stable-baselines3 (and torch) are this example's, not the package's. The agent trains on the flat
action box and the flattened observation; the trained actor's deterministic action (its mean) is
exported as plain numpy (game.rl.policy.MLPPolicy), so the strategy needs neither torch nor Gymnasium.
Training games draw their seeds at random (up to 2**63); the evaluation plays seeds 0 .. N-1 held back.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--steps", type=int, default=20_000, help="environment steps to train (default 20,000)")
    parser.add_argument("--envs", type=int, default=8, help="environments stepped together (default 8)")
    parser.add_argument("--seed", type=int, default=0, help="training seed (default 0)")
    parser.add_argument("--eval-games", type=int, default=1000, help="held-back games to judge it on (default 1,000)")
    parser.add_argument("--out", default="plans/ppo", help="folder for ppo.npz and ppo.py (default plans/ppo)")
    args = parser.parse_args()
    try:
        # lazy: the example's own dependencies, named in one line when missing
        from gymnasium.wrappers import FlattenObservation
        from stable_baselines3 import PPO
        from stable_baselines3.common.env_util import make_vec_env
    except ImportError as exc:
        print(f"error: {exc.name} is missing: pip install 'homegrown[rl]' stable-baselines3", file=sys.stderr)
        return 2
    import numpy as np

    from game.analysis.stats import wilson
    from game.analysis.sweep import sweep
    from game.content.loader import load_content
    from game.rl.env import HomegrownEnv
    from game.rl.policy import MLPPolicy
    from game.strategies import BUILTIN

    envs = make_vec_env(lambda: FlattenObservation(HomegrownEnv(args.scenario, flat_actions=True)),
                        n_envs=args.envs, seed=args.seed)
    model = PPO("MlpPolicy", envs, n_steps=max(64, 2048 // args.envs), batch_size=256, seed=args.seed, verbose=0)
    model.learn(total_timesteps=args.steps)

    layers = [m for m in model.policy.mlp_extractor.policy_net if hasattr(m, "weight")] + [model.policy.action_net]
    policy = MLPPolicy(tuple(m.weight.detach().cpu().numpy().T.astype(np.float64) for m in layers),
                       tuple(m.bias.detach().cpu().numpy().astype(np.float64) for m in layers), "tanh")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    policy.save(out / "ppo.npz")
    (out / "ppo.py").write_text("from game.rl.policy import load_strategy\n\n"
                                "policy = load_strategy(__file__.replace('.py', '.npz'), name='ppo')\n", encoding="utf-8")
    name = f"{out / 'ppo.py'}:policy"
    print(f"wrote {out / 'ppo.npz'} and {out / 'ppo.py'} (strategy {name})")

    result = sweep(load_content(), args.scenario, args.eval_games, [name, *BUILTIN], progress=False)
    print(f"\n{args.scenario}: win rate on held-back seeds 0-{args.eval_games - 1} after {args.steps:,} steps")
    for s, strategy in enumerate(result.strategies):
        cols = result.group(0, s).cols
        wins = int((cols.outcome == 0).sum())
        low, high = wilson(wins, cols.seed.size)
        print(f"  {strategy:16} {wins / cols.seed.size:6.1%}  (95 % CI {low:.1%}-{high:.1%})  "
              f"mean score {cols.score.mean():5.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
