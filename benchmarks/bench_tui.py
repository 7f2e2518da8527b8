"""TUI benchmark, measured with Textual's Pilot (headless): start to first interactive frame, end-turn key
to updated dashboard, allocation key to updated forecast (every forecast runs to the end of the game), an
event dialog's opening to its answers' outlooks, the forecast's own computation on the longest scenario
(the 6G race, 40 quarters) at its first turn, Ctrl+T to the new theme drawn, and a burst of 150 keys to
the screen caught up.

    .venv/bin/python benchmarks/bench_tui.py [--repeat N] [--json] [--only warm|keys]

Aims (issue 13): warm start < 1 s, end turn < 100 ms (key to the dashboard updated with the new quarter;
the turn report drawn over it is timed too), forecast < 100 ms (allocation key to the new forecast shown),
event outlook < 1 s (the dialog is usable at once; the outlooks fill in), theme switch < 150 ms, and a
150-key burst handled without backlog (< 0.5 s to every key handled, < 1 s to the final plan's forecast
drawn). "Cold start" runs in a fresh interpreter and includes imports and loading the content pack. Each
figure is given as min / median / max over N repetitions; they depend on the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD = """
import time, asyncio
t0 = time.perf_counter()
from game.content.loader import load_content
from game.tui.app import HomegrownApp
from game.tui.screens.dashboard import DashboardScreen
async def main():
    app = HomegrownApp(load_content(), scenario="tutorial", seed=6)
    async with app.run_test(size=(80, 24)) as pilot:
        while not (isinstance(app.screen, DashboardScreen) and app.screen.live and app.focused is not None):
            await asyncio.sleep(0.001)
        await pilot.pause(0)  # one frame
        print(time.perf_counter() - t0)
asyncio.run(main())
"""


def cold_start() -> float:
    out = subprocess.run([sys.executable, "-c", COLD], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def send_key(app, key: str) -> float:
    from textual import events

    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    t = time.perf_counter()
    app._driver.send_message(event)
    return t


async def workers_done(app) -> None:
    """Every worker finished; a forecast replaced by a newer one (cancelled) counts as finished."""
    from textual.worker import WorkerCancelled

    while True:
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def warm(repeat: int) -> dict[str, list[float]]:
    from game.content.loader import load_content
    from game.tui.app import HomegrownApp
    from game.tui.screens.dashboard import DashboardScreen
    from game.tui.screens.dialogs import EventDialog
    from game.tui.screens.report import TurnReportScreen

    content = load_content()
    seen: dict[str, float] = {}

    def hook(message) -> None:
        if isinstance(message, DashboardScreen.ForecastShown):
            seen["forecast"] = time.perf_counter()

    starts, turns, reports, forecasts, worker = [], [], [], [], []
    for i in range(repeat):
        t0 = time.perf_counter()
        app = HomegrownApp(content, scenario="default", seed=100 + i)
        async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
            while not (isinstance(app.screen, (DashboardScreen, EventDialog))):
                await asyncio.sleep(0.001)
            await pilot.pause(0)
            starts.append(time.perf_counter() - t0)
            for _ in range(3):
                while isinstance(app.screen, EventDialog):
                    await pilot.press("1")
                dash = app.screen
                await workers_done(pilot.app)
                await pilot.pause()
                # allocation key -> forecast on screen
                seen.pop("forecast", None)
                t = send_key(app, "m")
                while "forecast" not in seen:
                    await asyncio.sleep(0.001)
                forecasts.append(seen["forecast"] - t)
                worker.append(dash.forecast_latency or 0.0)
                for _ in range(12):  # fill the budget so that no confirmation is asked
                    if dash.plan.left <= 1e-9:
                        break
                    await pilot.press("down", "m")
                await workers_done(pilot.app)
                await pilot.pause()
                seen.pop("turn", None)
                t = send_key(app, "e")
                while not (isinstance(app.screen, TurnReportScreen) and app.screen.query("#report-text")
                           and app.screen.query_one("#report-text").plain):
                    await asyncio.sleep(0.001)
                turns.append(dash.turn_shown_at - t)
                reports.append(time.perf_counter() - t)
                await pilot.press("enter")
                await pilot.pause()
    return {"start": starts, "end_turn": turns, "turn_report": reports, "forecast": forecasts,
            "forecast_worker": worker}


async def outlooks(repeat: int) -> list[float]:
    """The 2018 exercise's first question (three answers, six quarters): dialog on screen -> outlooks shown."""
    from game.content.loader import load_content
    from game.tui.app import HomegrownApp
    from game.tui.screens.dialogs import EventDialog

    content = load_content()
    out: list[float] = []
    for i in range(repeat):
        seen: dict[str, float] = {}

        def hook(message, seen=seen) -> None:
            if isinstance(message, EventDialog.OutlookShown):
                seen["outlook"] = time.perf_counter()

        app = HomegrownApp(content, scenario="exercise-procurement-2018", seed=2018 + i)
        async with app.run_test(size=(80, 24), message_hook=hook):
            while not (isinstance(app.screen, EventDialog) and app.screen.is_mounted):
                await asyncio.sleep(0.001)
            t = time.perf_counter()
            while "outlook" not in seen:
                await asyncio.sleep(0.001)
            out.append(seen["outlook"] - t)
    return out


