"""False-alarm soak: every corrected derivation (and textbook identity) under many seeds, with hard numerics.

A correct step must never be REFUTED, whatever the seed: with ``stress`` every
third random instance has huge or tiny magnitudes, near-singular invertible
matrices and values at the ends of their intervals, and every float64
mismatch must survive re-evaluation at 60 digits before it is reported.

A tight-budget pass follows: every corrected *and* submitted derivation (and
the textbook corpus's identities and planted mistakes)
with every step's budget cut to ``--tight`` seconds (default 0.05).  Nothing
may pass that a full budget refutes (a REFUTED step turning PROVED or
CONFIRMED is a *wrong pass*), no correct step may be REFUTED, and a step that
runs out of time must say so (UNDECIDED), never CONFIRMED on too little
evidence.

Run: ``python bench/soak.py [--seeds N] [-j N] [-k PATTERN] [--tight SECONDS]``.  Last lines:
``tight: D derivations at B s, steps: C, wrong passes: W, false alarms: F, undecided: U``
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
    from symbolic.verdicts.engine import check

    found = []
    steps = 0
    for name in names:
        res = check(get(name), seed=seed, cache=False, stress=True)
        for s in res.steps:
            steps += 1
            if s.verdict.value in ("REFUTED", "UNDECIDED"):
                found.append((name, s.label, s.verdict.value, seed, s.reason or (s.counterexample and s.counterexample.values)))
    return steps, found


def run_tight(args):
    """One derivation at the full budget (seed 0) and at ``tight`` seconds per step: their verdicts."""
    name, tight = args
    from derivations import get
    from symbolic.verdicts.engine import check
    from symbolic.read.loader import with_budget

    d = get(name)
    full = check(d, seed=0, cache=False)
    cut = check(with_budget(d, tight), seed=0, cache=False)
    return name, [(a.label, a.verdict.value, b.verdict.value, b.reason or "", b.evidence.samples if b.evidence else 0)
                  for a, b in zip(full.steps, cut.steps)]


def tight_pass(names, tight: float, jobs: int) -> tuple[int, int]:
    """Print every wrong pass and false alarm under a tight budget; return (wrong passes, false alarms)."""
    from symbolic.checks.steps import MIN_SAMPLES

    with ProcessPoolExecutor(jobs) as ex:
        results = list(ex.map(run_tight, [(n, tight) for n in names]))
    steps = wrong = false = undecided = 0
    for name, rows in results:
        for label, full, cut, reason, samples in rows:
            steps += 1
            if full == "REFUTED" and cut in ("PROVED", "CONFIRMED"):
                wrong += 1
                print(f"WRONG PASS at {tight:g} s: {name} step {label} is {cut} ({samples} samples), REFUTED at full budget")
            elif full != "REFUTED" and cut == "REFUTED":
                false += 1
                print(f"FALSE ALARM at {tight:g} s: {name} step {label} is REFUTED, {full} at full budget")
            elif cut == "CONFIRMED" and samples < MIN_SAMPLES:
                wrong += 1
                print(f"THIN EVIDENCE at {tight:g} s: {name} step {label} is CONFIRMED on {samples} samples")
            undecided += cut == "UNDECIDED"
    print(f"tight: {len(names)} derivations at {tight:g} s, steps: {steps}, wrong passes: {wrong}, "
          f"false alarms: {false}, undecided: {undecided}")
    return wrong, false


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=100)
    p.add_argument("-j", type=int, default=2)
    p.add_argument("-k", dest="pattern", default=None)
    p.add_argument("--tight", type=float, default=0.05, help="per-step budget of the tight pass (0: skip it)")
    a = p.parse_args(argv)
    from derivations import get, names
    from symbolic.model.derivation import Derivation

    def version(n: str) -> str:
        return getattr(getattr(get(n), "source", None), "version", "")

    # the corrected derivations and the textbook corpus's identities (its planted mistakes in the tight pass)
    chosen = [n for n in names() if (n.endswith("_corrected") or version(n) == "textbook")
              and isinstance(get(n), Derivation) and (a.pattern is None or a.pattern in n)]
    t0 = time.perf_counter()
    wrong = tight_false = 0
    if a.tight > 0:
        both = [n for n in names() if (n.endswith(("_corrected", "_submitted")) or version(n) in ("textbook", "planted"))
                and isinstance(get(n), Derivation) and (a.pattern is None or a.pattern in n)]
        wrong, tight_false = tight_pass(both, a.tight, a.j)
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
    return 1 if false_alarms or wrong or tight_false else 0


if __name__ == "__main__":
    sys.exit(main())
