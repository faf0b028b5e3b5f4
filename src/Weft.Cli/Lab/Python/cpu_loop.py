"""The tutorial's GIL example and its multiprocessing answer, timed by weft lab.

cpu_intensive_task is the tutorial's loop with its 10**7 made a parameter, calibrated so one task takes
--target seconds on this interpreter. Prints one JSON line: each strategy's best time, the loop length,
and what the tutorial's process-pool example does when run exactly as written.
"""
import argparse
import concurrent.futures
import threading
import time

import the_tutorials_process_pool
from weft_lab import cores, measure, report


def cpu_intensive_task(n=10**7):
    total = 0
    for i in range(n):
        total += i
    return total


def calibrate(target):
    best = min(_time(lambda: cpu_intensive_task(10**6)) for _ in range(3))
    return max(10**5, int(target / best * 10**6) // 100_000 * 100_000)


def _time(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, required=True)
    parser.add_argument("--target", type=float, required=True, help="seconds one task should take")
    parser.add_argument("--repeats", type=int, required=True)
    args = parser.parse_args()
    n = calibrate(args.target)
    loops = [n] * args.tasks

    def sequential():
        for loop in loops:
            cpu_intensive_task(loop)

    def threads():
        # The GIL example.
        threads = []
        for loop in loops:
            t = threading.Thread(target=cpu_intensive_task, args=[loop])
            t.start()
            threads.append(t)
        for t in threads:
            t.join()

    def thread_pool():
        with concurrent.futures.ThreadPoolExecutor() as executor:
            list(executor.map(cpu_intensive_task, loops))

    def process_pool():
        # "How to Bypass the GIL", with the argument the tutorial forgot.
        with concurrent.futures.ProcessPoolExecutor() as executor:
            list(executor.map(cpu_intensive_task, loops))

    tutorial = the_tutorials_process_pool.run()
    # Pools that already run, for the "warm" figures beside the timed with blocks.
    with concurrent.futures.ThreadPoolExecutor() as warm_threads, concurrent.futures.ProcessPoolExecutor() as warm:
        list(warm.map(cpu_intensive_task, [1000] * cores() * 2))
        list(warm_threads.map(cpu_intensive_task, [1000] * cores() * 2))
        seconds, cpu_seconds = measure({
            "sequential": sequential,
            "threads": threads,
            "thread-pool": thread_pool,
            "thread-pool-warm": lambda: list(warm_threads.map(cpu_intensive_task, loops)),
            "process-pool": process_pool,
            "process-pool-warm": lambda: list(warm.map(cpu_intensive_task, loops)),
        }, args.repeats)

    report("cpu", seconds, cpuSeconds=cpu_seconds, loop=n, tutorialProcessPool=tutorial,
           workers={"thread-pool": min(32, cores() + 4), "process-pool": cores()})


if __name__ == "__main__":
    main()
