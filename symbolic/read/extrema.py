r"""``\max_{x: \|x\| = 1} \|A x\|``: a maximum over a constraint, read where it is the definition of a norm.

The one form read is the operator norm's definition: over the unit vectors ``x`` (``\|x\| = 1``), the
largest ``\|M x\|`` with ``M`` free of ``x`` is the spectral norm ``\|M\|`` (the engine's norm of a matrix,
``symbolic.algebra.Norm``), so the line is read as that norm and says so in a note.  Any other constrained
maximum (another constraint, another body, a minimum) is not read, and the reason says which part.

>>> from symbolic.read.context import SymbolTable
>>> from symbolic.read.latex import read_chain
>>> s = SymbolTable().scope()
>>> [str(e) for e in read_chain(r"\|\mathbf{A}\| = \max_{\mathbf{x}: \|\mathbf{x}\|=1} \|\mathbf{A}\mathbf{x}\|", s).exprs]
['Norm(A)', 'Norm(A)']
"""

from __future__ import annotations

from ..algebra import MatrixExpr, Norm, sp
from ..exceptions import ReadError


class ExtremumMixin:
    """``b_extremum`` of the builder (:mod:`symbolic.read.build`)."""

    def b_extremum(self, tok, var, _colon, lhs, _eq, rhs, body):
        op = str(tok).lstrip("\\")
        if op not in ("max", "sup") or not self.is_name(var):
            raise ReadError(f"\\{op}_{{x: ...}} is not read yet (only the operator norm "
                            "\\max_{x: \\|x\\| = 1} \\|A x\\|)")
        name = self.name_of(var)[0]
        n = self._size()
        x = self.scope.bind(name, sp.MatrixSymbol(f"{name}_unit", n, 1))  # bound: gone from the value read
        try:
            cond_l, cond_r, v = self.value(lhs), self.value(rhs), self.value(body)
        finally:
            self.scope.unbind(name)
        if cond_l != Norm(x) or cond_r != 1:
            raise ReadError(f"\\{op} over {{{name}: {cond_l} = {cond_r}}}: only the unit vectors "
                            f"\\|{name}\\| = 1 are read (the operator norm)")
        arg = v.args[0] if isinstance(v, Norm) else None
        factors = list(arg.args) if isinstance(arg, sp.MatMul) else []
        if not factors or factors[-1] != x or not isinstance(arg, MatrixExpr):
            raise ReadError(f"\\{op}_{{{name}: \\|{name}\\|=1}} of {v}: only \\|M {name}\\|, the operator norm, is read")
        m = sp.MatMul(*factors[:-1]).doit() if len(factors) > 2 else factors[0]
        if getattr(m, "has", lambda _: True)(x) or not isinstance(m, MatrixExpr):
            raise ReadError(f"\\{op}_{{{name}: \\|{name}\\|=1}} of {v}: only \\|M {name}\\| with M free of {name} is read")
        self._note(f"\\{op} over the unit vectors {name} of ||{m} {name}|| is read as the operator (spectral) norm "
                   f"||{m}||, its definition")
        return Norm(m)

    def _size(self):
        """The first dimension of the context (the size of a vector it does not size otherwise)."""
        dims = self.scope.table.dims
        decl = self.scope.d.decls.get(dims[0]) if dims else None
        return decl.symbol if decl is not None else sp.Symbol("n", positive=True, integer=True)
