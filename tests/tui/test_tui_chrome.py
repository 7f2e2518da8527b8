"""The chrome around the game: toasts, the footer, the dialogs' keys and the leave questions."""

from __future__ import annotations

import asyncio

from textual.geometry import Region
from tui_support import dashboard


def test_toasts_leave_nothing_behind_when_they_go():
    """Toasts coming in while others are up overflow the toast rack at 80x24; when they go, every cell
    they painted is painted again (Textual's scroll fast path forgot them: their text stayed on screen)."""

    async def run() -> None:
        async with dashboard(notifications=True) as pilot:
            app = pilot.app
            compositor = app.screen._compositor
            painted: list[Region] = []
            full, partial = compositor.render_full_update, compositor.render_partial_update

            def full_update(*args, **kwargs):
                painted.append(compositor.size.region)
                return full(*args, **kwargs)

            def partial_update(*args, **kwargs):
                painted.extend(compositor._dirty_regions)
                return partial(*args, **kwargs)

            compositor.render_full_update, compositor.render_partial_update = full_update, partial_update
            for i in range(7):
                app.notify(f"Toast {i}, long enough to take a few lines", timeout=1.5)
                await pilot.pause(0.15)
            screen = app.screen.region
            covered = [r.intersection(screen) for r in (t.region for t in app.screen.query("Toast"))]
            assert sum(r.area for r in covered) > screen.area // 4  # they did fill the rack
            painted.clear()
            for _ in range(40):
                await pilot.pause(0.1)
                if not app.screen.query("Toast"):
                    break
            await pilot.pause(0.2)
            assert not app.screen.query("Toast")
            stale = [(x, y) for r in covered for y in range(r.y, r.bottom) for x in range(r.x, r.right)
                     if not any(p.contains(x, y) for p in painted)]
            assert not stale, f"{len(stale)} cells a toast painted were never painted again: {stale[:5]}"

    asyncio.run(run())
