"""Shared by weft lab's Python programs: timing in rounds, and the one JSON line the lab reads.

Not part of the tutorial. Each strategy is timed here, inside the interpreter, so the figures compare
with .NET's (interpreter start-up is measured by the lab on its own and never mixed in).
"""
import json
import os
import platform
import sys
import time


def gil_enabled():
    """False only on a free-threaded build (3.13t, 3.14t) running without the GIL."""
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    return True if is_enabled is None else bool(is_enabled())


def cores():
    """What ProcessPoolExecutor() uses by default."""
    return (getattr(os, "process_cpu_count", None) or os.cpu_count)() or 1


def measure(strategies, repeats):
    """Runs every strategy once per round, for `repeats` rounds, and keeps every run: its wall time and the CPU
    time this process used meanwhile (all its threads; not a process pool's workers).

    Rounds spread a burst of other load on the machine over all strategies, and pair each run with the same
    round's sequential run; the lab reports the median of the runs and their range.
    """
    seconds = {name: [] for name in strategies}
    cpu = {name: [] for name in strategies}
    for _ in range(repeats):
        for name, run in strategies.items():
            cpu_start = time.process_time()
            start = time.perf_counter()
            run()
            seconds[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - cpu_start)
    return seconds, cpu


def report(workload, seconds, **extra):
    """Prints the line weft lab reads: the last line of standard output. `seconds` maps each strategy to its
    runs' times."""
    line = {
        "workload": workload,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "gilEnabled": gil_enabled(),
        "seconds": seconds,
    }
    line.update(extra)
    print(json.dumps(line), flush=True)


if __name__ == "__main__":
    # weft lab's probe: this interpreter starts, and what it is.
    report("probe", {})
