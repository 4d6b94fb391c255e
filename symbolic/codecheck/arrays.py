"""Code checks of array functions: probes of shape, value and side effects under both conventions.

The machinery every code check shares (inputs, probes, outcomes, shrinking,
the :class:`CodeCheck` itself) and :func:`array_check`, which builds the checks
of a snippet that computes arrays.  See :mod:`symbolic.codecheck`.

>>> relative_error(1.0, 1.0 + 1e-12) < 1e-11
True
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ..model.derivation import Source, Step
from ..model.results import Counterexample, DerivationResult, Evidence, StepResult, Verdict

CONVENTIONS = ("1-D", "column")
SIZE_PLANS = ((1,), (2, 3, 4, 5), (3, 2, 5, 4), (4, 5, 3, 6), (6, 4, 7, 5))
TOL = 1e-9
STYLES = ("ones", "alternate", "ternary", "normal", "normal", "normal")
METHOD = "running the code on random inputs"

Env = dict  # input name -> value in mathematical form (1-D vectors, 2-D matrices, ints); "dims" -> sizes


def complexity(x: float) -> float:
    """How simple a number is in a counterexample: 0, 1, -1, then integers, halves, the rest.

    >>> sorted([0.5, -1.0, 3.0, 1.0, 0.0, 0.1], key=complexity)
    [0.0, 1.0, -1.0, 3.0, 0.5, 0.1]
    """
    x = float(x)
    simple = (0.0, 1.0, -1.0)
    return simple.index(x) if x in simple else (3 if x == round(x) else 10 if 2 * x == round(2 * x) else 100) + abs(x)


@dataclass(frozen=True)
class Input:
    """One argument: ``dims`` names its sizes (``()`` scalar, ``("n",)`` vector, ``("r", "c")`` matrix).

    ``kind`` is ``normal``, ``nonneg``, ``nonzero`` (no entry 0, e.g. away from a kink),
    ``prob`` (a probability vector) or ``label`` (an integer below the size ``dims[0]``).

    >>> Input("y", ("m",), "label").draw(np.random.default_rng(0), {"m": 3}, "alternate")
    2
    """

    name: str
    dims: tuple = ()
    kind: str = "normal"

    def draw(self, rng, sizes: dict, style: str = "normal"):
        if self.kind == "label":
            top = sizes[self.dims[0]]
            return {"ones": 0, "alternate": top - 1}.get(style, int(rng.integers(0, top)))
        shape = tuple(sizes[d] for d in self.dims)
        v = {"ones": lambda: np.ones(shape),
             "alternate": lambda: np.resize(np.array([1.0, -1.0]), int(np.prod(shape))).reshape(shape),
             "ternary": lambda: rng.integers(-1, 2, size=shape).astype(float),
             }.get(style, lambda: rng.normal(size=shape))()
        if self.kind == "prob":
            return np.exp(v) / np.sum(np.exp(v))
        if self.kind == "nonzero":
            return np.where(v == 0, 1.0, v)
        return np.abs(v) if self.kind == "nonneg" else v

    def candidates(self, v) -> list:
        """Simpler whole values for shrinking, simplest first."""
        if self.kind == "label":
            return list(range(0, int(v)))
        if self.kind == "prob":
            n = np.size(v)
            return [c for c in [*np.eye(n), np.full(n, 1.0 / n)] if not np.array_equal(c, v)]
        cands = [np.zeros(np.shape(v))] * (self.kind != "nonzero") + [np.ones(np.shape(v))]
        return [c for c in cands if sum(map(complexity, c.ravel())) < sum(map(complexity, np.ravel(v)))]

    def entry_candidates(self, x: float) -> list:
        """Simpler values for one entry (none for labels and probability vectors)."""
        if self.kind in ("label", "prob"):
            return []
        out = [0.0, 1.0, -1.0, float(round(x)), round(2 * x) / 2]
        allowed = {"nonneg": lambda c: c >= 0, "nonzero": lambda c: c != 0}.get(self.kind, lambda c: True)
        return [c for c in dict.fromkeys(out) if complexity(c) < complexity(x) and allowed(c)]


@dataclass(frozen=True)
class Output:
    """One returned value and the names of its sizes."""

    name: str
    dims: tuple


@dataclass
class Outcome:
    """What one probe saw on one input."""

    ok: bool
    error: float = 0.0
    observed: Any = None
    expected: Any = None
    gap: str = ""


@dataclass(frozen=True)
class Probe:
    """One property of a snippet: ``run(env)`` judges it, ``code(env)`` reproduces it."""

    label: str
    why: str
    run: Callable[[Env], Outcome]
    code: Callable[[Env], str]
    convention: str = "1-D"
    tolerance: float | None = None  # the relative error a passing input may have; None: judged exactly


def in_convention(v, inp: Input, conv: str):
    """A fresh copy of ``v`` shaped for the convention (only vectors change).

    >>> in_convention(np.ones(2), Input("v", ("n",)), "column").shape
    (2, 1)
    """
    if inp.kind == "label" or not isinstance(v, np.ndarray):
        return v
    v = np.array(v, dtype=float, copy=True)
    if len(inp.dims) == 1:
        return v.reshape(-1, 1) if conv == "column" else v.reshape(-1)
    return v


def plain(v):
    """Plain numbers and nested lists (for counterexamples)."""
    if isinstance(v, (tuple, list)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v.tolist() if isinstance(v, (np.ndarray, np.generic)) else v


def literal(v) -> str:
    """Python source for a value: ``np.array([...])`` for arrays."""
    return f"np.array({v.tolist()!r})" if isinstance(v, np.ndarray) else repr(plain(v))


def relative_error(a, b) -> float:
    """``max|a - b| / max(1, max|b|)`` over entries of equal count.

    >>> relative_error([1.0, 2.0], [1.0, 4.0])
    0.5
    """
    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    if a.size == 0:
        return 0.0
    err = float(np.max(np.abs(a - b)) / max(1.0, float(np.max(np.abs(b)))))
    return err if np.isfinite(err) else float("inf")


def _raised(exc: BaseException) -> str:
    return f"raises {type(exc).__name__}: {exc}"


def _rng(*parts) -> np.random.Generator:
    h = hashlib.sha256(repr(parts).encode()).digest()
    return np.random.default_rng(int.from_bytes(h[:8], "little"))


class CodeCheck:
    """The probes of one snippet, reachable like a derivation: ``name``, ``source``, ``review``,
    ``statement``, ``steps`` (one per probe, kind ``code``) and ``check(seed=..., cache=...)``.

    ``snippet`` is the function under test and ``reference`` the mathematics it should
    implement; :meth:`source_text` and :meth:`reference_latex` display them.
    """

    def __init__(self, name: str, probes: Sequence[Probe], inputs: Sequence[Input], dims: Sequence[str], *,
                 snippet: Callable | None = None, reference: Callable | None = None, source: Source | None = None,
                 statement: str = "", review: bool | None = None, samples: int = 24) -> None:
        self.name, self.statement, self.samples = name, statement, samples
        self.probes, self.inputs, self.dims = list(probes), list(inputs), tuple(dims)
        self.snippet, self.reference = snippet, reference
        self.source = source or Source(version="example")
        self.review = (self.source.version == "submitted") if review is None else review
        self.budget = 10.0  # no ``decls``: that is how the report tells a code check from a derivation
        self.steps = [Step(p.label, "code", "=", None, None, p.why, "numeric code check") for p in self.probes]

    def __repr__(self) -> str:
        return f"<CodeCheck {self.name}: {len(self.probes)} probes, {self.source.question} {self.source.version}>"

    def source_text(self, which: str = "snippet") -> str:
        """The source text of the snippet (or of the reference), for display."""
        return inspect.getsource(self.snippet if which == "snippet" else self.reference)

    def reference_latex(self) -> str:
        """The reference rendered by latexify-py."""
        import latexify

        return str(latexify.get_latex(self.reference))

    def env(self, seed: int, k: int) -> Env:
        """Inputs number ``k``: sizes from plan ``k`` (cycled), values drawn deterministically from the seed."""
        plan = SIZE_PLANS[k % len(SIZE_PLANS)]
        return self._draw({d: plan[i % len(plan)] for i, d in enumerate(self.dims)}, _rng(seed, self.name, k), "normal")

    def _draw(self, sizes: dict, rng, style: str) -> Env:
        return {"dims": dict(sizes), **{i.name: i.draw(rng, sizes, style) for i in self.inputs}}

    def check(self, seed: int = 0, cache=None, samples: int | None = None, only=None) -> DerivationResult:
        """Run every probe (or those labelled in ``only``); ``cache`` is accepted and ignored (runs are fast)."""
        out = []
        for p in self.probes:
            if only is None or p.label in only:
                t0 = time.perf_counter()
                r = self.check_probe(p, seed, samples or self.samples)
                out.append(StepResult(r.label, r.relation, r.verdict, r.evidence, r.counterexample,
                                      seconds=time.perf_counter() - t0))
        return DerivationResult(self.name, tuple(out), seed, self.source)

    def check_probe(self, probe: Probe, seed: int = 0, samples: int = 24) -> StepResult:
        """CONFIRMED after ``samples`` passing inputs, or REFUTED at the first failure, shrunk."""
        worst = 0.0
        for k in range(samples):
            env = self.env(seed, k)
            o = probe.run(env)
            if not o.ok:
                small = self.shrink(probe, env, seed)
                o = probe.run(small)
                values = {i.name: plain(in_convention(small[i.name], i, probe.convention)) for i in self.inputs}
                ce = Counterexample(values=values, lhs=plain(o.observed),
                                    rhs=plain(o.expected), gap=o.gap, dims=dict(small["dims"]), code=probe.code(small))
                return StepResult(probe.label, "=", Verdict.REFUTED, Evidence(METHOD, notes=("shrunk",)),
                                  counterexample=ce)
            worst = max(worst, o.error)
        return StepResult(probe.label, "=", Verdict.CONFIRMED, Evidence(METHOD, samples, worst, ("numeric only",),
                                                                        probe.tolerance))

    def shrink(self, probe: Probe, env: Env, seed: int = 0) -> Env:
        """Smallest sizes first (simple values tried first), then simpler values, keeping the failure."""
        def fails(e: Env) -> bool:
            try:
                return not probe.run(e).ok
            except Exception:  # the reference cannot be evaluated there: not a counterexample
                return False

        best, current = env, sum(env["dims"].values())
        for combo in sorted(itertools.product(range(1, 4), repeat=len(self.dims)), key=lambda c: (sum(c), c)):
            if sum(combo) >= current:
                break
            sizes = dict(zip(self.dims, combo))
            hit = next((c for c in (self._draw(sizes, _rng(seed, self.name, "shrink", combo, i), s)
                                    for i, s in enumerate(STYLES)) if fails(c)), None)
            if hit is not None:
                best = hit
                break
        for _ in range(3):
            changed = False
            for inp in self.inputs:
                trials = ({**best, inp.name: c} for c in inp.candidates(best[inp.name]))
                trial = next((t for t in trials if fails(t)), None)
                if trial is not None:
                    best, changed = trial, True
                if not isinstance(best[inp.name], np.ndarray):
                    continue
                for idx in np.ndindex(best[inp.name].shape):
                    for c in inp.entry_candidates(float(best[inp.name][idx])):
                        nv = np.array(best[inp.name], dtype=float)
                        nv[idx] = c
                        if fails({**best, inp.name: nv}):
                            best, changed = {**best, inp.name: nv}, True
                            break
            if not changed:
                break
        return best


# -- array snippets ---------------------------------------------------------------------
def _call(fn: Callable, env: Env, inputs: Sequence[Input], conv: str):
    """Call ``fn`` with the inputs and sizes it names: ``(result, exception, args after, args before)``."""
    names = list(inspect.signature(fn).parameters)
    args = {i.name: in_convention(env[i.name], i, conv) for i in inputs if i.name in names}
    args.update({d: v for d, v in env["dims"].items() if d in names and d not in args})
    before = {k: np.array(v, copy=True) if isinstance(v, np.ndarray) else v for k, v in args.items()}
    try:
        return fn(**args), None, args, before
    except Exception as exc:  # the snippet's own failure is an observation
        return None, exc, args, before


def _expected(reference: Callable, env: Env, inputs, outputs, conv: str) -> list:
    res, exc, _, _ = _call(reference, env, inputs, "1-D")
    if exc is not None:
        raise exc
    out = []
    for o, r in zip(outputs, res if len(outputs) > 1 else (res,)):
        shape = tuple(env["dims"][d] for d in o.dims) + ((1,) if len(o.dims) == 1 and conv == "column" else ())
        out.append(np.asarray(r, dtype=float).reshape(shape))
    return out


def _judge(kind: str, snippet: Callable, reference: Callable, inputs, outputs, conv: str) -> Callable[[Env], Outcome]:
    """The ``shape``, ``value`` or ``effects`` judgement of ``snippet`` on one input."""
    def run(env: Env) -> Outcome:
        res, exc, args, before = _call(snippet, env, inputs, conv)
        if kind == "effects":
            changed = [k for k, v in args.items() if isinstance(v, np.ndarray) and not np.array_equal(v, before[k])]
            return Outcome(not changed, observed={k: args[k] for k in changed},
                           expected={k: before[k] for k in changed},
                           gap="; ".join(f"{k} is modified by the call" for k in changed))
        want = _expected(reference, env, inputs, outputs, conv)
        if exc is not None:
            return Outcome(False, observed=_raised(exc), expected=want, gap=_raised(exc))
        got = [res] if len(outputs) == 1 else list(res) if isinstance(res, tuple) and len(res) == len(outputs) else None
        if got is None:
            return Outcome(False, observed=repr(res), expected=want, gap="wrong number of outputs")
        if kind == "shape":
            shapes = [np.shape(g) for g in got]
            bad = [f"{o.name}: shape {s} instead of {w.shape}"
                   for o, s, w in zip(outputs, shapes, want) if s != w.shape]
            return Outcome(not bad, observed=[list(s) for s in shapes], expected=[list(w.shape) for w in want],
                           gap="; ".join(bad))
        errs = [relative_error(g, w) if np.size(g) == w.size else float("inf") for g, w in zip(got, want)]
        bad = [f"{o.name}: " + (f"{np.size(g)} entries instead of {w.size}" if e == float("inf")
                                else f"largest relative error {e:.3g}")
               for o, g, w, e in zip(outputs, got, want, errs) if e > TOL]
        return Outcome(not bad, max(errs), observed=got, expected=want, gap="; ".join(bad))
    return run


def _code(snippet: Callable, reference: Callable, inputs: Sequence[Input], outputs, conv: str, kind: str):
    """Source that reproduces a failure by calling the snippet on the counterexample."""
    def build(env: Env) -> str:
        ps = inspect.signature(snippet).parameters
        lines = ["import numpy as np", f"from {snippet.__module__} import {snippet.__name__}"]
        lines += [f"{i.name} = {literal(in_convention(env[i.name], i, conv))}" for i in inputs]
        arrays = [i.name for i in inputs if i.name in ps and i.kind != "label"]
        args = [f"{p}={p}" for p in ps if any(i.name == p for i in inputs)]
        args += [f"{d}={v}" for d, v in env["dims"].items() if d in ps and f"{d}={d}" not in args]
        call = f"out = {snippet.__name__}({', '.join(args)})"
        if kind == "effects":
            return "\n".join(lines + [f"{a}_before = {a}.copy()" for a in arrays] + [call]
                             + [f"print(np.array_equal({a}, {a}_before))  # False: modified" for a in arrays])
        want = _expected(reference, env, inputs, outputs, conv)
        want = want[0] if len(want) == 1 else tuple(want)
        if kind == "shape":
            shapes = want.shape if isinstance(want, np.ndarray) else tuple(w.shape for w in want)
            show = "np.shape(out)" if isinstance(want, np.ndarray) else "tuple(np.shape(o) for o in out)"
            return "\n".join(lines + [call, f"print({show})  # expected {shapes}"])
        return "\n".join(lines + [call, "print(out)", f"# expected (the reference): {plain(want)}"])
    return build


def array_check(name: str, snippet: Callable, reference: Callable, inputs: Sequence[Input], outputs: Sequence[Output],
                *, question: str, source: Source | None = None, statement: str = "", review: bool | None = None,
                samples: int = 24, conventions: Sequence[str] = CONVENTIONS) -> CodeCheck:
    """Probes of shape, value and side effects under each array convention.

    >>> c = array_check("demo_t", lambda v: v.T, lambda v: v, [Input("v", ("n",))], [Output("v", ("n",))], question="t")
    >>> c.check().verdicts()["t shape (column)"]
    'REFUTED'
    """
    dims = tuple(dict.fromkeys(d for x in (*inputs, *outputs) for d in x.dims))
    whats = {"shape": "shape of each output", "value": "value against the reference",
             "effects": "no input modified in place"}
    labels = {"shape": "shape", "value": "value", "effects": "inputs unchanged"}
    probes = [Probe(f"{question} {labels[k]} ({conv})", f"{whats[k]}, {conv} vectors",
                    _judge(k, snippet, reference, inputs, outputs, conv),
                    _code(snippet, reference, inputs, outputs, conv, k), conv, TOL if k == "value" else None)
              for conv in conventions for k in ("shape", "value", "effects")]
    return CodeCheck(name, probes, inputs, dims, snippet=snippet, reference=reference, source=source,
                     statement=statement, review=review, samples=samples)
