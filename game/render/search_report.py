"""What `homegrown search` prints and writes: the table of families, search.json and search.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.analysis.balance import Measures, TargetCheck
from game.analysis.policies import PolicyRates
from game.analysis.search import Found, Settings
from game.content.schema import CATEGORIES
from game.render.labels import CATEGORY_NAMES
from game.render.tables import markdown_table

SCHEMA_VERSION = 1


def strategy_name(plan: str) -> str:
    """How `run` and `sweep` name a written plan: `scripted:PATH` for TOML, `PATH:policy` for a policy file."""
    return f"{plan}:policy" if plan.endswith(".py") else f"scripted:{plan}"


def found_json(found: Found, plan: str | None) -> dict[str, Any]:
    lo, hi = found.interval
    return {
        "family": found.family, "win_rate": found.win_rate, "win_ci": [lo, hi], "wins": found.wins,
        "games": found.games, "seed_start": found.seed_start, "mean_score": found.score, "goals": found.goals,
        "spend_by_category": found.spend, "constraint_violation": found.violation,
        "generations": found.generations, "training_curve": found.curve, "plan": plan,
        "strategy": strategy_name(plan) if plan else None,
    }


def search_json(scenario: str, fingerprint: str, settings: Settings, constraints: list[str], forbid: list[str],
                found: list[Found], plans: dict[str, str]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION, "scenario": scenario, "content_fingerprint": fingerprint,
        "settings": {"generations": settings.generations, "population": settings.population,
                     "seeds": settings.seeds, "validate": settings.validate,
                     "validate_start": settings.validate_start, "seed": settings.seed,
                     "time_budget": settings.time_budget},
        "constraints": constraints, "forbid": forbid,
        "families": [found_json(f, plans.get(f.family)) for f in found],
    }


def rows(found: list[Found]) -> tuple[list[str], list[list[str]]]:
    header = ["family", "win %", "95 % CI", "mean score", *(CATEGORY_NAMES[c] for c in CATEGORIES)]
    body = []
    for f in found:
        lo, hi = f.interval
        body.append([f.family, f"{100 * f.win_rate:.1f}", f"{100 * lo:.1f}–{100 * hi:.1f}", f"{f.score:.1f}",
                     *(f"{100 * f.spend[c]:.0f} %" for c in CATEGORIES)])
    return header, body


def console_text(scenario: str, found: list[Found], plans: dict[str, str]) -> str:
    header, body = rows(found)
    games = found[0].games if found else 0
    start = found[0].seed_start if found else 0
    lines = [f"search · {scenario} · validated on {games} seeds from {start} (95 % Wilson intervals)", "",
             markdown_table(header, body, "lrrr" + "r" * len(CATEGORIES))]
    for f in found:
        if f.violation > 1e-6:
            lines.append(f"note: the best {f.family} plan misses the spending constraints by "
                         f"{100 * f.violation:.1f} points of the money")
    if plans:
        lines += ["", "Plans (replay each with `homegrown sweep --strategy STRATEGY --games N`):"]
        lines += [f"  {family}: {strategy_name(path)}" for family, path in plans.items()]
    return "\n".join(lines)


def search_markdown(scenario: str, found: list[Found], plans: dict[str, str], settings: Settings) -> str:
    header, body = rows(found)
    lines = [f"# Balance search: scenario `{scenario}`", "",
             (f"Cross-entropy search, {settings.generations} generations of {settings.population} plans, each "
             f"played on the same {settings.seeds} training seeds; the best plan of each family was chosen on "
             f"fresh seeds and validated on {settings.validate} seeds from {settings.validate_start} that the "
             "search never saw."), "", markdown_table(header, body, "lrrr" + "r" * len(CATEGORIES)), ""]
    for f in found:
        lines += [f"## {f.family}", "", "Goals met: " + ", ".join(f"{g} {100 * v:.1f} %" for g, v in f.goals.items())
                  + ".", ""]
        if f.family in plans:
            lines += [f"Plan: `{plans[f.family]}` (replay: `--strategy {strategy_name(plans[f.family])}`)", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class BalanceFindings:
    measures: Measures
    checks: list[TargetCheck]
    """One per declared target that was measured."""


def _policies_json(p: PolicyRates | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"plan": p.plan, "win_rates": p.rates, "best": p.best, "worst": p.worst, "gain_over_default": p.gain,
            "spread": p.spread, "games": p.games, "seed_start": p.seed_start,
            "aliases": {name: label for name, label in (p.labels or {}).items() if label != name}}


def findings_json(b: BalanceFindings) -> dict[str, Any]:
    m = b.measures
    return {
        "doctrines": [{"category": d.category, "verdict": d.verdict, "gap": d.gap, **found_json(d.found, None)}
                      for d in m.doctrines],
        "levers": [{"lever": v.lever, "removed": v.removed, "forced": v.forced, "verdict": v.verdict}
                   for v in m.levers],
        "categories": [{"category": c.category, "useful": c.useful, "useful_in": c.useful_in, "removed": c.removed}
                       for c in m.categories],
        "answers": [{"event": a.event, "best": a.best, "matters": a.matters, "win_rates": a.rates}
                    for a in m.answers],
        "answer_policies": {"best_plan": _policies_json(m.answers_best),
                            "balanced": _policies_json(m.answers_balanced)},
        "bots": {name: {"win_rate": r.rate, "wins": r.wins, "games": r.games, "seed_start": r.seed_start}
                 for name, r in m.bots.items()},
        "verdict_games": m.verdict_games,
        "targets": [{"target": c.target, "ok": c.ok, "detail": c.detail} for c in b.checks],
        "balanced": all(c.ok for c in b.checks),
    }


def target_lines(checks: list[TargetCheck]) -> list[str]:
    """One line per checked target and the verdict (shared by `search --balance` and `sweep --balance`)."""
    lines = [f"  {'✔' if c.ok else '✘'} {c.target}: {c.detail}" for c in checks]
    if not checks:
        lines.append("  the scenario declares no [balance] targets")
    failed = [c for c in checks if not c.ok]
    verdict = (f"NOT balanced: {len(failed)} of {len(checks)} targets fail" if failed
               else "balanced: every declared target holds")
    return [*lines, f"Verdict: {verdict}"]


def findings_text(b: BalanceFindings) -> str:
    m = b.measures
    lines: list[str] = []
    if m.doctrines:
        rows = [[CATEGORY_NAMES[d.category] + "-led", f"{100 * d.found.win_rate:.1f}", f"{100 * d.gap:+.1f}",
                 f"{100 * d.found.spend[d.category]:.0f} %", d.verdict] for d in m.doctrines]
        lines += ["Doctrines (the best plan with at least 40 % of its money in one category):", "",
                  markdown_table(["doctrine", "win %", "gap to best (points)", "money there", "verdict"], rows,
                                 "lrrrl"), ""]
    if m.levers:
        rows = [[v.lever, f"{100 * v.removed:+.1f}", f"{100 * v.forced:+.1f}", v.verdict] for v in m.levers]
        lines += [f"Levers on the best plan (removed / forced to 10 % of the budget, {m.verdict_games} paired games):",
                  "", markdown_table(["lever", "removed (points)", "forced (points)", "verdict"], rows, "lrrl"), ""]
    plans = list(m.categories[0].removed) if m.categories else []
    if plans:
        lines += [(f"Categories removed from each viable plan (its money re-spread over the plan's other levers, "
                  f"{m.verdict_games} paired games; points of win rate):"), ""]
        rows = [[CATEGORY_NAMES[c.category], *(f"{100 * c.removed[p]:+.1f}" for p in plans),
                 "useful" if c.useful else "not useful"] for c in m.categories]
        lines += [markdown_table(["category", *plans, "verdict"], rows, "l" + "r" * len(plans) + "l"), ""]
    if m.answers:
        lines += ["Event answers on the best plan (win rate by answer):", ""]
        rows = [[a.event, a.best, f"{100 * a.matters:.1f}",
                 ", ".join(f"{c} {100 * r:.1f} %" for c, r in a.rates.items())] for a in m.answers]
        lines += [markdown_table(["event", "best answer", "matters (points)", "win rates"], rows, "llrl"), ""]
    policy_sets = [p for p in (m.answers_best, m.answers_balanced) if p is not None]
    if policy_sets:
        names = list(policy_sets[0].rates)
        labels = policy_sets[0].labels or {}
        lines += [f"Answer policies (every event answered by one rule, {policy_sets[0].games} paired games; win %):",
                  ""]
        rows = [[labels.get(n, n), *(f"{100 * p.rates[n]:.1f}" for p in policy_sets)] for n in names]
        lines += [markdown_table(["policy", *(p.plan for p in policy_sets)], rows, "l" + "r" * len(policy_sets)),
                  ""]
    if m.bots:
        lines += ["Bots: " + "; ".join(f"{name} wins {100 * r.rate:.1f} % of {r.games} games"
                                       for name, r in m.bots.items()), ""]
    lines += ["Balance targets (the scenario's [balance]):", *target_lines(b.checks)]
    return "\n".join(lines)
