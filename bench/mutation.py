"""Mutation campaign: does the checker catch one-change mistakes, and leave correct steps alone?

Every step of every corrected built-in derivation, and of every identity of
the textbook corpus (derivations/textbook/), is mutated (see
``symbolic.checks.mutate``); each mutated derivation is checked.  A mutant is
*killed* when the mutated step is REFUTED, *equivalent* when the mutated
step is still PROVED (for an inequality: a bound that stays true) or the
mutated expression is proved equal to the original, and *survived* otherwise.  First-error detection is scored as in
step-level error benchmarks: accuracy on mutated derivations (the first
REFUTED step is the mutated one), accuracy on unmutated ones (no step
REFUTED), and the harmonic mean of the two (F1).

Run: ``python bench/mutation.py [-k PATTERN] [--seed N] [-j N]``.  The last
line printed is
``mutants: N, killed: K, equivalent: E, survived: S, kill rate: P%, false alarms: F, first-error F1: X``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _corrected_names(pattern: str | None) -> list[str]:
    from derivations import get, names
    from symbolic.model.derivation import Derivation

    out = []
    for n in names():
        textbook = getattr(getattr(get(n), "source", None), "version", "") == "textbook"  # the corpus's identities
        if not (n.endswith("_corrected") or textbook) or (pattern and pattern not in n):
            continue
        if isinstance(get(n), Derivation):
            out.append(n)
    return out


def _equivalent(d, label, mutant) -> bool:
    from derivations import fresh
    from symbolic.algebra.prove import prove_equal
    from symbolic.budget import budget
    from symbolic.checks.context import CheckContext
    from symbolic.exceptions import BudgetExceeded

    original = next(s for s in fresh(d.name).steps if s.label == label)
    ctx = CheckContext.build(d, 0)
    try:
        with budget(5.0):
            return prove_equal(ctx.prepare(original.rhs), ctx.prepare(mutant.expr), ctx.canon, ctx.intervals) is not None
    except (BudgetExceeded, TypeError, ValueError, AttributeError):
        return False


def run_derivation(args) -> dict:
    """Check one corrected derivation and all its mutants; returns counts and details."""
    name, seed, cache_dir = args
    from derivations import fresh
    from symbolic.verdicts.cache import VerdictCache
    from symbolic.verdicts.engine import check
    from symbolic.exceptions import StepcheckError
    from symbolic.checks.mutate import apply_mutant, step_mutants

    cache = VerdictCache(cache_dir)
    out = {"name": name, "killed": 0, "equivalent": 0, "survivors": [], "invalid": 0,
           "located": 0, "mislocated": [], "false_alarm": None, "mutants": 0}
    base = check(fresh(name), seed=seed, cache=cache)
    if base.first_wrong_step is not None:
        out["false_alarm"] = base.first_wrong_step
    for step in fresh(name).steps:
        for m in step_mutants(step):
            try:
                d = apply_mutant(fresh(name), step.label, m)
                res = check(d, seed=seed, cache=cache)
            except StepcheckError:
                out["invalid"] += 1  # e.g. a relation between objects of different shapes
                continue
            except Exception as exc:  # a mutant sympy cannot even represent (mixed matrix/scalar)
                out["invalid"] += 1
                out.setdefault("crashes", []).append((step.label, m.description, f"{type(exc).__name__}: {exc}"))
                continue
            out["mutants"] += 1
            r = res.step(step.label)
            if r.verdict.value == "REFUTED":
                out["killed"] += 1
                if res.first_wrong_step == step.label:
                    out["located"] += 1
                else:
                    out["mislocated"].append((step.label, m.description, res.first_wrong_step))
                continue
            # a mutated step that is still PROVED is a true step (equal to the original for an
            # equality; a valid, weaker or stronger, bound for an inequality): not a mistake
            if r.verdict.value == "PROVED" or (m.relation is None and _equivalent(d, step.label, m)):
                out["equivalent"] += 1
                continue
            why = r.reason or (r.evidence.summary() if r.evidence else "")
            out["survivors"].append((step.label, m.operator, m.description, r.verdict.value, why))
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-k", dest="pattern", default=None, help="only derivations whose name contains this")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-j", type=int, default=1, help="parallel processes")
    a = p.parse_args(argv)
    t0 = time.perf_counter()
    names = _corrected_names(a.pattern)
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [(n, a.seed, tmp) for n in names]
        if a.j > 1:
            with ProcessPoolExecutor(a.j) as ex:
                results = list(ex.map(run_derivation, jobs))
        else:
            results = [run_derivation(j) for j in jobs]
    total = sum(r["mutants"] for r in results)
    killed = sum(r["killed"] for r in results)
    equivalent = sum(r["equivalent"] for r in results)
    survived = total - killed - equivalent
    false_alarms = sum(1 for r in results if r["false_alarm"])
    for r in results:
        print(f"{r['name']}: {r['mutants']} mutants, {r['killed']} killed, {r['equivalent']} equivalent, "
              f"{len(r['survivors'])} survived, {r['invalid']} ill-typed (skipped)"
              + (f", FALSE ALARM at step {r['false_alarm']}" if r["false_alarm"] else ""))
        for label, op, desc, verdict, why in r["survivors"]:
            print(f"  survivor: step {label} [{op}] {desc}: {verdict} ({why})")
        for label, desc, err in r.get("crashes", []):
            print(f"  not checkable: step {label} [{desc}]: {err}")
        for label, desc, got in r["mislocated"]:
            print(f"  mislocated: step {label} [{desc}]: first wrong step reported {got}")
    mutated = total - equivalent
    located = sum(r["located"] for r in results)
    acc_err = located / mutated if mutated else 1.0
    acc_ok = (len(results) - false_alarms) / len(results) if results else 1.0
    f1 = 2 * acc_err * acc_ok / (acc_err + acc_ok) if acc_err + acc_ok else 0.0
    rate = 100.0 * killed / mutated if mutated else 100.0
    print(f"accuracy on mutated derivations: {acc_err:.4f}; on unmutated derivations: {acc_ok:.4f}; "
          f"{time.perf_counter() - t0:.1f} s")
    print(f"mutants: {total}, killed: {killed}, equivalent: {equivalent}, survived: {survived}, "
          f"kill rate: {rate:.1f}%, false alarms: {false_alarms}, first-error F1: {f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
