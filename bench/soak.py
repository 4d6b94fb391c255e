"""False-alarm soak: every corrected derivation under many seeds, with hard numerics.

A correct step must never be REFUTED, whatever the seed: with ``stress`` every
third random instance has huge or tiny magnitudes, near-singular invertible
matrices and values at the ends of their intervals, and every float64
mismatch must survive re-evaluation at 60 digits before it is reported.

Run: ``python bench/soak.py [--seeds N] [-j N] [-k PATTERN]``.  Last line:
``soak: D derivations x S seeds, steps checked: C, false alarms: F, undecided: U``.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def run_seed(args):
    seed, names = args
    from derivations import get
    from symbolic.engine import check

    found = []
    steps = 0
    for name in names:
        res = check(get(name), seed=seed, cache=False, stress=True)
        for s in res.steps:
            steps += 1
            if s.verdict.value in ("REFUTED", "UNDECIDED"):
                found.append((name, s.label, s.verdict.value, seed, s.reason or (s.counterexample and s.counterexample.values)))
    return steps, found


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=100)
    p.add_argument("-j", type=int, default=2)
    p.add_argument("-k", dest="pattern", default=None)
    a = p.parse_args(argv)
    from derivations import get, names
    from symbolic.derivation import Derivation

    chosen = [n for n in names() if n.endswith("_corrected") and isinstance(get(n), Derivation)
              and (a.pattern is None or a.pattern in n)]
    t0 = time.perf_counter()
    jobs = [(seed, chosen) for seed in range(a.seeds)]
    with ProcessPoolExecutor(a.j) as ex:
        results = list(ex.map(run_seed, jobs))
    steps = sum(r[0] for r in results)
    found = [f for r in results for f in r[1]]
    for name, label, verdict, seed, why in found:
        print(f"{verdict}: {name} step {label} under seed {seed}: {why}")
    false_alarms = sum(1 for f in found if f[2] == "REFUTED")
    undecided = sum(1 for f in found if f[2] == "UNDECIDED")
    print(f"{time.perf_counter() - t0:.0f} s")
    print(f"soak: {len(chosen)} derivations x {a.seeds} seeds, steps checked: {steps}, "
          f"false alarms: {false_alarms}, undecided: {undecided}")
    return 1 if false_alarms else 0


if __name__ == "__main__":
    sys.exit(main())
