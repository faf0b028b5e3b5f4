"""The tutorial's "How to Bypass the GIL: 1. Multiprocessing" example, exactly as written, plus the
lines that read its results (which the tutorial never does).

cpu_intensive_task() takes no argument, yet executor.map passes it one from range(4): every task raises
TypeError. The error waits in each future until its result is read, and the example never reads them,
so it prints a short "Finished in ..." and no error at all.
"""
import concurrent.futures
import time


def cpu_intensive_task():
    total = 0
    for i in range(10**7):
        total += i
    return total


def run():
    start = time.perf_counter()

    with concurrent.futures.ProcessPoolExecutor() as executor:
        results = executor.map(cpu_intensive_task, range(4))

    finish = time.perf_counter()
    printed = f'Finished in {round(finish-start, 2)} seconds'

    # Not in the tutorial: read the results.
    try:
        list(results)
        error = None
    except TypeError as e:
        error = f"TypeError: {e}"
    return {"printed": printed, "seconds": finish - start, "error": error}
