"""Speed: stepcheck against the cost of importing sympy, and against plain sympy.

All figures come from one run on one machine and are compared as ratios:

* floor: ``python -c "import sympy, numpy"``;
* cold / warm: ``stepcheck check`` over every built-in derivation with an empty
  verdict cache, then again with the cache filled;
* baseline: ``bench/baseline_sympy.py``, ``sympy.simplify(lhs - rhs) == 0`` on the
  same correct steps at one fixed small size;
* ``-j 2`` against ``-j 1`` (cold);
* a profile of a cold check, per derivation and per kind of check;
* scaling of the numeric checks in n and T: at n >= 64 they take the
  matrix-free routes of ``symbolic/algebra/largescale.py``.

The machine is noisy: cold runs are the best of two, each with its own empty
cache; warm runs and table cells the best of three.  A ``targets`` line says
which of issue 8's targets hold.

Run: ``python bench/speed.py [--quick]``.  Last line:
``floor: A s, cold: B s, warm: C s, baseline: D s, warm/floor: X, cold/baseline: Y``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def wall(cmd: list[str], env: dict | None = None, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t0)
    return best


STEPCHECK = [sys.executable, "-m", "symbolic", "check"]
COLD_REPEAT = 2  # this machine is noisy: every timing is the best of a few runs
CELL_REPEAT = 3

KINDS = {
    "symbolic": ("prove.py", "prove_equal"),
    "lemmas": ("lemmas.py", "prove_le"),
    "numeric": ("numeric.py", "sample_relation"),
    "inequality search": ("search.py", "search_violation"),
    "induction": ("induction.py", "check_induction"),
    "implication": ("implication.py", "check_implication"),
    "shrinking": ("shrink.py", "shrink"),
    "derivatives (sympy)": ("derivatives.py", "symbolic_derivative"),
}


def profile_breakdown() -> None:
    from derivations import all_derivations

    per_derivation = []
    prof = cProfile.Profile()
    for d in all_derivations():
        t0 = time.perf_counter()
        prof.enable()
        d.check(cache=False)
        prof.disable()
        per_derivation.append((time.perf_counter() - t0, d.name))
    stats = pstats.Stats(prof)
    cum = {}
    for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        for kind, (fname, fn) in KINDS.items():
            if file.endswith(fname) and func == fn:
                cum[kind] = cum.get(kind, 0.0) + ct
    print("cold check, slowest derivations (in-process, profiled):")
    for sec, name in sorted(per_derivation, reverse=True)[:10]:
        print(f"  {name:40s} {sec:6.2f} s")
    print("cumulative time per kind of check (nested kinds overlap):")
    for kind, sec in sorted(cum.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:22s} {sec:6.2f} s")


def scaling(quick: bool) -> float:
    """Print the scaling tables; return the slowest cell, in seconds."""
    import numpy as np

    from derivations import get
    from symbolic.algebra.evaluate import evaluate
    from symbolic.checks.context import CheckContext
    from symbolic.checks.sampling import FunctionSpec

    d = get("q1_2_vanishing_corrected")
    ctx = CheckContext.build(d, 0)
    step = next(s for s in d.steps if s.label == "9")  # ||prod diag(sigma') W|| <= prod ||diag(sigma') W||
    lhs, rhs = ctx.prepare(step.lhs), ctx.prepare(step.rhs)
    n_sym, T_sym = d.decls["n"].symbol, d.decls["T"].symbol
    ns = (8, 32, 128) if quick else (8, 32, 128, 512)
    Ts = (10, 100) if quick else (10, 100, 1000)
    tanh = FunctionSpec("tanh", 1.0)  # sigma = tanh: sigma' in (0, 1], neither side under- nor overflows
    base = ctx.sampler.instance(1, plan=1)
    base.functions.update({"sigma": tanh.__call__, "sigma'": tanh.prime})
    print(f"numeric check of the Jacobian-product bound (one instance, float64, both sides; best of {CELL_REPEAT}), seconds:")
    print("  n \\ T " + "".join(f"{T:>9d}" for T in Ts))
    table = {}
    for n in ns:
        for T in Ts:
            rng = np.random.default_rng(n * 7 + T)
            vals = {n_sym: n, T_sym: T, d.decls["W"].symbol: rng.normal(size=(n, n)) * 1.2 / np.sqrt(n),
                    d.decls["U"].symbol: rng.normal(size=(n, n)) / np.sqrt(n), d.decls["b"].symbol: rng.normal(size=(n, 1))}
            table[n, T] = float("inf")
            for _ in range(CELL_REPEAT):  # a fresh instance each time: nothing is remembered between runs
                inst = base.with_values(vals)
                t0 = time.perf_counter()
                a, c = evaluate(lhs, inst), evaluate(rhs, inst)
                table[n, T] = min(table[n, T], time.perf_counter() - t0)
            assert 0 < a <= c * (1 + 1e-9) < np.inf, (n, T, a, c)  # a real comparison, not 0 <= 0
        print(f"  {n:5d} " + "".join(f"{table[n, T]:9.3f}" for T in Ts))
    print(f"  slowest: {max(table.values()):.3f} s")
    print(f"  {_growth(table)}")
    slowest = max(table.values())
    m = get("q2_2_unrolled_corrected")
    ctx = CheckContext.build(m, 0)
    ind = next(s for s in m.steps if s.kind == "induction")
    t = m.decls[ind.option("sequence")].index
    print(f"unrolled moving average, closed form against the recurrence at index t (best of {CELL_REPEAT}), seconds:")
    for tv in ((100, 1000) if quick else (100, 1000, 10000)):
        best = float("inf")
        for _ in range(CELL_REPEAT):
            inst = ctx.sampler.instance(0).with_values({t: tv})
            t0 = time.perf_counter()
            a, c = evaluate(ind.lhs, inst), evaluate(ctx.prepare(ind.rhs), inst)
            best = min(best, time.perf_counter() - t0)
        print(f"  t = {tv:6d}: {best:.3f} s (|difference| {abs(float(a) - float(c)):.1e})")
        slowest = max(slowest, best)
    return slowest


def _growth(table: dict) -> str:
    """Local exponents: how the time grows between the two largest T (each n), and the two largest n (each T)."""
    import math

    ns = sorted({n for n, _ in table})
    Ts = sorted({T for _, T in table})
    t1, t2 = Ts[-2], Ts[-1]
    n1, n2 = ns[-2], ns[-1]
    in_T = ", ".join(f"n={n}: T^{math.log(table[n, t2] / table[n, t1]) / math.log(t2 / t1):.2f}" for n in ns)
    in_n = ", ".join(f"T={T}: n^{math.log(table[n2, T] / table[n1, T]) / math.log(n2 / n1):.2f}" for T in Ts)
    return f"growth from T={t1} to {t2}: {in_T}; from n={n1} to {n2}: {in_n}"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="smaller scaling table, no profile")
    a = p.parse_args(argv)
    floor = wall([sys.executable, "-c", "import sympy, numpy"], repeat=3)
    cold, cold_j2 = float("inf"), float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(COLD_REPEAT):  # each cold run with its own empty cache; the best counts
            cold = min(cold, wall(STEPCHECK, {"STEPCHECK_CACHE": f"{tmp}/j1-{r}"}))
            cold_j2 = min(cold_j2, wall(STEPCHECK + ["-j", "2"], {"STEPCHECK_CACHE": f"{tmp}/j2-{r}"}))
        warm = wall(STEPCHECK, {"STEPCHECK_CACHE": f"{tmp}/j1-0"}, repeat=3)
    baseline = wall([sys.executable, str(ROOT / "bench" / "baseline_sympy.py")])
    print(f"cold -j 1: {cold:.2f} s, cold -j 2: {cold_j2:.2f} s, speed-up {cold / cold_j2:.2f}x "
          f"(best of {COLD_REPEAT} each, interleaved)")
    if not a.quick:
        profile_breakdown()
    slowest = scaling(a.quick)
    checks = [("warm <= 2x floor", warm <= 2 * floor), ("cold <= baseline", cold <= baseline),
              ("-j 2 >= 1.6x", cold / cold_j2 >= 1.6), ("every scaling cell <= 1 s", slowest <= 1.0)]
    print("targets: " + ", ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in checks))
    print(f"floor: {floor:.2f} s, cold: {cold:.2f} s, warm: {warm:.2f} s, baseline: {baseline:.2f} s, "
          f"warm/floor: {warm / floor:.2f}, cold/baseline: {cold / baseline:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
