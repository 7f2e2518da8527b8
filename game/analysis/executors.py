"""Where a sweep's shards run: in this process, on a local process pool, or on a Dask cluster. Results
come back by task key, so the output is the same whatever runs them."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from game.analysis.shards import Columns, Task, TaskKey, init_worker, run_task
from game.content.pack import Content

DASK_CONNECT_TIMEOUT = "10s"


class ExecutorError(ValueError):
    """An executor that cannot run (unknown, Dask missing, scheduler unreachable): one line."""



Progress = Callable[[int], None]


def execute(
    tasks: list[Task],
    contents: list[Content],
    workers: int = 1,
    executor: str = "local",
    scheduler: Any = None,
    progress: Progress | None = None,
    sink: Callable[[TaskKey, Columns], None] | None = None,
) -> dict[TaskKey, Columns]:
    """Run every task (`contents[task.variant]` is its content); returns results by task key, or, with
    `sink`, hands each to `sink(key, cols)` as it arrives and keeps none (a sweep's memory: one copy).
    `progress(games)` is called as shards finish."""
    results: dict[TaskKey, Columns] = {}

    def done(key: TaskKey, cols: Columns, games: int) -> None:
        if sink is not None:
            sink(key, cols)
        else:
            results[key] = cols
        if progress is not None:
            progress(games)

    if executor == "dask":
        _execute_dask(tasks, contents, scheduler, done)
        return results
    if executor != "local":
        raise ExecutorError(f"unknown executor '{executor}' (valid: local, dask)")
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            key, cols = run_task(task, contents[task.variant])
            done(key, cols, task.games)
        return results
    with ProcessPoolExecutor(max_workers=workers, initializer=init_worker, initargs=(contents,)) as pool:
        futures = {pool.submit(run_task, task): task for task in tasks}
        for future in as_completed(futures):
            key, cols = future.result()
            done(key, cols, futures.pop(future).games)  # popped: a finished future holds its result
    return results


def dask_client(scheduler: Any) -> tuple[Any, bool]:
    """(a Dask client, whether we opened it): `scheduler` is an address or an open Client."""
    try:
        # lazy: an optional extra (homegrown[distributed])
        from distributed import Client
    except ImportError:
        raise ExecutorError(
            "--executor dask needs Dask distributed: pip install 'homegrown[distributed]'"
        ) from None
    if isinstance(scheduler, Client):
        return scheduler, False
    if not scheduler:
        raise ExecutorError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    try:
        return Client(scheduler, timeout=DASK_CONNECT_TIMEOUT), True
    except (OSError, TimeoutError, ValueError) as exc:
        raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def _execute_dask(tasks: list[Task], contents: list[Content], scheduler: Any,
                  done: Callable[[TaskKey, Columns, int], None]) -> None:
    client, own = dask_client(scheduler)
    # lazy: an optional extra (homegrown[distributed]); dask_client has checked it is installed
    from distributed import as_completed

    try:
        shared = client.scatter(contents, broadcast=True)  # each variant's content sent once per worker
        futures = [client.submit(run_task, task, shared[task.variant], pure=False) for task in tasks]
        games = {f.key: t.games for f, t in zip(futures, tasks, strict=False)}
        for future in as_completed(futures):
            key, cols = future.result()
            done(key, cols, games[future.key])
    finally:
        if own:
            client.close()


