"""Many concurrent waits as threading.Thread objects and as asyncio tasks, timed by weft lab.

The tutorial's claim: asyncio handles many concurrent waits more efficiently than threads (too many
threads add overhead). Each of --waits tasks sleeps --seconds, started as the tutorial starts them.
Prints one JSON line: each side's time, peak memory and how many waits were alive at once.
"""
import argparse
import asyncio
import sys
import threading
import time

from weft_lab import report

try:
    import resource
except ImportError:  # Windows
    resource = None


def peak_memory(run):
    """Runs `run` and returns (what it returned, how far the process's peak resident memory rose meanwhile).

    The peak resident set (ru_maxrss) counts everything a wait costs: a thread's stack and the kernel's
    bookkeeping as well as Python objects, as .NET's working set does. tracemalloc would see only the
    Python objects and miss the thread stacks, making threads look cheap. ru_maxrss is a high-water mark
    that never falls, so the lighter run (asyncio) goes first; the threads' figure is then the rise above
    it, if anything an understatement of what threads cost. Where there is no `resource` module
    (Windows), tracemalloc's peak is the fallback.
    """
    if resource is None:
        import tracemalloc
        tracemalloc.start()
        result = run()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return result, peak

    scale = 1 if sys.platform == "darwin" else 1024  # macOS reports bytes, Linux KiB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = run()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result, (after - before) * scale


def with_threads(waits, seconds):
    """Section 2's threading.Thread, one per wait. Starting a thread can fail (RuntimeError: can't start
    new thread) where the OS or a memory limit runs out: that is a result, so the threads that did start
    are joined and counted.

    No barrier holds the threads until the last has started: releasing thousands of threads blocked on
    one threading.Event at once takes CPython seconds (each must take the event's lock, then the GIL),
    which would time the barrier, not the waits. peakThreads says how many were alive at once.
    """
    def do_something():
        time.sleep(seconds)

    threads = []
    error = None
    for _ in range(waits):
        t = threading.Thread(target=do_something)
        try:
            t.start()
        except RuntimeError as e:
            error = f"{type(e).__name__}: {e}"
            break
        threads.append(t)
    peak_threads = threading.active_count()  # the main thread, and those not yet done
    for thread in threads:
        thread.join()
    return {"peakThreads": peak_threads, "started": len(threads), "error": error}


def with_asyncio(waits, seconds):
    """asyncio.gather over one coroutine per wait: gather schedules every task before any of them runs."""
    async def do_something():
        await asyncio.sleep(seconds)

    async def main():
        await asyncio.gather(*(do_something() for _ in range(waits)))

    asyncio.run(main())
    return {"peakThreads": threading.active_count(), "started": waits, "error": None}


def timed(run, waits, seconds):
    start = time.perf_counter()
    figures, peak_bytes = peak_memory(lambda: run(waits, seconds))
    figures["seconds"] = time.perf_counter() - start
    figures["peakBytes"] = max(0, peak_bytes)
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--waits", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True, help="how long each waits")
    args = parser.parse_args()

    asyncio_run = timed(with_asyncio, args.waits, args.seconds)  # first: see peak_memory
    threads_run = timed(with_threads, args.waits, args.seconds)
    waits = {"runtime": "cpython", "waits": args.waits, "waitSeconds": args.seconds,
             "threads": threads_run, "async": asyncio_run}
    report("waits", {"threads": threads_run["seconds"], "async": asyncio_run["seconds"]}, waits=waits)


if __name__ == "__main__":
    main()