def compute(repeat: int) -> dict[str, list[float]]:
    """The forecast alone (no UI) for the 6G race's first turn: 40 quarters of DEFAULT_SAMPLES futures, in
    wall-clock time and in the thread's own CPU time (steadier on a busy machine)."""
    from game.content.loader import load_content
    from game.play.forecast import forecast
    from game.play.session import Session

    session = Session(load_content(), "6g-race", 1)
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.thread_time()
        forecast(session.state, session.world, {"rnd-b5g": 6.0})
        wall.append(time.perf_counter() - t)
        cpu.append(time.thread_time() - c)
    return {"forecast_6g_compute": wall, "forecast_6g_compute_cpu": cpu}


BURST = ["right", "right", "down", "left", "right", "up", "m", "down", "right", "0"] * 15  # 150 keys


async def theme_and_burst(repeat: int, size: tuple[int, int]) -> dict[str, list[float]]:
    """Ctrl+T to the last frame drawn for the new theme; a burst of 150 lever keys typed at once to every
    key handled (key_burst), and to the final plan's forecast drawn (burst_forecast)."""
    from game.content.loader import load_content
    from game.tui.app import HomegrownApp
    from game.tui.screens.dashboard import DashboardScreen
    from game.tui.screens.dialogs import EventDialog
    from game.tui.widgets.panels import MarketPanel

    content = load_content()
    themes: list[float] = []
    bursts: list[float] = []
    settled: list[float] = []
    theme_cpu: list[float] = []
    burst_cpu: list[float] = []
    for i in range(repeat):
        app = HomegrownApp(content, scenario="default", seed=100 + i)
        frames: list[float] = []
        display = app._display

        def drawn(screen, renderable, display=display, frames=frames) -> None:
            if renderable is not None:
                frames.append(time.perf_counter())
            display(screen, renderable)

        app._display = drawn  # type: ignore[method-assign]  # every frame the terminal would get

        async def last_frame(since: float, frames: list[float] = frames) -> float:
            """The time of the last frame, once none has come for 0.1 s."""
            while not frames or frames[-1] < since or time.perf_counter() - frames[-1] < 0.1:
                await asyncio.sleep(0.005)
            return frames[-1]

        async with app.run_test(size=size) as pilot:
            while not isinstance(app.screen, (DashboardScreen, EventDialog)):
                await asyncio.sleep(0.001)
            await pilot.pause()
            while isinstance(app.screen, EventDialog):
                await pilot.press("1")
            dash = app.screen
            await workers_done(app)
            await pilot.pause()
            for _ in range(6):  # twice round the three themes
                theme = app.theme
                cpu = time.thread_time()
                t = send_key(app, "ctrl+t")
                while app.theme == theme:
                    await asyncio.sleep(0.0005)
                themes.append(await last_frame(t) - t)
                theme_cpu.append(time.thread_time() - cpu)
            markets = dash.query_one(MarketPanel)
            region = markets.region_index
            cpu = time.thread_time()
            t = time.perf_counter()
            for key in BURST:
                send_key(app, key)
            send_key(app, "right_square_bracket")  # the last key: the next region
            while markets.region_index == region:
                await asyncio.sleep(0.001)
            caught_up = time.perf_counter()  # every key handled
            burst_cpu.append(time.thread_time() - cpu)
            while dash._shown_stamp != dash._stamp:
                await asyncio.sleep(0.001)
            bursts.append(caught_up - t)
            settled.append(await last_frame(t) - t)
    tag = f"{size[0]}x{size[1]}"
    return {f"theme_{tag}": themes, f"key_burst_{tag}": bursts, f"burst_forecast_{tag}": settled,
            # the UI thread's own CPU time (the app and this loop share it): the same on a busy machine
            f"theme_cpu_{tag}": theme_cpu, f"key_burst_cpu_{tag}": burst_cpu}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", choices=["warm", "keys"], help="only the game figures, or only theme and keys")
    args = parser.parse_args()
    figures: dict[str, list[float]] = {}
    if args.only != "keys":
        figures["cold_start"] = [cold_start() for _ in range(args.repeat)]
        figures.update(asyncio.run(warm(args.repeat)))
        figures["event_outlook"] = asyncio.run(outlooks(args.repeat))
        figures.update(compute(args.repeat))
    if args.only != "warm":
        for size in [(80, 24), (160, 48)]:
            figures.update(asyncio.run(theme_and_burst(args.repeat, size)))
    summary = {k: {"min_ms": round(min(v) * 1000, 1), "median_ms": round(statistics.median(v) * 1000, 1),
                   "max_ms": round(max(v) * 1000, 1), "n": len(v)} for k, v in figures.items()}
    aims = {"cold_start": 1500, "start": 1000, "end_turn": 100, "turn_report": 400, "forecast": 100,
            "forecast_worker": 100, "event_outlook": 1000, "forecast_6g_compute": 200,
            "forecast_6g_compute_cpu": 200,
            "theme_80x24": 150, "theme_160x48": 150, "key_burst_80x24": 500,
            "key_burst_160x48": 500, "burst_forecast_80x24": 1000, "burst_forecast_160x48": 1000,
            **{f"{k}_cpu_{tag}": v for k, v in (("theme", 150), ("key_burst", 500)) for tag in ("80x24", "160x48")}}
    if args.json:
        print(json.dumps({"schema_version": 2, "figures": summary, "aims_ms": aims}, indent=2))
    else:
        for k, v in summary.items():
            ok = "ok " if v["median_ms"] <= aims[k] else "SLOW"
            print(f"{ok} {k:20} min {v['min_ms']:7.1f} ms  median {v['median_ms']:7.1f} ms  "
                  f"max {v['max_ms']:7.1f} ms  (n={v['n']}, aim < {aims[k]} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
