"""Running calls at the same moment: the races of the concurrency tests."""
from __future__ import annotations

import threading
from collections.abc import Callable


def together(calls: list[Callable[[], object]], timeout: float = 60) -> list:
    """Run each call in its own thread, all released at once by a barrier; what each returned or
    raised, in the order of `calls` (an exception is returned, not raised: the test asserts on
    it). A call still running after `timeout` seconds leaves None in its place."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as exc:  # noqa: BLE001 - the caller asserts on what came back
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
