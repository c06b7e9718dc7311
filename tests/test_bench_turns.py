"""scripts/bench's builds in turns: a round's processes share one core, one at a time, and each is timed by
the wall time of its own turns only (not by the round's).

The stand-ins keep the protocol of the benchmark's BUILD script: stop when ready, print a RESULT line,
stop again. They spin for a set CPU time, so what each is timed at can be checked against it."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import load_bench

pytestmark = pytest.mark.skipif(shutil.which("taskset") is None or not hasattr(__import__("signal"), "sigtimedwait"),
                                reason="needs taskset and sigtimedwait (Linux)")

SPIN = r"""
import os, resource, signal, sys, time
os.kill(os.getpid(), signal.SIGSTOP)
start, cpu = time.time(), time.process_time()
while time.process_time() - cpu < float(sys.argv[1]):
    pass
print("RESULT", 0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.process_time() - cpu, start, time.time(),
      flush=True)
os.kill(os.getpid(), signal.SIGSTOP)
"""

#: A stand-in that writes its RESULT line in two pieces, with work between them, as ``print`` does with
#: ``PYTHONUNBUFFERED``: a turn that ends between the pieces must not take the half line for the result.
PIECES = r"""
import os, resource, signal, sys, time
os.kill(os.getpid(), signal.SIGSTOP)
cpu = time.process_time()
os.write(1, b"RESULT 0 ")
while time.process_time() - cpu < float(sys.argv[1]):
    pass
used = time.process_time() - cpu
os.write(1, f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} {used} 0 0\n".encode())
os.kill(os.getpid(), signal.SIGSTOP)
"""

#: A stand-in that reports its hash seed (``PYTHONHASHSEED``) in the peak-memory field of its RESULT line.
SEED = r"""
import os, signal
os.kill(os.getpid(), signal.SIGSTOP)
print("RESULT", 0, os.environ["PYTHONHASHSEED"], 0, 0, 0, flush=True)
os.kill(os.getpid(), signal.SIGSTOP)
"""

FAIL = r"""
import os, signal, sys
os.kill(os.getpid(), signal.SIGSTOP)
sys.exit("this build failed on purpose")
"""


def test_each_build_is_timed_by_its_own_turns_and_the_builds_alternate() -> None:
    bench = load_bench()
    builds = [(Path("0.6"), Path("unused"), Path(sys.executable)), (Path("0.3"), Path("unused"), Path(sys.executable))]
    (long_wall, _, long), (short_wall, _, short) = bench.run_in_turns(builds, turn_s=0.05, code=SPIN)
    assert long["cpu_s"] == pytest.approx(0.6, abs=0.05) and short["cpu_s"] == pytest.approx(0.3, abs=0.05)
    # timed by their own turns: not by the round (about 0.9 s for both), never less than the CPU they used
    assert long["cpu_s"] - 0.01 <= long_wall < long["cpu_s"] + 0.2
    assert short["cpu_s"] - 0.01 <= short_wall < short["cpu_s"] + 0.2
    # in turns: the short one started before the long one ended and ended before it (the "gc_s" and
    # "ours_s" fields carry the stand-ins' start and end times)
    assert short["gc_s"] < long["ours_s"] and short["ours_s"] < long["ours_s"]


def test_a_result_line_written_in_pieces_is_read_only_when_whole() -> None:
    bench = load_bench()
    builds = [(Path("0.3"), Path("unused"), Path(sys.executable))]
    ((wall, _, result),) = bench.run_in_turns(builds, turn_s=0.05, code=PIECES)
    assert result["cpu_s"] == pytest.approx(0.3, abs=0.05)  # its whole line, after the work between the pieces
    assert wall >= result["cpu_s"] - 0.01


def test_a_failed_build_stops_the_round_with_its_message_and_leaves_no_process() -> None:
    bench = load_bench()
    builds = [(Path("5"), Path("unused"), Path(sys.executable)), (Path("x"), Path("unused"), Path(sys.executable))]
    codes = iter([SPIN, FAIL])
    real_popen = bench.subprocess.Popen
    started = []

    def popen(args, **kwargs):
        args = [next(codes) if a == "CODE" else a for a in args]
        started.append(real_popen(args, **kwargs))
        return started[-1]

    bench.subprocess.Popen = popen
    try:
        with pytest.raises(SystemExit, match="this build failed on purpose"):
            bench.run_in_turns(builds, turn_s=0.05, code="CODE")
    finally:
        bench.subprocess.Popen = real_popen
    for process in started:  # both ended and reaped: the one still spinning was killed
        with pytest.raises(ProcessLookupError):
            os.kill(process.pid, 0)


def test_only_builds_of_many_turns_take_turns() -> None:
    bench = load_bench()
    # 100 pages (about a second a build): one after the other, not split over two turns
    assert not bench.takes_turns(True, warm_s=1.1)
    assert not bench.takes_turns(True, warm_s=bench.TURNS_FROM * bench.TURN_S - 0.01)
    # 1000 pages (tens of seconds): in turns, when asked for
    assert bench.takes_turns(True, warm_s=38.0)
    assert not bench.takes_turns(False, warm_s=38.0)
    assert bench.takes_turns(True, warm_s=1.1, turn_s=0.1)


def test_a_rounds_builds_share_its_hash_seed_and_each_round_has_its_own() -> None:
    bench = load_bench()
    seeds = [bench.round_seed(i) for i in range(40)]
    assert len(set(seeds)) == 40 and 0 not in seeds  # the warm-up, cold and serve builds' seed is 0
    assert seeds == [bench.round_seed(i) for i in range(40)]  # round i has the same seed in every run
    builds = [(Path("unused"), Path("unused"), Path(sys.executable))] * 3
    for i in (0, 1):
        results = bench.run_in_turns(builds, turn_s=0.05, code=SEED, seed=bench.round_seed(i))
        assert [peak for _, peak, _ in results] == [bench.round_seed(i)] * 3
