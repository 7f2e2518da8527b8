"""Words for the help screen: keys, rules in short and a glossary. The sources come from the content pack."""

from __future__ import annotations

from game.render.labels import band_label

KEYS = [
    ("Everywhere", [
        ("?", "help (this screen); press again or Esc to close"),
        ("Esc", "back / close a dialog"),
        ("Enter", "choose / confirm / continue"),
        ("Tab", "move between parts of the screen"),
        ("Ctrl+P", "command palette: every main action by name"),
        ("Ctrl+T", "next theme: dark, light, colour-blind safe"),
        ("Ctrl+Q", "quit (in a game it asks first, as Esc does; twice quits at once)"),
    ]),
    ("Dashboard", [
        ("↑ ↓  (k j)", "select a lever"),
        ("→ + / ← −  (l h)", "add / remove one step of money"),
        ("0", "set the lever to ¥0"),
        ("m", "put as much as possible into the lever"),
        ("Enter Space", "fold or open the selected lever's category (its total stays on the header)"),
        ("i", ("the selected lever in detail: what each ¥B more moves, its lag, where saturation bites, "
               "obligations, a deal's odds and prize (beside the levers on a wide screen)")),
        ("e", "end the turn (asks first if money is left)"),
        ("v", "answer this quarter's events again"),
        ("Ctrl+S", "save as… a name of your own (the game also saves itself after every turn)"),
        ("p", ("predict where a goal will stand after this quarter (optional; scored in the turn report "
              "and at the end; where a class hides the forecast, it shows once you have predicted)")),
        ("d", "drivers: what pushes each metric up or down, and how hard, now"),
        ("[ ]", "previous / next region in the market panel"),
        ("g G", "next / previous goal in the fan chart of the goals at the end"),
        ("PgUp PgDn", "scroll the information column"),
        ("mouse", "click a lever to select it, click [−] or [+] to change it"),
    ]),
    ("Drivers (d on the dashboard)", [
        ("↑ ↓", "choose a metric (left) or a driver (right)"),
        ("Enter", "on a metric: its drivers; on a driver marked →: follow it to that metric"),
        ("Esc Backspace", "back along the links followed, then to the metrics, then to the dashboard"),
        ("Tab", "switch between the metrics and the drivers"),
        ("", ("levers: what one ¥B more does at the plan's spend (diminishing returns included); last "
              "quarter: each cause's part in its change (as in the turn report); what pulls it now: how a "
              "quarter turns a point of another metric into this one")),
    ]),
    ("Title screen", [
        ("n", "new game: pick a scenario"),
        ("c", "continue the most recent saved game"),
        ("l", "load a saved game from a list"),
        ("q", "quit"),
    ]),
    ("End screen", [
        ("w", "what if… replay the game with other allocations and compare"),
        ("Enter", "back to the title screen"),
    ]),
    ("Dialogs", [
        ("1-9", "pick a choice in an event (↑↓ move the highlighted one)"),
        ("PgUp PgDn", "scroll an event's story, then the highlighted answer's effects"),
        ("y / n", "yes / no in a question"),
        ("Ctrl+N", "what if: keep this change and add another"),
    ]),
]

RULES = f"""\
You are Japan's Ministry of Internal Affairs and Communications (MIC). Each turn is one quarter.

1. Split the quarter's budget (¥ billions) across the policy levers. Money you do not allocate is lost,
   unless the scenario keeps a reserve: then part of it carries over (the end-turn question says how much).
   Each lever has a step (one key press), a maximum it can absorb per quarter and often a lag: R&D and
   training pay off only after several quarters, and with diminishing returns.
2. Answer the quarter's events. Each choice says its trade-off.
3. End the turn (e). The world moves on: market shares by region, the engineer pool, technology, trust,
   security incidents, tension, approval. The turn report shows what changed and why, biggest causes first.
4. Before you end a turn, look before you leap: the forecast plays your current plan to the end of the
   game in a few dozen sampled futures. It shows each goal at the end (median, 10-90 % band, how many futures
   meet it) with one goal's fan chart quarter by quarter (g picks the goal), where each key metric is
   likely to be in four quarters, and the risks of the coming quarter with their odds and reasons.
   An event's answers are previewed the same way: each answer's exact effects at once and its effect on
   the goals against the default answer. The forecast uses other random futures than your game's, so it
   never tells you what will happen: only what is likely.
5. At the end, the scenario's goals decide the ending: every goal met is a victory, goals carrying at
   least half the weight a partial success, less a defeat. The score follows the ending (victory {band_label("victory")},
   partial {band_label("partial")}, defeat {band_label("defeat")}): each goal counts by its weight and by how far you moved it from
   where it started towards its target, and a victory earns more the further past the targets it goes.
   If approval collapses, the minister is replaced and the game ends early ({band_label("dismissed")}).

Signs and arrows: ▲ rose, ▼ fell, = unchanged; ✔ goal met, ✘ not yet; ★ domestic vendor,
⚠ high-risk vendor. Colours only repeat what the signs say.
"""

GLOSSARY = [
    ("RAN", ("Radio access network: the base stations and antennas that connect phones to a mobile network; "
            "most of a network's equipment cost.")),
    ("Base station", "The radio equipment on a mast or rooftop that serves one area (a 'cell')."),
    ("Open RAN", ("Open, standard interfaces between the parts of a RAN so that kit from different vendors "
                 "works together, letting smaller vendors compete piece by piece.")),
    ("vRAN", "Virtualised RAN: radio functions run as software on ordinary servers."),
    ("5G / Beyond 5G / 6G", ("Generations of mobile technology. Beyond 5G (B5G) is Japan's name for the "
                             "research towards 6G, expected around 2030.")),
    ("MVNO", ("Mobile virtual network operator: a carrier that rents capacity on another's network instead "
             "of building its own radio network.")),
    ("Carrier / MNO", "A mobile network operator such as NTT Docomo, KDDI, SoftBank or Rakuten Mobile."),
    ("Rip and replace", ("Removing equipment of untrusted vendors that is already installed and replacing it, "
                        "usually paid for by the state (as in the US programme for Huawei and ZTE kit).")),
    ("High-risk vendor", ("A supplier judged likely to be subject to interference by a foreign state (the "
                         "EU 5G Toolbox term); the game counts Huawei and ZTE as high-risk.")),
    ("Untrusted share", "The part of Japan's installed network built by high-risk vendors."),
    ("Market share", ("A vendor's part of the RAN spending of a region; the global share weighs each region "
                     "by its market size.")),
    ("Subsidy", ("Paying part of carriers' bills for a vendor's kit: moves share at once but makes vendors "
                "dependent if it is all they get.")),
    ("Export financing", "Cheap state loans that make a Japanese bid cheaper for a foreign carrier."),
    ("Security incident", ("A detected intrusion or outage in a network; major ones cost approval and "
                          "budget.")),
    ("Tension", ("Geopolitical tension with rival states, 0-100; high tension raises the threat and "
                "incident rates.")),
    ("Pp", "Percentage points: 2.0 % to 2.5 % is +0.5 pp."),
    ("(fiction)", ("After an event's title: invented for the game, perhaps inspired by a real episode. "
                   "Events without it happened, in the quarter shown or up to a year before.")),
    ("Offered from", ("A lever whose programme or agreement did not exist yet: it can be funded only from "
                      "that quarter (alliances founded later have no standing until then).")),
    ("Offered until", ("A lever whose programme, or the business it pays for, has ended: it takes no money "
                       "after that quarter, and a scenario starting later does not offer it.")),
]
