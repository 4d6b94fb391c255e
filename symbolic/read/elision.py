r"""Elided terms: ``a_1 + a_2 + \dots + a_n``, ``x_1 x_2 \cdots x_n``, ``(e^{o_1}, e^{o_2}, \dots, e^{o_m})``,
a column ``\begin{bmatrix} a_1 \\ \vdots \\ a_n \end{bmatrix}``.

The general term is inferred by anti-unification of the written terms: the terms just before the dots and the
term just after them must be one tree, except at some positions (the *indices*), where each holds an integer
expression that moves by a constant integer step from one written term to the next.

The rule, exactly:

* The *last* term is the one right after the dots; the *pattern* is the term right before them, extended to the
  left by every written term that differs from the last one only at the positions where the term before the
  dots does.  A term of the same tree shape that differs elsewhere makes the line ambiguous (UNREAD); a term of
  another shape ends the pattern and is an ordinary term of the sum (``b + a_1 + \dots + a_n``).
* With two or more pattern terms, each index has the step of its first two values, a nonzero integer, and every
  written value must follow it.  With one pattern term the step is unknown, and is taken as 1 only when every
  index of that term is an integer literal and no last value is a smaller number (``a_1 + \dots + a_n``,
  ``x_0 y_1 + \dots + x_{n-1} y_n``); otherwise the line is UNREAD ("write two terms before the dots").
* Every index must reach its last value after the same number N of steps, N at least the number of written
  pattern terms: N an integer, or a polynomial with integer coefficients (a step that does not divide the
  distance, two indices that disagree, a last term before the written ones: UNREAD).  All pattern terms of a
  sum carry one sign (an alternating sum is UNREAD).  Nothing after the dots (a series) is UNREAD.
* The general term is the pattern term with each index replaced by its affine expression of one fresh summation
  index (``i``, or the first letter the terms and the context do not use); it is built as ``\sum_{i=lo}^{hi}``
  (``\prod`` for factors) would build it, so a written-out sum equals its ``\sum`` form.  When N is a number
  (below 64), the terms are written out instead, each read as it would be if written (``a_1 + a_2 + \dots + a_4``
  is ``a_1 + a_2 + a_3 + a_4``).  A product of matrices keeps its written order (the first written factor
  leftmost: ``\frac{\partial g_T}{\partial g_{T-1}} \cdots \frac{\partial g_1}{\partial g_0}`` is the chain rule).
* A vector ``(a_1, a_2, \dots, a_n)`` (or a one-column matrix with ``\vdots``, a one-row matrix with ``\cdots``)
  must be made of the pattern only; it is a :class:`~symbolic.algebra.ops.stacked.Stacked` column (a
  matrix ``(..)`` when N is a number).  ``c (a_1, \dots, a_n)`` after an expression that is not a name is that
  expression times the vector; after a name (``f(x_1, \dots, x_n)``) it is UNREAD (a function of n arguments?).
* Not read, with the reason: an index inside a subscript of a subscript (``h_{s_1}``, which a sum would read as
  a term of a sequence s used as an index), an elision inside a subscript or superscript, a matrix elided in two
  directions (``\ddots``), ``\hdotsfor``, an index the reader cannot write back as an affine expression.

>>> from symbolic.read.context import SymbolTable
>>> from symbolic.read.latex import read_chain
>>> str(read_chain(r"a_1 + a_2 + \dots + a_n", SymbolTable().scope()).exprs[0])
'Sum(a_seq(i), (i, 1, n))'
"""

from __future__ import annotations

from lark import Tree

from ..algebra import MatrixExpr, sp
from ..algebra.ops.stacked import Stacked
from ..exceptions import ReadError
from . import antiunify as au
from .antiunify import is_dots
from .shapes import _DiffOp, _factors, _is1x1, _scalar

EXPAND = 64  # a pattern of at most this many terms with a numeric count is written out
_FRESH = "ijklpqrsuvw"


