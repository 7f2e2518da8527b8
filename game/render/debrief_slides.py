"""The debrief as slides for a projector: one self-contained HTML file (inline CSS, inline SVG and a few
lines of inline script for the keys, nothing fetched), one headline finding per slide, large type.

Keys: → / Space / PageDown next, ← / PageUp previous, Home / End first and last; the slide number is in the
address (#5), so a reload stays on it. Printing gives one slide per page."""

from __future__ import annotations

from html import escape

from game.analysis.debrief.data import ClassReport
from game.render.debrief_html import distribution_svg, legend, spend_svg
from game.render.debrief_view import decision_number, flag_lines, matchup_line, meta

CSS = """
html, body { margin: 0; height: 100%; background: #111; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
section { display: none; box-sizing: border-box; width: 100vw; height: 100vh; padding: 4vh 5vw;
          background: #fff; color: #111; font-size: 3.2vh; line-height: 1.35; overflow: hidden; }
section.current { display: block; }
h1 { font-size: 7vh; margin: 0 0 3vh; } h2 { font-size: 5.5vh; margin: 0 0 2.5vh; }
.big { font-size: 5vh; } .meta { color: #555; } li { margin: 0.4em 0; }
.flag { color: #b42318; } svg { width: 100%; height: auto; max-height: 62vh; }
.legend span { display: inline-block; margin-right: 1.2em; } .swatch { display: inline-block; width: 1em;
  height: 1em; margin-right: 0.3em; vertical-align: -0.1em; }
code { font-size: 2.2vh; word-break: break-all; color: #333; }
.count { position: fixed; right: 2vw; bottom: 1.5vh; color: #777; font-size: 2.2vh; }
@media print { section { display: block; page-break-after: always; height: auto; min-height: 100vh; }
               .count { display: none; } }
"""

SCRIPT = """
(function () {
  var slides = document.querySelectorAll("section"), count = document.querySelector(".count"), i = 0;
  function show(n) {
    i = Math.max(0, Math.min(slides.length - 1, n));
    slides.forEach(function (s, k) { s.classList.toggle("current", k === i); });
    count.textContent = (i + 1) + " / " + slides.length;
    history.replaceState(null, "", "#" + (i + 1));
  }
  document.addEventListener("keydown", function (e) {
    if (["ArrowRight", " ", "PageDown", "Enter"].indexOf(e.key) >= 0) { show(i + 1); e.preventDefault(); }
    else if (["ArrowLeft", "PageUp", "Backspace"].indexOf(e.key) >= 0) { show(i - 1); e.preventDefault(); }
    else if (e.key === "Home") { show(0); } else if (e.key === "End") { show(slides.length - 1); }
  });
  document.addEventListener("click", function (e) { show(e.clientX > innerWidth / 3 ? i + 1 : i - 1); });
  show((parseInt(location.hash.slice(1), 10) || 1) - 1);
})();
"""


def slides(r: ClassReport) -> list[str]:
    """Each slide's inner HTML."""
    out = [(f"<h1>{escape(r.scenario_name)}</h1><p class=\"big\">Class debrief</p>"
            f"<p class=\"meta\">{escape(meta(r))}</p><p class=\"meta\">→ next · ← back</p>")]
    if r.flags or r.problems:
        items = [*flag_lines(r), *(f"{p.path}: {p.message}" for p in r.problems)]
        out.append("<h2>Check these saves first</h2><ul>" + "".join(
            f'<li class="flag">{escape(x)}</li>' for x in items[:12]) + "</ul>"
            + (f"<p>… and {len(items) - 12} more in the report.</p>" if len(items) > 12 else ""))
    finished = r.finished
    wins = sum(1 for g in finished if g.outcome == "victory")
    best = max(finished, key=lambda g: g.score, default=None)
    out.append("<h2>How the class did</h2>" + (
        f'<p class="big">{wins} of {len(finished)} finished games met every goal.</p>'
        + (f'<p class="big">Highest: {escape(best.name)}, {best.score:.1f}</p>' if best else "")
        if finished else '<p class="big">No finished, unflagged game yet.</p>'))
    out.append("<h2>Where the money went</h2>" + legend(r) + spend_svg(r))
    if r.strategies:
        out.append(f"<h2>Skill: the same worlds</h2><p class=\"big\">{escape(matchup_line(r))}</p>")
        out.append("<h2>Luck: many worlds</h2>" + distribution_svg(r))
    for g in r.games:
        if not g.decisions:
            continue
        d = g.decisions[0]
        out.append(f"<h2>{escape(g.name)}: the decision that mattered most</h2>"
                   f'<p class="big">{escape(d.label)}</p><p class="big">{escape(d.counterfactual)}: '
                   f"<strong>{escape(decision_number(d))}</strong> ({escape(d.outcome)})</p>"
                   f"<p><code>{escape(g.command(d))}</code></p>")
    for e in r.events:
        if sum(1 for c in e.choices if c.count) < 2:
            continue
        out.append(f"<h2>The class split: {escape(e.title)}</h2><ul>" + "".join(
            f'<li><strong>{escape(c.label)}</strong> ({c.count}): {escape(", ".join(e.names.get(c.choice, [])))}</li>'
            for c in e.choices if c.count) + "</ul>")
    for prompt in r.prompts + r.debrief_questions:
        out.append(f'<h2>Discuss</h2><p class="big">{escape(prompt)}</p>')
    return out


def render_slides(r: ClassReport) -> str:
    body = "".join(f"<section>{s}</section>" for s in slides(r))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Slides: {escape(r.scenario_name)}</title><style>{CSS}</style></head><body>"
            f'{body}<div class="count"></div><script>{SCRIPT}</script></body></html>\n')
