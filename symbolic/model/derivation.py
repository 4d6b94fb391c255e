"""Writing a derivation the way it stands on paper.

>>> from symbolic import Derivation
>>> d = Derivation("square_of_sum")
>>> a, b = d.scalar("a"), d.scalar("b")
>>> _ = d.start((a + b)**2).eq(a**2 + 2*a*b + b**2, "1", why="expand")
>>> [s.label for s in d.steps]
['1']
"""

from __future__ import annotations

import contextlib
from typing import Any, Mapping

from ..algebra import sp
from .declarations import SequenceHandle, constant_hypothesis
from ..algebra.depth import shorten
from ..budget import budget, remaining
from .declare import Declaring
from ..exceptions import BudgetExceeded, InvalidInputError
from .steps import REVIEW_VERSIONS, Source, Step, check_relation, check_same_shape, freeze, strict

_FLIP = {"<=": ">=", ">=": "<=", "<": ">", ">": "<", "=": "="}


class Derivation(Declaring):
    """A derivation: declarations, hypotheses, definitions and steps.

    The declaration methods (``dim``, ``scalar``, ``index``, ``matrix``, ``vector``,
    ``random_vector``, ``function``, ``sequence``) come from :class:`~symbolic.model.declare.Declaring`.

    ``review=True`` marks a submission under review: its findings are
    reported without failing the command line's exit status.
    """

    def __init__(
        self,
        name: str,
        *,
        statement: str = "",
        source: Source | None = None,
        review: bool | None = None,
        budget: float = 30.0,
    ) -> None:
        if not name or not all(c.isalnum() or c in "_-." for c in name):
            raise InvalidInputError(f'Invalid derivation name "{name}": use letters, digits, "_", "-" or "."')
        self.name = name
        self.statement = statement
        self.source = source or Source(version="example")
        self.review = (self.source.version in REVIEW_VERSIONS) if review is None else review
        self.budget = budget
        self.decls: dict[str, Any] = {}
        self.hypotheses: list[tuple[str, Any]] = []
        self.cases: list[tuple[str, Any]] = []  # relations every instance satisfies as drawn (see suppose)
        self.definitions: list[tuple[Any, Any]] = []
        self.lemmas: list["Derivation"] = []
        self.moments: dict = {}
        self.steps: list[Step] = []
        self._current: Any = None
        self._current_eq: Any = None
        self._labels: set[str] = set()
        self._handles: dict[str, Any] = {}

    # -- hypotheses, definitions, lemmas ---------------------------------
    def assume(self, relation, *, name: str = "") -> "Derivation":
        """State a hypothesis, e.g. ``d.assume(LambdaMax(W.T*W) <= delta**2/gamma**2)``.

        Hypotheses restrict the random instances and feed the lemma prover.  A declared index that
        is free in the hypothesis (no ``Sum`` binds it) and subscripts an entry, as in
        ``d.assume(Entry(x, j) > 0)``, is quantified: the hypothesis holds for every value of ``j``
        in its range (``lower..upper``; an index without ``upper``: ``lower..lower + upper_sample``,
        within the vector), for the sampler, its counterexamples and the prover alike.  An index used
        only as a number (``d.assume(t >= 1)``) restricts the drawn value of ``t``.
        """
        label = f"hypothesis {name or len(self.hypotheses) + 1}"
        text = relation if isinstance(relation, str) else None
        if text is not None:
            relation = self.parse(text, label)
        if isinstance(relation, bool) or relation in (sp.true, sp.false):
            raise InvalidInputError(constant_hypothesis(relation, self.decls, text), derivation=self.name,
                                    step=label)
        if not isinstance(relation, (sp.Rel, sp.Ne)):
            raise InvalidInputError("a hypothesis must be a relation such as a <= b or sp.Ne(a, b), got "
                                    f"{shorten(repr(relation))}", derivation=self.name, step=label)
        self.hypotheses.append((name or f"H{len(self.hypotheses) + 1}", relation))
        return self

    def suppose(self, relation, *, name: str = "") -> "Derivation":
        """State a case the steps hold under, e.g. ``d.suppose(sp.Ne(k, y))`` ("for k \\neq y").

        Like a hypothesis it restricts the random instances (a counterexample satisfies it) and feeds the
        prover; unlike one, a free index is never quantified: ``d.suppose(Entry(h, j) > 0)`` speaks of
        the drawn ``j`` only, the one the steps use ("for h_j > 0, dL/dh_j = ...").

        >>> d = Derivation("d"); k, y = d.index("k"), d.index("y")
        >>> d.suppose(sp.Ne(k, y)).cases
        [('C1', Ne(k, y))]
        """
        label = f"case {name or len(self.cases) + 1}"
        if isinstance(relation, bool) or relation in (sp.true, sp.false):
            raise InvalidInputError(constant_hypothesis(relation, self.decls, None), derivation=self.name, step=label)
        if not isinstance(relation, (sp.Rel, sp.Ne)):
            raise InvalidInputError(f"a case must be a relation, got {shorten(repr(relation))}", derivation=self.name,
                                    step=label)
        self.cases.append((name or f"C{len(self.cases) + 1}", relation))
        return self

    def define(self, symbol, expr) -> "Derivation":
        """Define ``symbol := expr``; every check substitutes it."""
        symbol = self._expr(symbol, "definition")
        expr = self._expr(expr, f"definition of {symbol}")
        check_same_shape(symbol, expr, self.name, f"definition of {symbol}", str(symbol))
        head = symbol.func if isinstance(symbol, sp.core.function.AppliedUndef) else None
        if expr.has(symbol) or (head is not None and any(isinstance(a, sp.core.function.AppliedUndef)
                                                         and a.func == head for a in sp.preorder_traversal(expr))):
            raise InvalidInputError("a definition refers to itself; for a recurrence declare "
                                    "d.sequence(..., recurrence=...) instead",
                                    derivation=self.name, step=f"definition of {symbol}", symbol=str(symbol))
        self.definitions.append((symbol, expr))
        return self

    def cite(self, lemma: "Derivation") -> "Derivation":
        """Cite an earlier derivation: its conclusion becomes a rewrite rule."""
        self.lemmas.append(lemma)
        return self

    # -- steps ----------------------------------------------------------
    def start(self, expr) -> "Derivation":
        """Start a chain at ``expr``; the next steps relate to it."""
        self._current = self._expr(expr, "start")
        return self

    def parse(self, text: str, label: str | None = None):
        """Parse expression text in terms of the declared names (safely: no eval).

        >>> d = Derivation("d"); x = d.scalar("x")
        >>> d.parse("x**2 + 1")
        x**2 + 1
        """
        from ..algebra.parse import ParseError, ShapeMismatch, UndeclaredName, parse_expression

        names = {}
        for name, decl in self.decls.items():
            names[name] = getattr(decl, "symbol", None) or self._handles.get(name)
        # the bounds in parse_expression keep it short; a budget is the backstop (inside a check, the check's)
        guard = budget(self.budget) if remaining() == float("inf") else contextlib.nullcontext()
        try:
            with guard:
                return parse_expression(text, names)
        except BudgetExceeded:
            raise InvalidInputError(f"reading the expression took longer than the budget of {self.budget:g} s: "
                                    f'"{shorten(text)}"', derivation=self.name, step=label) from None
        except UndeclaredName as err:
            raise InvalidInputError(str(err), derivation=self.name, step=label, symbol=err.name) from None
        except ShapeMismatch as err:
            raise InvalidInputError(str(err), derivation=self.name, step=label,
                                    symbol=", ".join(err.symbols) or None) from None
        except ParseError as err:
            raise InvalidInputError(str(err), derivation=self.name, step=label) from None

    def _expr(self, expr, label):
        from ..algebra.shapes import ShapeProblem, check_shapes

        e = self.parse(expr, label) if isinstance(expr, str) else strict(expr)
        try:
            check_shapes(e)
        except ShapeProblem as err:
            raise InvalidInputError(f"shape mismatch: {err}", derivation=self.name, step=label,
                                    symbol=", ".join(err.symbols) or None) from None
        return e

    def _label(self, label) -> str:
        label = str(label)
        if label in self._labels:
            raise InvalidInputError("step label used twice", derivation=self.name, step=label)
        self._labels.add(label)
        return label

    def step(self, relation: str, expr, label, *, why: str = "", rule: str | None = None,
             budget: float | None = None, **options) -> "Derivation":
        """Add a chain step ``previous relation expr``."""
        if relation not in ("=", "<=", "<", ">=", ">"):
            raise InvalidInputError(f'Unknown relation "{relation}"; expected one of =, <=, <, >=, >',
                                    derivation=self.name, step=str(label))
        if self._current is None:
            raise InvalidInputError("a chain step needs start(expr) first", derivation=self.name, step=str(label))
        expr = self._expr(expr, str(label))
        label = self._label(label)
        check_relation(self._current, relation, expr, self.name, label)
        self.steps.append(Step(label, "chain", relation, self._current, expr, why, rule,
                               tuple(sorted(options.items())), budget))
        self._current = expr
        return self

    def eq(self, expr, label, **kw) -> "Derivation":
        """Chain step ``previous = expr``."""
        return self.step("=", expr, label, **kw)

    def le(self, expr, label, **kw) -> "Derivation":
        """Chain step ``previous <= expr``."""
        return self.step("<=", expr, label, **kw)

    def lt(self, expr, label, **kw) -> "Derivation":
        """Chain step ``previous < expr``."""
        return self.step("<", expr, label, **kw)

    def ge(self, expr, label, **kw) -> "Derivation":
        """Chain step ``previous >= expr``."""
        return self.step(">=", expr, label, **kw)

    def gt(self, expr, label, **kw) -> "Derivation":
        """Chain step ``previous > expr``."""
        return self.step(">", expr, label, **kw)

    def claim(self, lhs, relation: str, rhs, label, *, why: str = "", rule: str | None = None,
              budget: float | None = None, **options) -> "Derivation":
        """A standalone statement ``lhs relation rhs``, for all admissible values."""
        if relation not in ("=", "<=", "<", ">=", ">"):
            raise InvalidInputError(f'Unknown relation "{relation}"; expected one of =, <=, <, >=, >',
                                    derivation=self.name, step=str(label))
        lhs, rhs = self._expr(lhs, str(label)), self._expr(rhs, str(label))
        label = self._label(label)
        check_relation(lhs, relation, rhs, self.name, label)
        self.steps.append(Step(label, "claim", relation, lhs, rhs, why, rule,
                               tuple(sorted(options.items())), budget))
        self._current = rhs
        return self

    def argmin(self, objective, variable, minimizer, label, *, why: str = "", budget: float | None = None) -> "Derivation":
        """Claim ``argmin_variable objective = minimizer``: checked as ``f(minimizer) <= f(variable)`` for all values.

        A point that does better refutes it; a vanishing gradient at the minimizer and a positive
        semidefinite Hessian prove it (:mod:`symbolic.checks.optimality`).

        >>> d = Derivation("d"); x, c = d.scalar("x"), d.scalar("c")
        >>> _ = d.argmin((x - c)**2, x, c, "1")
        >>> d.steps[0].relation, d.steps[0].rule
        ('<=', 'argmin')
        """
        f, w, w_star = (self._expr(e, str(label)) for e in (objective, variable, minimizer))
        if not (isinstance(w, (sp.Symbol, sp.MatrixSymbol)) and w.name in self.decls):
            raise InvalidInputError(f"the variable of an argmin must be a declared scalar or vector, got {w}",
                                    derivation=self.name, step=str(label))
        check_same_shape(w, w_star, self.name, str(label))
        if getattr(f, "shape", (1, 1)) != (1, 1):
            raise InvalidInputError(f"the objective of an argmin must be a scalar, got shape {f.shape}",
                                    derivation=self.name, step=str(label))
        return self.claim(f.xreplace({w: w_star}), "<=", f, label, why=why or f"argmin over {w}", rule="argmin",
                          budget=budget, argmin=w, minimizer=w_star)

    def equation(self, lhs, rhs) -> "Derivation":
        """Start a chain of equations at ``lhs = rhs`` (a premise, not checked)."""
        lhs, rhs = self._expr(lhs, "equation"), self._expr(rhs, "equation")
        check_same_shape(lhs, rhs, self.name, "equation")
        self._current_eq = (lhs, rhs)
        return self

    def implies(self, lhs, rhs, label, *, unknown, why: str = "", rule: str | None = None,
                budget: float | None = None) -> "Derivation":
        """Equation ``lhs = rhs`` follows from the previous equation, solved for ``unknown``."""
        if self._current_eq is None:
            raise InvalidInputError("implies() needs equation(lhs, rhs) first", derivation=self.name, step=str(label))
        label = self._label(label)
        new = (self._expr(lhs, label), self._expr(rhs, label))
        self.steps.append(Step(label, "implies", "=>", self._current_eq, new, why, rule,
                               (("unknown", self._expr(unknown, label)),), budget))
        self._current_eq = new
        return self

    def induction(self, sequence: SequenceHandle, closed_form, label, *, why: str = "induction",
                  budget: float | None = None, check_up_to: int = 200) -> "Derivation":
        """Claim ``sequence(t) = closed_form`` for every t >= start, by induction on t."""
        decl = sequence.decl
        if decl.step is None:
            raise InvalidInputError("induction needs a sequence declared with a recurrence",
                                    derivation=self.name, step=str(label), symbol=decl.name)
        label = self._label(label)
        t = decl.index
        self.steps.append(Step(label, "induction", "=", sequence(t), self._expr(closed_form, label), why, "induction",
                               (("check_up_to", check_up_to), ("sequence", decl.name)), budget))
        return self

    def exists(self, lhs, relation: str, rhs, label, *, witness: Mapping[str, Any], why: str = "",
               budget: float | None = None) -> "Derivation":
        """Claim that some admissible values make ``lhs relation rhs`` true; ``witness`` gives them."""
        label = self._label(label)
        self.steps.append(Step(label, "exists", relation, self._expr(lhs, label), self._expr(rhs, label), why, "witness",
                               (("witness", tuple(sorted((k, freeze(v)) for k, v in witness.items()))),), budget))
        return self

    # -- conveniences ---------------------------------------------------
    def __repr__(self) -> str:
        src = self.source
        where = [x for x in (src.file, f"question {src.question}" if src.question else "", src.version) if x]
        return f"<Derivation {self.name}: {len(self.steps)} steps; {', '.join(where)}>"

    def _repr_latex_(self) -> str:
        from ..emit.notebook import derivation_latex

        return derivation_latex(self)

    def check(self, **kw):
        """Check every step; see :func:`symbolic.check`."""
        from ..verdicts.engine import check

        return check(self, **kw)

    def check_step(self, label: str, **kw):
        """Check the one step labelled ``label``."""
        from ..verdicts.engine import check_step

        return check_step(self, label, **kw)

    def replace_step(self, label: str, expr) -> "Derivation":
        """Change the expression of one chain step (and the next step's left side)."""
        for i, s in enumerate(self.steps):
            if s.label == label:
                new = self._expr(expr, label)
                self.steps[i] = Step(s.label, s.kind, s.relation, s.lhs, new, s.why, s.rule, s.options, s.budget)
                if i + 1 < len(self.steps) and self.steps[i + 1].kind == "chain" and s.kind == "chain":
                    n = self.steps[i + 1]
                    self.steps[i + 1] = Step(n.label, n.kind, n.relation, new, n.rhs, n.why, n.rule, n.options, n.budget)
                return self
        raise InvalidInputError("no such step", derivation=self.name, step=label)