class ElisionMixin:
    """Builders of :mod:`symbolic.read.build` for elided terms (``value``, ``add``, ``mul`` are the builder's)."""

    def elided(self, t):
        """The value of a sum, product, tuple or matrix tree holding an elision at its own level, else None."""
        data = t.data
        if data in ("add", "sub", "neg", "pos"):
            terms = au.terms(t)
            if any(is_dots(x) for _, x in terms):
                return self._elided_run(terms, "\\sum")
        elif data == "mul":
            factors = _factors(t)
            if any(is_dots(x) for x in factors):
                return self._elided_run([(1, x) for x in factors], "\\prod")
        elif data == "tuple" and any(is_dots(x) for x in t.children):
            return self._elided_vector([x for x in t.children if isinstance(x, Tree)])
        elif data == "call" and any(is_dots(x) for x in t.children[1:]):
            head = t.children[0]
            if self.is_name(head) or getattr(head, "data", None) in ("subscript", "prime", "power"):
                raise ReadError(f"{au.text(head)}(..., \\dots, ...): a function of elided arguments (or a product "
                                "with an elided vector?) is not read yet")
            return self.mul(self.value(head), self._elided_vector(list(t.children[1:])))
        elif data == "matrix":
            rows = [[e for e in r.children if isinstance(e, Tree)] for r in t.children if getattr(r, "data", "") == "mrow"]
            if any(is_dots(e) for r in rows for e in r):
                if all(len(r) == 1 for r in rows):
                    return self._elided_vector([r[0] for r in rows])
                if len(rows) == 1:
                    return self._elided_vector(rows[0]).T
                raise ReadError("a matrix elided in two directions (\\cdots, \\vdots, \\ddots) is not read yet")
        return None

    def b_dots(self, *_):
        raise ReadError("an elided term (\\dots) is read only between the terms of a sum, the factors of a product "
                        "or the entries of a vector")

    # -- a sum or product ---------------------------------------------------------
    def _elided_run(self, items: list[tuple[int, object]], op: str):
        acc = None
        done = 0
        for k, (_, x) in enumerate(items):
            if not is_dots(x):
                continue
            if k + 1 >= len(items) or is_dots(items[k + 1][1]):
                raise ReadError("nothing after the dots: an infinite series or product is not read yet")
            start = self._pattern_start(items, done, k)
            for sign, y in items[done:start]:
                acc = self._join(acc, self._signed(sign, self.value(y)), op)
            run = items[start:k]
            signs = {s for s, _ in run + [items[k + 1]]}
            if len(signs) != 1:
                raise ReadError("the terms around the dots change sign: an alternating elided sum is not read yet")
            value = self._pattern(op, [y for _, y in run], items[k + 1][1])
            acc = self._join(acc, self._signed(signs.pop(), value), op)
            done = k + 2
        for sign, y in items[done:]:
            if is_dots(y):
                continue
            acc = self._join(acc, self._signed(sign, self.value(y)), op)
        return acc

    def _signed(self, sign: int, v):
        return v if sign > 0 else -v

    def _join(self, acc, v, op: str):
        if isinstance(acc, _DiffOp) or isinstance(v, _DiffOp):  # d/dx a_1 \cdots a_n b: on which factors?
            raise ReadError("a derivative operator among the factors of an elided product is not read yet")
        if acc is None:
            return v
        return self.add(acc, v) if op == "\\sum" else self.mul(acc, v)

    def _pattern_start(self, items, done: int, k: int) -> int:
        """The first item of the pattern before the dots at ``k`` (see the module docstring)."""
        if k <= done:
            raise ReadError("nothing before the dots: the elided terms have no pattern")
        last = items[k + 1][1]
        paths = au.diffs(items[k - 1][1], last)
        if not paths:
            raise ReadError(f"the term after the dots ({au.text(last)}) repeats the one before them: the number of "
                            "terms is not written")
        start = k - 1
        while start > done:
            cand = items[start - 1][1]
            d = au.diffs(cand, last)
            if d and all(any(q[:len(p)] == p for p in paths) for q in d):
                start -= 1
                continue
            if au.shape(cand) == au.shape(last):
                raise ReadError(f"{au.text(cand)} has the shape of the terms around the dots but not their pattern: "
                                "which terms the dots continue is ambiguous")
            break
        return start

    def _pattern(self, op: str, run: list, last):
        lo, hi, body_of, count = self._unify(run, last)
        if count is not None:  # a numeric count: the terms written out
            acc = None
            for j in range(count + 1):
                acc = self._join(acc, self.value(body_of(j, None)), op)
            return acc
        self._refuse_nested(run[0], self._paths(run, last))
        name = self._fresh(run + [last])
        notes = getattr(self.scope, "notes", None)
        before = list(notes) if notes is not None else None
        v = self._bigop(op, name, lo, hi, body_of(None, name))
        if isinstance(v, MatrixExpr) and not _is1x1(v) and not self._first_is_hi:
            if notes is not None:  # the note of the first reading (factor hi leftmost) no longer holds
                notes[:] = before
            v = self._bigop(op, name, lo, hi, body_of(None, name, reverse=True))
            self._note(f"the elided product of matrices is read in its written order: the first written factor "
                       f"leftmost (the factor {name} = {hi} of the product over {name} = {lo}..{hi})")
        return v

    def _refuse_nested(self, first, paths) -> None:
        """An index inside a subscript of a subscript (``h_{s_1}``, with no declared ``h^s`` whose entry it would be):
        read under a sum it would be a term of a sequence ``s`` used as an index; not read."""
        for p in paths:
            node = first
            for n, k in enumerate(p):
                inner = node.children[k]
                if (getattr(node, "data", None) == "subscript" and k == 1 and getattr(inner, "data", None) == "subscript"
                        and p[n + 1:n + 2] == (1,) and not self._aliased(node)):
                    raise ReadError(f"the index of the elided terms sits in a subscript of a subscript "
                                    f"({au.text(node)}): not read yet")
                node = inner

    def _aliased(self, node) -> bool:
        """Whether ``node`` is ``h_{s_1}`` with ``h^s`` declared: entry 1 of ``h^s`` (see :mod:`.aliases`)."""
        from .aliases import other_position

        base, sub = node.children[0], node.children[1]
        return self.is_name(base) and self.is_name(sub.children[0]) and \
            other_position(self, self.name_of(base)[0], sub.children[0], "_", note=False) is not None

    @staticmethod
    def _paths(run, last) -> list[tuple]:
        paths = sorted({p for t in run for p in au.diffs(t, last)})
        return [p for p in paths if not any(q != p and p[:len(q)] == q for q in paths)]

    def _fresh(self, trees) -> str:
        used = set().union(*(au.names(t) for t in trees)) | set(self.scope.table.symbols) | self.scope.bound()
        for c in _FRESH:
            if c not in used:
                return c
        raise ReadError("no free letter for the index of the elided terms")

    def _unify(self, run: list, last):
        """``(lo, hi, body_of, count)``: the range of the fresh index and the general term's tree maker."""
        first = run[0]
        paths = self._paths(run, last)
        if not paths:
            raise ReadError(f"the term after the dots ({au.text(last)}) repeats the one before them: the number of "
                            "terms is not written")
        values = []
        for p in paths:
            row = []
            for t in run + [last]:
                try:
                    v = self.value(au.at(t, p))
                except ReadError as err:
                    raise ReadError(f"the terms around the dots ({au.text(first)} and {au.text(last)}) differ at "
                                    f"{au.text(au.at(t, p))}, which is not an index ({err})") from None
                if isinstance(v, MatrixExpr) or (v.is_number and not v.is_Integer):
                    raise ReadError(f"the terms around the dots ({au.text(first)} and {au.text(last)}) are not one "
                                    f"pattern: they differ at {au.text(au.at(t, p))}, which is not an integer index")
                row.append(sp.sympify(v))
            values.append(row)
        steps = []
        for p, row in zip(paths, values):
            seen = ", ".join(au.text(au.at(t, p)) for t in run)
            if len(run) >= 2:
                step = sp.expand(row[1] - row[0])
                if not step.is_Integer or step == 0:
                    raise ReadError(f"the terms before the dots are not one pattern in an integer index: {seen} "
                                    f"{'do not move' if step == 0 else 'do not move by an integer step'}")
                if any(sp.expand(row[k] - row[0] - k * step) != 0 for k in range(2, len(run))):
                    raise ReadError(f"the terms before the dots ({seen}) do not move by one step")
            else:
                if not row[0].is_Integer:
                    raise ReadError(f"one term before the dots, whose index {seen} is not a number: the step is "
                                    "unknown (write two terms before the dots)")
                if row[-1].is_Integer and row[-1] < row[0]:
                    raise ReadError(f"one term before the dots and a smaller last index ({seen} .. "
                                    f"{au.text(au.at(last, p))}): the step is unknown (write two terms before the dots)")
                step = sp.Integer(1)
            steps.append(step)
        counts = [sp.expand((row[-1] - row[0]) / step) for row, step in zip(values, steps)]
        for p, row, step, n in zip(paths, values, steps, counts):
            if not au.integral(n):
                raise ReadError(f"the step {step} from {au.text(au.at(first, p))} does not divide the distance to the "
                                f"last index {au.text(au.at(last, p))}")
            if n.is_Integer and n < len(run):
                raise ReadError(f"the last term {au.text(last)} does not come after the written terms")
        if any(sp.expand(n - counts[0]) != 0 for n in counts[1:]):
            spans = ", ".join(f"{au.text(au.at(first, p))} .. {au.text(au.at(last, p))} in {n} steps"
                              for p, n in zip(paths, counts))
            raise ReadError(f"two indices of the elided terms vary inconsistently: {spans}")
        lead = next((k for k, s in enumerate(steps) if abs(s) == 1), 0)
        s0, e0 = steps[lead], values[lead][0]
        self._first_is_hi = s0 < 0
        if abs(s0) == 1:
            lo, hi = (e0, values[lead][-1]) if s0 > 0 else (values[lead][-1], e0)
        else:
            lo, hi = sp.Integer(1), counts[0] + 1
        count = int(counts[0]) if counts[0].is_Integer and counts[0] < EXPAND else None

        def body_of(j, name, reverse=False):
            if name is None:  # term j, as written
                exprs = [row[0] + s * j for row, s in zip(values, steps)]
            else:
                i = sp.Symbol(name, integer=True)
                if reverse:
                    i = lo + hi - i
                steps_of = (i - e0) * s0 if abs(s0) == 1 else i - 1
                exprs = [row[0] + s * steps_of for row, s in zip(values, steps)]
            return au.replace(first, {p: au.index_tree(e, first, p) for p, e in zip(paths, exprs)})

        return lo, hi, body_of, count

    # -- a vector -------------------------------------------------------------------
    def _elided_vector(self, entries: list):
        k = next(k for k, x in enumerate(entries) if is_dots(x))
        if sum(is_dots(x) for x in entries) != 1 or k + 1 >= len(entries):
            raise ReadError("a vector elided other than once between its entries is not read yet")
        items = [(1, x) for x in entries]
        start = self._pattern_start(items, 0, k)
        if start != 0 or k + 2 != len(entries):
            raise ReadError("a vector whose entries are not all of the pattern around the dots is not read yet")
        lo, hi, body_of, count = self._unify(entries[:k], entries[k + 1])
        if count is not None:
            return sp.ImmutableMatrix([[_scalar(self.value(body_of(j, None)))] for j in range(count + 1)])
        self._refuse_nested(entries[0], self._paths(entries[:k], entries[k + 1]))
        name = self._fresh(entries)
        i = self.scope.bind(name)
        try:
            body = _scalar(self.value(body_of(None, name)))
        finally:
            self.scope.unbind(name)
        if not self._first_is_hi:
            return Stacked(sp.Lambda(i, body), lo, hi)
        return Stacked(sp.Lambda(i, body.xreplace({i: lo + hi - i})), lo, hi)
