"""Where a sweep's shards run: in this process, on a local process pool, or on a Dask cluster. Results
come back by task key, so the output is the same whatever runs them.

On a cluster nothing may depend on the worker's folder or on which code it happens to run: a task carries
what it plays as data (the content pack, scattered once per worker; a `scripted:PATH` plan, read here),
and the fingerprint of the code that sent it. A worker whose game package (or numpy, which decides the
bits) differs from ours, or that sees the content differently, refuses the task in one line naming it."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

import numpy as np

import game
from game.analysis.shards import Columns, Task, TaskKey, init_worker, run_task
from game.content.pack import Content, refingerprint
from game.strategies import get_strategy
from game.strategies.registry import BUILTIN, ON_REQUEST
from game.strategies.scripted import Scripted

DASK_CONNECT_TIMEOUT = "10s"


class ExecutorError(ValueError):
    """An executor that cannot run (unknown, Dask missing, scheduler unreachable, a worker running other
    code): one line."""


Progress = Callable[[int], None]


@functools.cache
def code_fingerprint() -> str:
    """This process's game code: sha256 of every source file of the game package (path and bytes), 16 hex
    digits, and numpy's version (1.x and 2.x, even minor releases, may round differently)."""
    root = Path(game.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(f"\0{path.relative_to(root).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return f"game {digest.hexdigest()[:16]}, numpy {np.__version__}"


def ship_plans(tasks: list[Task]) -> list[Task]:
    """Tasks whose `scripted:PATH` strategy is read here and travels as data: a worker in another folder,
    or on another machine, has no such file."""
    plans: dict[str, Scripted] = {}
    shipped = []
    for task in tasks:
        scripted = sorted({name for name in task.strategies if name.startswith("scripted:")})
        for name in scripted:
            if name not in plans:
                plan = get_strategy(name)
                assert isinstance(plan, Scripted)
                plans[name] = plan
        if scripted and not task.plans:
            task = dataclasses.replace(task, plans=tuple((name, plans[name]) for name in scripted))
        shipped.append(task)
    return shipped


def refuse_unshipped(tasks: list[Task]) -> None:
    """A cluster plays only what travels with its tasks or with the game package: built-ins and
    `scripted:PATH` plans (data, shipped). A `module:attr` strategy's code does neither, so a worker would
    fail to import it or, worse, import another version of it and play other games without a word."""
    for task in tasks:
        for name in task.strategies:
            if name not in BUILTIN and name not in ON_REQUEST and not name.startswith("scripted:"):
                raise ExecutorError(
                    f"--executor dask cannot play strategy '{name}': a module:attr strategy's code is not sent "
                    "to the workers, which could run another version of it or none; play it with --executor "
                    "local, or save its moves as a scripted: plan")


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

    tasks = ship_plans(tasks)
    if executor == "dask":
        refuse_unshipped(tasks)
        _execute_dask(tasks, contents, scheduler, done)
        return results
    if executor != "local":
        raise ExecutorError(f"unknown executor '{executor}' (valid: local, dask)")
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            key, cols = run_task(task, contents[task.variant])
            done(key, cols, task.games)
        return results
    pool = ProcessPoolExecutor(max_workers=workers, initializer=init_worker, initargs=(contents,))
    try:
        queue = iter(tasks)
        # a window of shards in flight, as on a cluster: finished results never pile up unread
        futures = {pool.submit(run_task, task): task for task in itertools.islice(queue, IN_FLIGHT_PER_THREAD * workers)}
        while futures:
            finished, _ = wait(futures, return_when=FIRST_COMPLETED)
            for future in finished:
                key, cols = future.result()
                done(key, cols, futures.pop(future).games)  # popped: a finished future holds its result
                for task in itertools.islice(queue, 1):
                    futures[pool.submit(run_task, task)] = task
    except BaseException:
        # Ctrl+C or a failed shard: drop the shards not started (a plain shutdown would play them all)
        pool.shutdown(cancel_futures=True)
        raise
    pool.shutdown()
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


def submit(client: Any, fn: Callable[..., Any], content: Any, content_fingerprint: str, *args: Any) -> Any:
    """A Dask future of `fn(content, *args)` played by a worker that first proves it runs our code and sees
    `content` (a scattered future, or the pack itself) as ours, the pack whose fingerprint is given."""
    return client.submit(_checked, code_fingerprint(), content_fingerprint, fn, content, *args, pure=False)


_SEEN: dict[int, Content] = {}
"""Packs whose fingerprint this worker has checked, by id (kept alive, so an id is never reused)."""


def _checked(code: str, expected: str, fn: Callable[..., Any], content: Content, *args: Any) -> Any:
    if code_fingerprint() != code:
        raise ExecutorError(f"worker {_worker_name()} runs other code ({code_fingerprint()}; here: {code}): "
                            "start every worker from the same checkout or wheel, with the same numpy")
    if id(content) not in _SEEN:
        seen = refingerprint(content).fingerprint
        if seen != expected:
            raise ExecutorError(f"worker {_worker_name()} sees other content: fingerprint {seen}, not "
                                f"{expected} as here (another pydantic reads the pack differently)")
        if len(_SEEN) > 64:
            _SEEN.clear()
        _SEEN[id(content)] = content
    return fn(content, *args)


def _worker_name() -> str:
    try:
        # lazy: only ever called on a Dask worker
        from distributed import get_worker

        worker = get_worker()
        return f"{worker.name} ({worker.address})"
    except (ImportError, ValueError):
        return "(not a Dask worker)"


def _run_shard(content: Content, task: Task) -> tuple[TaskKey, Columns]:
    return run_task(task, content)


def in_flight(client: Any) -> int:
    """Shards submitted to a cluster at once: enough to keep every worker thread busy while results come
    back, few enough that neither side holds a million games' futures and results."""
    return max(IN_FLIGHT_MIN, IN_FLIGHT_PER_THREAD * sum(client.nthreads().values()))


IN_FLIGHT_MIN = 4
IN_FLIGHT_PER_THREAD = 2


def _execute_dask(tasks: list[Task], contents: list[Content], scheduler: Any,
                  done: Callable[[TaskKey, Columns, int], None]) -> None:
    client, own = dask_client(scheduler)
    # lazy: an optional extra (homegrown[distributed]); dask_client has checked it is installed
    from distributed import as_completed

    running = as_completed()
    pending: dict[str, tuple[Any, int]] = {}  # future key -> (the future, its games): at most in_flight
    try:
        shared = client.scatter(contents, broadcast=True)  # each variant's content sent once per worker
        queue = iter(tasks)

        def send(count: int) -> None:
            for task in itertools.islice(queue, count):
                future = submit(client, _run_shard, shared[task.variant], contents[task.variant].fingerprint, task)
                pending[future.key] = (future, task.games)
                running.add(future)

        send(in_flight(client))
        for future in running:
            key, cols = future.result()
            _, games = pending.pop(future.key)
            future.release()  # its result is ours now: the cluster may forget it
            done(key, cols, games)
            send(1)
    finally:
        running.clear()
        client.cancel([future for future, _ in pending.values()])  # after a refusal, the rest need not run
        if own:
            client.close()
