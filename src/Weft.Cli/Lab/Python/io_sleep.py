"""The tutorial's sections 2 and 3 on tasks that wait (time.sleep stands for IO), timed by weft lab.

Each strategy is the tutorial's own code; the lab scales the one-second sleep to --latency and the
number of tasks to --tasks. Prints one JSON line: each strategy's run times.
"""
import argparse
import asyncio
import concurrent.futures
import threading
import time

from weft_lab import cores, measure, report


def do_something(seconds):
    time.sleep(seconds)
    return f'Done Sleeping...{seconds}'


def ordering(unit):
    """Section 3's secs = [5, 4, 3, 2, 1], through map() and through submit() with as_completed(); each run
    records the order its own tasks finished in, so as_completed is judged against its own run."""
    secs = [5, 4, 3, 2, 1]

    def recording(finished):
        def do_something(units):
            time.sleep(units * unit)
            finished.append(units)
            return units
        return do_something

    with concurrent.futures.ThreadPoolExecutor() as executor:
        map_finished = []
        mapped = list(executor.map(recording(map_finished), secs))

        completed_finished = []
        task = recording(completed_finished)
        results = [executor.submit(task, sec) for sec in secs]
        completed = [f.result() for f in concurrent.futures.as_completed(results)]

    return {"submitted": secs, "map": mapped, "mapFinished": map_finished,
            "asCompleted": completed, "asCompletedFinished": completed_finished}


async def do_something_async(seconds):
    await asyncio.sleep(seconds)
    return f'Done Sleeping...{seconds}'


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, required=True)
    parser.add_argument("--latency", type=float, required=True, help="seconds per sleep")
    parser.add_argument("--repeats", type=int, required=True)
    parser.add_argument("--order-unit", type=float, required=True, help="seconds per unit of the 5,4,3,2,1 tasks")
    args = parser.parse_args()
    secs = [args.latency] * args.tasks

    def sequential():
        for sec in secs:
            do_something(sec)

    def threads():
        # Section 2, "Passing Arguments to Threads".
        threads = []
        for sec in secs:
            t = threading.Thread(target=do_something, args=[sec])
            t.start()
            threads.append(t)
        for thread in threads:
            thread.join()

    def thread_pool():
        # Section 3, map(): the with block (pool creation and shutdown) is timed, as in the tutorial.
        with concurrent.futures.ThreadPoolExecutor() as executor:
            list(executor.map(do_something, secs))

    def process_pool():
        with concurrent.futures.ProcessPoolExecutor() as executor:
            list(executor.map(do_something, secs))

    async def gather():
        await asyncio.gather(*(do_something_async(sec) for sec in secs))

    seconds, cpu_seconds = measure({
        "sequential": sequential,
        "threads": threads,
        "thread-pool": thread_pool,
        "process-pool": process_pool,
        "async": lambda: asyncio.run(gather()),
    }, args.repeats)

    report("io-sleep", seconds, cpuSeconds=cpu_seconds, ordering=ordering(args.order_unit),
           workers={"thread-pool": min(32, cores() + 4), "process-pool": cores()})


if __name__ == "__main__":
    main()
