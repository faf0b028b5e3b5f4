"""Many concurrent waits as threading.Thread objects and as asyncio tasks, timed by weft lab.

The tutorial's claim: asyncio handles many concurrent waits more efficiently than threads (too many
threads add overhead). Each of --waits tasks sleeps --seconds, started as the tutorial starts them.
Prints one JSON line: each side's time, peak memory and how many waits were alive at once.
"""
import argparse
import asyncio
import gc
import os
import sys
import threading
import time
import tracemalloc

from weft_lab import report

try:
    import resource
except ImportError:  # Windows
    resource = None


def resident_bytes():
    """This process's resident memory now: thread stacks and the kernel's bookkeeping as well as Python
    objects, as .NET's working set counts them. tracemalloc would see only the Python objects and miss the
    thread stacks, making threads look cheap.

    Not ru_maxrss on Linux: it is a high-water mark, and a process started by a larger one (weft is a .NET
    process of 100 MB and more) inherits that process's mark across exec, so it would never move here.
    """
    try:
        with open("/proc/self/statm") as statm:  # Linux: pages resident now
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        pass
    if resource is not None:  # macOS and the BSDs: the peak so far (bytes on macOS, KiB elsewhere)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return tracemalloc.get_traced_memory()[0]  # Windows: Python objects only


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

    before = resident_bytes()
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
    # Every thread has started: the most alive at once, and the memory they hold.
    peak_threads = threading.active_count()  # the main thread, and those not yet done
    peak_bytes = resident_bytes() - before
    for thread in threads:
        thread.join()
    return {"peakThreads": peak_threads, "peakBytes": peak_bytes, "started": len(threads), "error": error}


def with_asyncio(waits, seconds):
    """One asyncio task per wait, gathered; every task is waiting once the loop has run them all once."""
    async def do_something():
        await asyncio.sleep(seconds)

    async def main():
        before = resident_bytes()
        tasks = [asyncio.create_task(do_something()) for _ in range(waits)]
        await asyncio.sleep(0)  # each task runs to its sleep
        peak_bytes = resident_bytes() - before
        await asyncio.gather(*tasks)
        return peak_bytes

    peak_bytes = asyncio.run(main())
    return {"peakThreads": threading.active_count(), "peakBytes": peak_bytes, "started": waits, "error": None}


def timed(run, waits, seconds):
    gc.collect()
    start = time.perf_counter()
    figures = run(waits, seconds)
    figures["seconds"] = time.perf_counter() - start
    figures["peakBytes"] = max(0, figures["peakBytes"])
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--waits", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True, help="how long each waits")
    args = parser.parse_args()
    if resource is None:
        tracemalloc.start()

    # asyncio first: where resident_bytes() is a high-water mark (macOS), the lighter run must come first.
    asyncio_run = timed(with_asyncio, args.waits, args.seconds)
    threads_run = timed(with_threads, args.waits, args.seconds)
    waits = {"runtime": "cpython", "waits": args.waits, "waitSeconds": args.seconds,
             "threads": threads_run, "async": asyncio_run}
    report("waits", {"threads": [threads_run["seconds"]], "async": [asyncio_run["seconds"]]}, waits=waits)


if __name__ == "__main__":
    main()
