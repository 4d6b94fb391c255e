"""Random instances that respect the declarations.

Dimensions cycle through size plans (all ones, small and non-square, larger);
scalars respect their intervals; matrices their kinds; functions are drawn
from a family that respects their stated properties (``|f'| <= bound``);
hypotheses are met by rejection, with matrices rescaled between tries.
Vectors declared with bounded entries (``positive``, ``entries=``,
``probability``) and entries bounded by a hypothesis with a free index
(``Entry(x, j) > 0`` for every ``j``) are drawn inside their bounds
(:mod:`symbolic.model.entrywise`); :meth:`Sampler.satisfies` checks a hypothesis with
a free index at every value of the index.

>>> from symbolic import Derivation
>>> d = Derivation("demo"); n = d.dim("n"); W = d.matrix("W", n, n, kinds=["symmetric"])
>>> inst = Sampler(d, seed=0).instance(1)
>>> A = inst.values[W]; bool((A == A.T).all())
True
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from sympy.core.function import AppliedUndef

from ..model import entrywise
from ..algebra import largescale
from ..algebra.evaluate import F64, Backend, EvalError, Instance, evaluate, size
from ..algebra.nodes import SeqTerm
from ..model.kinds import draw_matrix
from ..model.declarations import DimDecl, FunctionDecl, IndexDecl, MatrixDecl, ScalarDecl, SequenceDecl

SIZE_PLANS = ((1,), (2, 3, 4, 5), (3, 2, 5, 4), (4, 5, 3, 6), (6, 4, 7, 5))


def _rng(seed: int, *parts) -> np.random.Generator:
    h = hashlib.sha256(repr((seed,) + parts).encode()).digest()
    return np.random.default_rng(int.from_bytes(h[:8], "little"))


@dataclass(frozen=True)
class FunctionSpec:
    """A concrete member of a function family: ``scale * base(x)``."""

    base: str
    scale: float

    def __call__(self, x, b: Backend):
        s = b.num(self.scale)
        if self.base == "tanh":
            return s * b.fn("tanh")(x)
        if self.base == "sin":
            return s * b.fn("sin")(x)
        if self.base == "linear":
            return s * x
        if self.base == "atan":
            return s * b.fn("atan")(x)
        if self.base == "relu":
            if isinstance(x, np.ndarray) and not b.mp:
                return np.where(x > 0, x, 0.0)
            return x if x > 0 else b.num(0)
        if self.base == "exp":
            return b.fn("exp")(x)
        if self.base == "softplus":  # convex (concave with a negative scale), as are square and cosh
            return s * b.fn("log")(1 + b.fn("exp")(x))
        if self.base == "square":
            return s * x * x
        if self.base == "cosh":
            return s * b.fn("cosh")(x)
        raise EvalError(f"unknown function family {self.base}")

    def prime(self, x, b: Backend):
        s = b.num(self.scale)
        if self.base == "tanh":
            return s * (1 - b.fn("tanh")(x) ** 2)
        if self.base == "sin":
            return s * b.fn("cos")(x)
        if self.base == "linear":
            return s + 0 * x
        if self.base == "atan":
            return s / (1 + x * x)
        if self.base == "relu":
            if isinstance(x, np.ndarray) and not b.mp:
                return np.where(x > 0, 1.0, 0.0)
            return b.num(1 if x > 0 else 0)
        if self.base == "exp":
            return b.fn("exp")(x)
        if self.base == "softplus":
            return s / (1 + b.fn("exp")(-x))
        if self.base == "square":
            return 2 * s * x
        if self.base == "cosh":
            return s * b.fn("sinh")(x)
        raise EvalError(f"unknown function family {self.base}")

    def describe(self) -> str:
        if self.base == "relu":
            return "max(x, 0)"
        if self.base == "exp":
            return "exp(x)"
        if self.base == "linear":
            return f"{self.scale:g}*x"
        return f"{self.scale:g}*{self.base}(x)"


class Sampler:
    """Draw instance ``k`` of a derivation's declarations, deterministically from the seed."""

    def __init__(self, derivation, seed: int = 0, max_tries: int = 60, *, stress: bool = False) -> None:
        self.d = derivation
        self.seed = seed
        self.max_tries = max_tries
        self.stress = stress  # every third instance: extreme magnitudes, near-singular matrices, interval ends
        self._quantified: dict = {}  # hypothesis -> the declared indices it holds for every value of
        self._found = 0  # instances drawn that satisfy the hypotheses
        self._hopeless = 0  # calls that found none in max_tries draws

    def state(self) -> tuple[int, int]:
        """What earlier draws leave behind for the next ones (instances found, draws that found none).

        >>> from symbolic import Derivation
        >>> d = Derivation("demo"); _ = d.scalar("x"); s = Sampler(d)
        >>> mark = s.state(); _ = s.instance(0); s.state() != mark
        True
        >>> s.restore(mark); s.state() == mark
        True
        """
        return self._found, self._hopeless

    def restore(self, state: tuple[int, int]) -> None:
        """Set back what :meth:`state` returned: as if the draws since had not been made."""
        self._found, self._hopeless = state

    def instance(self, k: int, *, plan: int | None = None, overrides: dict | None = None,
                 scale: float = 1.0) -> Instance:
        plan = k % len(SIZE_PLANS) if plan is None else plan
        if self._found == 0 and self._hopeless >= 3:  # hypotheses no draw meets (a < 1 and a > 1): stop early
            raise EvalError(f"could not draw an instance that satisfies the hypotheses after {self.max_tries} "
                            f"tries, {self._hopeless} times in a row")
        for attempt in range(self.max_tries):
            # sizes that cannot meet a hypothesis on dimensions: move on to the next size plan
            inst = self._draw(k, attempt, (plan + attempt // 20) % len(SIZE_PLANS), scale)
            if overrides:
                inst = inst.with_values(overrides)
            if self.satisfies(inst):
                self._found += 1
                return inst
        self._hopeless += 1
        raise EvalError("could not draw an instance that satisfies the hypotheses "
                        f"after {self.max_tries} tries")

    def satisfies(self, inst: Instance) -> bool:
        """Hypotheses hold, indices stay in their ranges, functions respect their derivative bounds,
        vectors their declared entries; a hypothesis with a free index holds at every value of the index."""
        from ..algebra.evaluate import _truth

        for decl in self.d.decls.values():
            if isinstance(decl, IndexDecl) and decl.symbol in inst.values:
                v = int(round(float(inst.values[decl.symbol])))
                if v < decl.lower:
                    return False
                if decl.upper is not None and v > float(evaluate(decl.upper, inst)):
                    return False

        for decl in self.d.decls.values():
            if isinstance(decl, FunctionDecl) and decl.derivative_bound is not None and decl.name in inst.describe:
                try:
                    bound = float(evaluate(decl.derivative_bound, inst))
                except (EvalError, ArithmeticError, ValueError, TypeError):
                    return False
                if _spec_scale(inst.describe[decl.name]) > bound * (1 + 1e-12):
                    return False
        for decl in self.d.decls.values():
            if isinstance(decl, MatrixDecl) and decl.symbol in inst.values and not decl.admits(inst.values[decl.symbol]):
                return False
        for _, rel in self.d.hypotheses:
            if rel not in self._quantified:
                self._quantified[rel] = entrywise.quantified_indices(rel, self.d.decls)
            try:
                if self._quantified[rel]:
                    if not entrywise.holds_for_every_index(rel, self._quantified[rel], inst, _truth):
                        return False
                elif not _truth(rel, inst):
                    return False
            except (EvalError, ArithmeticError, ValueError, TypeError):
                return False
        for _, rel in getattr(self.d, "cases", ()):  # a case: of the drawn values as they are, never quantified
            try:
                if not _truth(rel, inst):
                    return False
            except (EvalError, ArithmeticError, ValueError, TypeError):
                return False
        return True

    def _draw(self, k: int, attempt: int, plan: int, scale: float) -> Instance:
        rng = _rng(self.seed, self.d.name, k, attempt)
        values: dict = {}
        functions: dict = {}
        describe: dict = {}
        sizes = SIZE_PLANS[plan]
        dims = [d for d in self.d.decls.values() if isinstance(d, DimDecl)]
        for i, d in enumerate(dims):
            values[d.symbol] = sizes[i % len(sizes)] if len(sizes) > 1 else 1
        # shrink matrices between attempts so that norm hypotheses can be met
        mscale = scale * (0.6 ** attempt if attempt < 12 else float(rng.uniform(0.01, 1)))
        hard = self.stress and k % 3 == 2
        if hard:
            mscale *= float(10.0 ** rng.choice([-4, -2, 2, 4]))
        for d in self.d.decls.values():
            if isinstance(d, ScalarDecl):
                values[d.symbol] = _draw_hard_scalar(d, rng) if hard else _draw_scalar(d, rng)
            elif isinstance(d, IndexDecl):
                hi = d.lower + d.upper_sample
                if d.upper is not None:
                    hi = min(hi, int(round(float(evaluate(d.upper, Instance(values))))))
                values[d.symbol] = int(rng.integers(d.lower, max(hi, d.lower) + 1))
        for d in self.d.decls.values():
            if isinstance(d, MatrixDecl):
                r = int(round(float(evaluate(d.shape[0], Instance(values)))))
                c = int(round(float(evaluate(d.shape[1], Instance(values)))))
                values[d.symbol] = draw_matrix(d, r, c, rng, mscale, near_singular=hard)
            elif isinstance(d, FunctionDecl):
                spec = _draw_function(d, rng, values)
                functions[d.name] = spec
                functions[d.prime_name] = spec.prime
                describe[d.name] = spec.describe()
        # declared entry bounds, and hypotheses Entry(x, j) > c for every j: met by construction (own stream)
        entrywise.draw_constrained(values, self.d, _rng(self.seed, self.d.name, k, attempt, "entries"), mscale, hard)
        inst = Instance(values, {k2: (v if not isinstance(v, FunctionSpec) else v.__call__) for k2, v in functions.items()},
                        {}, F64, {}, describe)
        # an index declared without an upper bound may fall outside a vector: that instance is not admissible
        inst.memo[("unbounded",)] = frozenset(d.symbol for d in self.d.decls.values()
                                             if isinstance(d, IndexDecl) and d.upper is None)
        for d in self.d.decls.values():
            if isinstance(d, SequenceDecl):
                inst.sequences[d.name] = _SequenceValues(d, self.seed, self.d.name, k, attempt, mscale)
        return inst


def _draw_scalar(d: ScalarDecl, rng) -> float:
    if d.integer:
        lo = int(np.ceil(d.lower)) if d.lower is not None else -3
        hi = int(np.floor(d.upper)) if d.upper is not None else lo + 6
        for _ in range(20):
            v = int(rng.integers(lo, hi + 1))
            if d.contains(v):
                return v
        return lo
    for _ in range(100):
        if d.lower is not None and d.upper is not None:
            v = float(rng.uniform(d.lower, d.upper))
        elif d.lower is not None:
            v = d.lower + float(np.exp(rng.uniform(np.log(0.05), np.log(5))))
        elif d.upper is not None:
            v = d.upper - float(np.exp(rng.uniform(np.log(0.05), np.log(5))))
        else:
            v = float(rng.normal() * 2)
        if d.contains(v):
            return v
    raise EvalError(f"could not draw a value for {d.name}")


def _draw_hard_scalar(d: ScalarDecl, rng) -> float:
    """Extreme but admissible: huge or tiny magnitudes, or right next to an interval's end."""
    if d.integer:
        return _draw_scalar(d, rng)
    for _ in range(50):
        if d.lower is not None and d.upper is not None:
            width = d.upper - d.lower
            v = d.lower + width * 1e-6 if rng.random() < 0.5 else d.upper - width * 1e-6
        else:
            mag = float(10.0 ** rng.uniform(-4, 4))
            v = mag if (d.lower is not None and d.lower >= 0) or rng.random() < 0.5 else -mag
            if d.upper is not None and d.upper <= 0:
                v = -abs(v)
        if d.contains(v):
            return v
    return _draw_scalar(d, rng)


def _draw_function(d: FunctionDecl, rng, values) -> FunctionSpec:
    if d.kind == "relu":
        return FunctionSpec("relu", 1.0)
    if d.kind == "exp":
        return FunctionSpec("exp", 1.0)
    if d.kind in ("convex", "concave"):  # a convex family member, negated for a concave function
        base = ("softplus", "square", "cosh")[int(rng.integers(0, 3))]
        scale = float(rng.uniform(0.2, 1.5))
        return FunctionSpec(base, scale if d.kind == "convex" else -scale)
    bound = None
    if d.derivative_bound is not None:
        bound = float(evaluate(d.derivative_bound, Instance(values)))
    base = ("tanh", "sin", "atan", "linear")[int(rng.integers(0, 4))]
    scale = float(rng.uniform(0.2, 1.0)) * (bound if bound is not None else 1.5)
    return FunctionSpec(base, scale)


class _SequenceValues:
    """Terms of one sequence: free terms drawn per index, recurrences iterated."""

    def __init__(self, d: SequenceDecl, seed: int, dname: str, k: int, attempt: int, scale: float) -> None:
        self.d = d
        self.key = (seed, dname, d.name, k, attempt)
        self.scale = scale
        self._draws: dict = {}  # free terms, shared by every instance derived from this one (read-only arrays)

    def _free(self, idx: int, inst: Instance):
        if self.d.is_vector:
            r = size(self.d.rows, inst, evaluate)
            bnd = float(evaluate(self.d.bound, inst)) if self.d.bound is not None else None
            v = self._draws.get((idx, r, bnd))
            if v is None:
                v = _rng(*self.key, idx).normal(size=(r, 1)) * self.scale
                if bnd is not None:
                    v = np.clip(v, -bnd, bnd)
                v.setflags(write=False)
                self._draws[idx, r, bnd] = v
            return inst.backend.array(v) if inst.backend.mp else v
        v = self._draws.get(idx)
        if v is None:
            v = self._draws[idx] = float(_rng(*self.key, idx).normal())
        return inst.backend.num(v)

    def _key(self, idx: int):
        return self.d.term(idx)

    def _explicit(self, inst: Instance) -> set:
        """Indices at which the instance gives this sequence's term explicitly (a scan, no sympy objects built)."""
        out = set()
        for k in inst.values:
            if isinstance(k, SeqTerm):
                name, index = k.name.name, k.index
            elif isinstance(k, AppliedUndef) and len(k.args) == 1:
                name, index = type(k).__name__, k.args[0]
            else:
                continue
            if name == self.d.name and index.is_Integer:
                out.add(int(index))
        return out

    def __call__(self, idx: int, inst: Instance):
        d = self.d
        inst.memo[("used", d.name, idx)] = True
        memo_key = ("seq", d.name, idx)
        if memo_key in inst.memo:  # only computed terms are remembered, and a memo never outlives its values
            return inst.memo[memo_key]
        explicit = self._explicit(inst)
        if idx in explicit:
            return inst.values[self._key(idx)]
        if d.step is None:
            val = self._free(idx, inst)
        elif idx < d.start:
            raise EvalError(f"sequence {d.name} has no term at index {idx} (it starts at {d.start})")
        elif idx == d.start:
            val = evaluate(d.initial, inst) if d.initial is not None else self._free(idx, inst)
        else:
            if idx - d.start > 100000:
                raise EvalError("recurrence unrolled past 100000 terms")
            # iterate from the latest known term; an explicit value at any index wins
            last = idx - 1
            while last > d.start and ("seq", d.name, last) not in inst.memo and last not in explicit:
                last -= 1
            prev = self(last, inst)
            sub = inst.with_values({}, share_memo=True)  # one child, previous term and index updated in place
            if not any(last < j <= idx for j in explicit):
                ks = np.arange(last + 1, idx + 1, dtype=float)
                run = largescale.recurrence(d.step, d.prev, d.index, sub, prev, ks, evaluate)
                if run is not None:  # a long run of a simple recurrence: its forcing terms in one batch
                    for j, v in zip(range(last + 1, idx + 1), run):
                        inst.memo[("seq", d.name, j)] = v
                    inst.memo[memo_key] = run[-1]
                    return run[-1]
            for j in range(last + 1, idx + 1):
                if j in explicit:
                    prev = inst.values[self._key(j)]
                else:
                    sub.values[d.prev] = prev
                    sub.values[d.index] = inst.backend.num(j)
                    prev = evaluate(d.step, sub)
                inst.memo[("seq", d.name, j)] = prev
            val = prev
        inst.memo[memo_key] = val
        return val


def to_backend(inst: Instance, backend: Backend) -> Instance:
    """The same instance with every value converted to ``backend``'s numbers."""
    vals = {}
    for k, v in inst.values.items():
        if isinstance(v, np.ndarray):
            vals[k] = backend.array(v.tolist()) if backend.mp else np.asarray(v, dtype=float)
        elif isinstance(v, (int, np.integer)) and not isinstance(v, bool):
            vals[k] = v if not backend.mp else backend.num(int(v))
        else:
            vals[k] = backend.num(v)
    out = Instance(vals, inst.functions, inst.sequences, backend, {k: v for k, v in inst.memo.items() if k == ("unbounded",)}, inst.describe)
    return out


def _spec_scale(describe: str) -> float:
    """The largest |f'| of a family member described as ``"0.5*tanh(x)"`` (every base has |base'| <= 1)."""
    head = describe.split("*")[0]
    try:
        return float(head)
    except ValueError:
        return 1.0
