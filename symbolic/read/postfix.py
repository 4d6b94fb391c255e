r"""Postfix notation for the builder of :mod:`symbolic.read.build`: powers, subscripts, primes, calls,
limits, and sums and products with bounds (``value``, ``mul``, ``b_func`` are the builder's).

>>> from symbolic.read.context import SymbolTable
>>> from symbolic.read.latex import read_chain
>>> [str(e) for e in read_chain(r"\sum_{i=1}^{n} a_i = b^2", SymbolTable().scope()).exprs]
['Sum(a_seq(i), (i, 1, n))', 'b**2']
"""

from __future__ import annotations

from lark import Token, Tree

from ..algebra import Dot, MatProd, MatSum, MatrixExpr, sp
from ..exceptions import ReadError
from .aliases import aliased_entry, digit_label, other_position
from .labels import iterate, iterate_name, two_index
from .shapes import _is1x1, _scalar, _shape_text, _walk
from .unlabelled import labelled_entry


class PostfixMixin:
    """Builders of :mod:`symbolic.read.build` for postfix notation and bounded sums (``value`` is the builder's)."""

    # -- postfix ---------------------------------------------------------------
    def b_power(self, base, exp):
        edata = getattr(exp, "data", None)
        sunk = self.sunk(Tree("power", [base, exp]))  # \log x^2: log(x^2), never (log x)^2
        if sunk is not None:
            return sunk
        euler = self.euler_power(base, exp)  # e^{-x}: the exponential, never a variable e to the power -x
        if euler is not None:
            return euler
        if getattr(base, "data", None) == "call" and len(base.children) == 2:  # W (x)^T: W x^T, never (W x)^T
            return self.power_on_call(base, exp)
        if edata in ("letter", "paren") or self.is_name(exp):  # o^a, o_k^s: a label the context declares
            labelled = self._labelled(base, exp)
            if labelled is not None:
                return labelled
        if edata in ("paren", "star") and getattr(base, "data", None) == "subscript" and self.is_name(base.children[0]):
            return self.b_subscript(Tree("power", [base.children[0], exp]), base.children[1])  # x_k^{(i)}: x^{(i)}_k
        if self.is_name(base) and edata in ("paren", "star", "tuple"):
            name, bold = self.name_of(base)
            if edata == "paren" and self._uses_bound(exp):  # x^{(i)} under a sum over i: a term of a sequence
                return self.scope.term(f"{name}^()", self._bound_index(exp.children[0]), bold)
            if self._uses_bound(exp):
                raise ReadError(f"{name}^{self.label(exp)} under a sum over its index is not read yet")
            return self.scope.symbol(f"{name}^{self.label(exp) if edata != 'star' else '*'}", bold)
        digit = digit_label(self, base, exp)  # b^1, b_k^1 for the declared b^{(1)}
        if digit is not None:
            return digit
        b = self.value(base)
        if edata == "transpose_mark":
            if isinstance(b, MatrixExpr):
                return b.T
            if str(exp.children[0]) == "\\transposeT":  # x^T of a scalar: the power T (delta^T)
                t = self.scope.symbol("T", False)
                if isinstance(t, MatrixExpr):
                    raise ReadError(f"{b}^T of a scalar, with T a matrix here: a transpose or a power? not read")
                return b ** t
            return b
        if edata == "star":
            raise ReadError("^* on an expression is not read yet")
        e = _scalar(self.value(exp))
        if isinstance(b, MatrixExpr):
            if e == -1 and sp.sympify(b.shape[0]) == sp.sympify(b.shape[1]):
                return b.I if not _is1x1(b) else Dot(b) ** -1
            if _is1x1(b):
                return Dot(b) ** e
            if e.is_Integer and e > 0 and sp.sympify(b.shape[0]) == sp.sympify(b.shape[1]):
                return b ** e
            label = iterate_name(self, base, exp, b, e)  # theta^{t-1}: the vector at iterate t-1
            if label is not None:
                return iterate(self, label, b)
            raise ReadError(f"the power {e} of a {_shape_text(b)} matrix")
        return b ** e

    def _labelled(self, base, exp):
        label = self.label(exp)
        symbols = self.scope.table.symbols
        if self.is_name(base):
            name = f"{self.name_of(base)[0]}^{label}"
            if name in symbols:
                return self.scope.symbol(name, False)
            target = other_position(self, self.name_of(base)[0], exp, "^")  # z^h for a declared z_h
            return self.scope.symbol(target, False) if target is not None else None
        if getattr(base, "data", None) == "subscript" and self.is_name(base.children[0]):
            swapped = self._swapped_entry(base, exp)
            if swapped is not None:
                return swapped
            name = f"{self.name_of(base.children[0])[0]}^{label}"
            if name in symbols and symbols[name].kind == "vector":
                return self.scope.entry(name, _scalar(self.value(base.children[1])))
            if name in symbols and symbols[name].kind == "matrix":  # W_{kj}^{(1)}: entry (k, j) of W^(1)
                return self.matrix_entry(name, base.children[1])
        return None

    def _swapped_entry(self, base, exp):
        """``h_a^k`` with ``k`` a bound index: entry k of the declared vector ``h^a`` (label and index swapped)."""
        if not self.is_name(exp) or self.name_of(exp)[0] not in self.scope.bound():
            return None
        name = self.name_of(base.children[0])[0]
        target = other_position(self, name, base.children[1], "_")
        if target is None:
            return None
        spec = self.scope.table.symbols.get(target)
        if spec is None or spec.kind != "vector":
            return None
        self._note(f"{name}_{self.label(base.children[1])}^{self.label(exp)} is read as the entry "
                   f"{self.label(exp)} of {target} (the label and the index written in swapped positions)")
        return self.scope.entry(target, _scalar(self.value(exp)))

    def b_subscript(self, base, sub):
        bdata = getattr(base, "data", None)
        sunk = self.sunk(Tree("subscript", [base, sub]))  # \log x_i: log(x_i), never an entry of log x
        if sunk is not None:
            return sunk
        if getattr(sub, "data", None) == "condition" and self.head_name(base) in ("I", "bb_1"):
            return self.indicator(sub)  # I_{\{a > b\}}, \mathbb{1}_{\{a > b\}}
        if bdata == "norm":
            if self.label(sub) == "2":
                return self.value(base)
            raise ReadError(f"the norm \\|..\\|_{self.label(sub)} is not read yet (only the 2-norm)")
        head = self.head_name(base)
        if head is not None and self.scope.table.definitions.get(head) is not None:
            value = self.scope.definition(head, index=_scalar(self.value(sub)))
            if value is not None:
                return value
        if bdata == "power" and self.is_name(base.children[0]):
            edata = getattr(base.children[1], "data", None)
            if edata in ("paren", "star", "tuple"):  # x^{(i)}_k: the name x^(i), then its subscript
                name, bold = self.name_of(base.children[0])
                if self._uses_bound(base.children[1]) and not bold and edata == "paren" and not self._uses_bound(sub):
                    # x^{(i)}_1 under a sum over i: term i of the family x^()_1 (scalars, one per i)
                    return self.scope.term(f"{name}^()_{self.label(sub)}", self._bound_index(base.children[1].children[0]),
                                           False)
                if self._uses_bound(base.children[1]):
                    raise ReadError(f"an entry of the term {name}^{self.label(base.children[1])} of a sum is not read yet")
                return self._named_sub(f"{name}^{self.label(base.children[1]) if edata != 'star' else '*'}", bold, sub)
            if edata != "transpose_mark":  # sigma^2_p is typeset as sigma_p^2
                return self.b_power(Tree("subscript", [base.children[0], sub]), base.children[1])
        if self.is_name(base):
            name, bold = self.name_of(base)
            return self._named_sub(name, bold, sub)
        if bdata == "subscript" or bdata == "power":
            raise ReadError("a double subscript is not read yet")
        return self.entry_of(base, sub)  # softmax(z)_i, (Wx)_2: an entry of a vector expression

    def _named_sub(self, name: str, bold: bool, sub):
        if self.scope.is_sequence(name):
            return self.scope.sequence_term(name, _scalar(self.value(sub)))
        spec = self.scope.table.symbols.get(name)
        if spec is None and name not in self.scope.table.graph:  # h_s, h_{s_1}: the declared h^s, its entry 1
            target = other_position(self, name, sub, "_")
            if target is not None:
                return self.scope.symbol(target, bold)
            entry = aliased_entry(self, name, sub)
            if entry is not None:
                return entry
            entry = labelled_entry(self, name, sub)  # W_{kj} read as an entry of W^(1), a reading in force
            if entry is not None:
                return entry
        if spec is not None and spec.kind == "matrix":  # W_{kj} of a declared matrix: its entry (k, j)
            entry = self.matrix_entry(name, sub)
            if entry is None:
                raise ReadError(f"{name}_{{{self.label(sub)}}}: a subscript of the matrix {name} that is not two indices")
            return entry
        pair = two_index(self, name, bold, sub)  # r_{ik} under a sum over i: term (i, k) of a family
        if pair is not None:
            return pair
        index = self._bound_index(sub)
        if index is not None:
            return self.scope.term(name, index, bold)
        label = self.label(sub)
        entry = self.vector_entry(name, spec, sub, label)  # x_j of a declared vector x: its entry j
        if entry is not None:
            return entry
        return self.scope.symbol(f"{name}_{label}" if len(label) == 1 else f"{name}_{{{label}}}", bold)

    def _uses_bound(self, t) -> bool:
        return bool(self.index_names(t) & self.scope.bound())

    def _bound_index(self, sub):
        bound = self.scope.bound()
        if not bound:
            return None
        names = self.index_names(sub)  # j' is an index of its own
        if names & bound:
            if getattr(sub, "data", None) == "tuple" or (getattr(sub, "data", None) == "mul" and len(names) > 1):
                raise ReadError(f"an entry with two indices ({self.label(sub)}) is not read yet")
            return _scalar(self.value(sub))
        return None

    def b_prime(self, base, _tok):
        sunk = self.sunk(Tree("prime", [base, _tok]))
        if sunk is not None:
            return sunk
        if self.is_name(base):
            name, bold = self.name_of(base)
            return self.scope.symbol(name + "'", bold)
        return self.prime_of_expression(base)

    def head_name(self, t) -> str | None:
        """The name of a name, a primed name (``sigma'``) or a subscripted one (``f_{x_0}``), else None."""
        data = getattr(t, "data", None)
        if self.is_name(t):
            return self.name_of(t)[0]
        if data == "prime" and self.is_name(t.children[0]):
            return self.name_of(t.children[0])[0] + "'"
        if data == "subscript" and self.is_name(t.children[0]):
            label = self.label(t.children[1])
            name = self.name_of(t.children[0])[0]
            return f"{name}_{label}" if len(label) == 1 else f"{name}_{{{label}}}"
        return None

    def b_call(self, head, *args):
        exp, self.power_of_call = self.power_of_call, None  # only this call's own product may take it
        at = self.derivative_at(head, args)  # \frac{\partial f}{\partial x}(x_0): evaluated at x_0
        if at is not None:
            return at
        if getattr(head, "data", None) == "func" and self.is_name(head.children[1]):  # \log P(x): log of P(x)
            return self.b_func(head.children[0], Tree("call", [head.children[1], *args]))
        sunk = self.sunk(Tree("call", [head, *args]))  # \log P_\theta(x): log of P_theta(x)
        if sunk is not None:
            return sunk
        name = self.head_name(head)
        if name in self.scope.table.graph and self.is_name(head):
            from .graph import graph_of  # L(u), w(g u/||u||), L(x, y): a node of the graph at what it is computed from

            node, values = self.scope.symbol(name, False), [self.value(a) for a in args]
            if all(graph_of(self.scope).at_its_input(name, arg) for arg in values):
                self._note(f"{name}({', '.join(map(str, values))}) is read as the node {name} of the computation graph")
                return node
        spec = self.scope.table.definitions.get(name) if name is not None else None
        if spec is not None and len(spec.args) == len(args) and spec.index is None:
            value = self.scope.definition(name, args=tuple(self.value(a) for a in args))
            if value is not None:
                return value
        if name is not None and len(args) == 1:  # f(x_0): a value the context declares as it is written
            applied = f"{name}({self.label(args[0])})"
            if applied in self.scope.table.symbols:
                return self.scope.symbol(applied, False)
        if (getattr(head, "data", None) == "subscript" and self.is_name(head.children[0]) and len(args) == 1
                and self.scope.function(self.name_of(head.children[0])[0]) is not None):
            f = self.scope.function(self.name_of(head.children[0])[0])  # sigma_t(z): the activation at step t
            self._note(f"{self.head_name(head)}(...) is read as the declared function "
                       f"{self.name_of(head.children[0])[0]} applied (the subscript names the step)")
            return f(self.value(args[0]))
        if self.is_name(head) or (getattr(head, "data", None) == "prime" and self.is_name(head.children[0])):
            primed = getattr(head, "data", None) == "prime"
            name = self.name_of(head.children[0] if primed else head)[0]
            f = self.scope.function(name)
            if f is not None:
                if len(args) != 1:
                    raise ReadError(f"{name} takes one argument here, got {len(args)}")
                if self.is_name(args[0]) and self.scope.is_sequence(self.name_of(args[0])[0]):
                    bare = self.name_of(args[0])[0]  # sigma'(x) with x a sequence's name: any real x
                    self._note(f"the bare {bare} in {name}{chr(39) if primed else ''}({bare}) names no term of the sequence {bare}: read as any real number")
                    x = self.scope.placeholder(bare)
                    return f.prime(x) if primed else f(x)
                x = self.value(args[0])
                return f.prime(x) if primed else f(x)
        base = head.children[0] if getattr(head, "data", None) == "prime" else head
        if self.is_name(base) and (len(args) != 1 or self.scope.table.inferred.get(self.name_of(base)[0]) == "function"):
            return self.applied(head, args)  # f(x, y): an undeclared function of several arguments
        if len(args) != 1:
            raise ReadError(f"{self.label(head)}(...) with {len(args)} arguments: an undeclared function")
        at = self.entry_at(head, args)  # o_k(x): the entry o_k of a declared vector, at the input x
        if at is not None:
            return at
        if exp is not None:  # 2(a+b)^2: the power is on (a+b), never on 2(a+b)
            self.power_taken = True
            return self.mul(self.value(head), self.b_power(Tree("paren", [args[0]]), exp))
        return self.mul(self.value(head), self.value(args[0]))

    def b_limit(self, tok, var, _to, target, body):
        if str(tok) != "\\lim" or not self.is_name(var):
            raise ReadError(f"{tok}_{{.. \\to ..}} is not read yet (only \\lim of a variable)")
        name = self.name_of(var)[0]
        x = self.value(var)
        if not isinstance(x, sp.Symbol):
            raise ReadError(f"a limit in {name}, which is not a scalar variable")
        v = self.value(body)
        if isinstance(v, MatrixExpr) and not _is1x1(v):
            raise ReadError("the limit of a matrix is not read yet")
        return sp.Limit(_scalar(v), x, _scalar(self.value(target)))

    def b_bigop(self, tok, bound, *rest):
        upper, body = (rest[0], rest[1]) if len(rest) == 2 else (None, rest[0])
        kids = [c for c in getattr(bound, "children", [bound])]
        if upper is None and getattr(bound, "data", None) in ("bound", "bounds") and len(kids) >= 1 \
                and (len(kids) == 1 or getattr(bound, "data", None) == "bounds"):
            return self.index_sum(tok, kids, body)  # \sum_j, \sum_{i,j}, \sum_{j'}: ranges from the shapes  # \sum_i x_i y_i: the range may be the vectors' size
        if upper is not None and getattr(bound, "data", None) == "bound" and len(kids) == 1 \
                and self.index_name(kids[0]) is not None:  # \sum_{i}^{m}: i = 1..m, the convention
            self._note(f"\\sum_{{{self.index_name(kids[0])}}}^{{..}} is read from {self.index_name(kids[0])} = 1")
            kids = [kids[0], None, Tree("number", [Token("NUMBER", "1")])]
        if getattr(bound, "data", None) != "bound" or len(kids) != 3:
            raise ReadError("a \\sum or \\prod without bounds i = a .. b is not read yet")
        var, _eq, lo = kids
        if getattr(upper, "data", None) == "transpose_mark" and str(upper.children[0]) == "\\transposeT":
            upper = Tree("letter", [Token("LETTER", "T")])  # \sum_{t=1}^{T}: the letter T, no transpose
        if self.index_name(var) is None or upper is None:
            raise ReadError("a \\sum or \\prod without bounds i = a .. b is not read yet")
        name = self.index_name(var)  # k, or k' (an index of its own)
        return self._bigop(tok, name, _scalar(self.value(lo)), _scalar(self.value(upper)), body)

    def _bigop(self, tok, name: str, lo_v, hi_v, body):
        i = self.scope.bind(name)
        try:
            v = self.value(body)
        finally:
            self.scope.unbind(name)
        if isinstance(v, MatrixExpr) and not _is1x1(v):
            if str(tok) == "\\sum":
                return MatSum(v, i, lo_v, hi_v)  # sum_i beta^{t-i} g_i over the vector terms of a sequence
            if sp.sympify(v.shape[0]) != sp.sympify(v.shape[1]):
                raise ReadError("a \\prod of non-square matrices is not read")
            self._note(f"the product of matrices over {name} = {lo_v}..{hi_v} is read with the factor "
                       f"{name} = {hi_v} leftmost (the order of a chain rule)")
            return MatProd(v, i, lo_v, hi_v)
        op = sp.Sum if str(tok) == "\\sum" else sp.Product
        return op(_scalar(v), (i, lo_v, hi_v))
