"""What a user would do without stepcheck: ``sympy.simplify(lhs - rhs) == 0`` on each correct step.

Every equality step of every corrected built-in derivation, with its
definitions substituted (as a user would by hand), at one fixed small size
(every dimension 3, matrices made explicit where sympy can).  Prints how many
steps sympy settles and the time it takes.  Used by ``bench/speed.py``.
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PER_STEP = 20.0  # seconds sympy may spend on one step before we give up on it


def _alarm(*_):
    raise TimeoutError


def steps():
    from derivations import get, names
    from symbolic.algebra.rewrite import substitute
    from symbolic.model.declarations import DimDecl
    from symbolic.model.derivation import Derivation

    for n in names():
        d = get(n)
        if not n.endswith("_corrected") or not isinstance(d, Derivation):
            continue
        dims = {x.symbol: 3 for x in d.decls.values() if isinstance(x, DimDecl)}
        for s in d.steps:
            if s.kind in ("chain", "claim") and s.relation == "=":
                yield n, s.label, substitute(s.lhs, d.definitions).xreplace(dims), substitute(s.rhs, d.definitions).xreplace(dims)


def main() -> int:
    import sympy

    signal.signal(signal.SIGALRM, _alarm)
    t0 = time.perf_counter()
    settled = failed = 0
    for name, label, lhs, rhs in steps():
        signal.setitimer(signal.ITIMER_REAL, PER_STEP)
        try:
            diff = lhs - rhs
            if hasattr(diff, "as_explicit"):
                diff = diff.as_explicit()
            ok = sympy.simplify(diff) == 0 or sympy.simplify(diff) == sympy.zeros(*getattr(diff, "shape", (1, 1)))
        except Exception:  # a plain-sympy user gets an exception, a timeout or no answer
            ok = False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        settled += bool(ok)
        failed += not ok
    print(f"baseline: {settled} steps simplified to zero, {failed} not, {time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
