"""Expression nodes stepcheck adds to sympy.

sympy has no node for a norm of a matrix expression of symbolic size, for an
element-wise function applied to a matrix, for an ordered product of
matrices, for a Jacobian claimed in a step, or for an expectation.  These
classes are thin, inert containers: they never evaluate themselves, so a
claim written with them is checked, not silently rewritten.

>>> import sympy as sp
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> u = sp.MatrixSymbol("u", n, 1)
>>> Norm(u).is_nonnegative
True
>>> Apply(sp.Symbol("sigma"), u).shape
(n, 1)
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr


def _shape(x):
    return getattr(x, "shape", (1, 1))


class Dot(sp.Function):
    """The scalar held by a 1x1 matrix expression, e.g. ``u.T*v``."""

    nargs = 1
    is_commutative = True
    is_real = True

    @classmethod
    def eval(cls, X):
        if not isinstance(X, MatrixExpr):
            return X
        return None


class Norm(sp.Function):
    """Euclidean norm of a vector, spectral (L2 operator) norm of a matrix."""

    nargs = 1
    is_commutative = True
    is_real = True
    is_nonnegative = True


class LambdaMax(sp.Function):
    """Largest eigenvalue of a symmetric matrix expression."""

    nargs = 1
    is_commutative = True
    is_real = True


class Expect(sp.Function):
    """Expectation of a scalar expression over the declared random quantities (of a matrix: a MatExpect)."""

    nargs = 1
    is_commutative = True

    @classmethod
    def eval(cls, X):
        if isinstance(X, MatrixExpr) and X.shape != (1, 1):
            return MatExpect(X)
        return None


class Apply(MatrixExpr):
    """Element-wise application of the named function ``f`` to matrix ``X``."""

    def __new__(cls, f, X):
        return sp.Basic.__new__(cls, f, X)

    @property
    def func_name(self) -> sp.Symbol:
        return self.args[0]

    @property
    def arg(self):
        return self.args[1]

    @property
    def shape(self):
        return self.args[1].shape

    def _eval_transpose(self):
        return None

    def doit(self, **hints):
        if hints.get("deep", True):
            return Apply(self.args[0], self.args[1].doit(**hints))
        return self


class MatExpect(MatrixExpr):
    """Expectation of a matrix-valued expression."""

    def __new__(cls, X):
        return sp.Basic.__new__(cls, X)

    @property
    def shape(self):
        return self.args[0].shape

    def doit(self, **hints):
        return self


class Jac(MatrixExpr):
    """Jacobian ``dY/dX`` (numerator layout: rows of Y by rows of X).

    Both ``Y`` and ``X`` are column vectors (or 1x1 matrices).  Written in a
    step it is a *claim* to be checked, never differentiated on its own.
    """

    def __new__(cls, Y, X):
        return sp.Basic.__new__(cls, Y, X)

    @property
    def shape(self):
        return (_shape(self.args[0])[0], _shape(self.args[1])[0])

    def doit(self, **hints):
        return self


class Grad(MatrixExpr):
    """Gradient in denominator layout: ``(dY/dX)^T``, shape rows of X by rows of Y.

    For a scalar ``Y`` this is the usual gradient, of the shape of ``X``
    (a column for a vector, a matrix for a matrix).
    """

    def __new__(cls, Y, X):
        return sp.Basic.__new__(cls, Y, X)

    @property
    def shape(self):
        y, x = _shape(self.args[0]), _shape(self.args[1])
        if sp.sympify(y[0]) == 1 and sp.sympify(y[1]) == 1:
            return x
        return (x[0], y[0])

    def doit(self, **hints):
        return self


class MatProd(MatrixExpr):
    """Ordered matrix product ``prod_{t=a}^{b} body(t)``.

    The factor for ``t = b`` stands leftmost, as in a chain rule
    ``dg_T/dg_0 = (dg_T/dg_{T-1}) ... (dg_1/dg_0)``.
    """

    def __new__(cls, body, t, a, b):
        return sp.Basic.__new__(cls, body, t, sp.sympify(a), sp.sympify(b))

    @property
    def shape(self):
        return self.args[0].shape

    def doit(self, **hints):
        return self


class MatSum(MatrixExpr):
    """Sum of matrices (or vectors) ``sum_{i=a}^{b} body(i)``; an empty sum is the zero matrix.

    >>> import sympy as sp
    >>> i, t = sp.symbols("i t", integer=True)
    >>> MatSum(SeqTerm(sp.Symbol("g"), i, 3, 1), i, 1, t).shape
    (3, 1)
    """

    def __new__(cls, body, i, a, b):
        return sp.Basic.__new__(cls, body, i, sp.sympify(a), sp.sympify(b))

    @property
    def shape(self):
        return self.args[0].shape

    def doit(self, **hints):
        return self


class SeqTerm(MatrixExpr):
    """Term ``index`` of a declared vector-valued sequence ``name``."""

    def __new__(cls, name, index, rows, cols):
        return sp.Basic.__new__(cls, name, sp.sympify(index), sp.sympify(rows), sp.sympify(cols))

    @property
    def name(self) -> sp.Symbol:
        return self.args[0]

    @property
    def index(self):
        return self.args[1]

    @property
    def shape(self):
        return (self.args[2], self.args[3])

    def doit(self, **hints):
        return self


class DiagOf(MatrixExpr):
    """Diagonal matrix whose diagonal is the column vector ``v``."""

    def __new__(cls, v):
        return sp.Basic.__new__(cls, v)

    @property
    def shape(self):
        r = self.args[0].shape[0]
        return (r, r)

    def _eval_transpose(self):
        return self

    def doit(self, **hints):
        if hints.get("deep", True):
            return DiagOf(self.args[0].doit(**hints))
        return self


class OneHot(MatrixExpr):
    """Column vector of size ``m`` with a one at (0-based) position ``y``."""

    def __new__(cls, y, m):
        return sp.Basic.__new__(cls, sp.sympify(y), sp.sympify(m))

    @property
    def shape(self):
        return (self.args[1], sp.Integer(1))

    def doit(self, **hints):
        return self


class Softmax(MatrixExpr):
    """Softmax of a column vector."""

    def __new__(cls, X):
        return sp.Basic.__new__(cls, X)

    @property
    def shape(self):
        return self.args[0].shape

    def doit(self, **hints):
        return self


class LogSumExp(sp.Function):
    """``log(sum_i exp(X_i))`` of a column vector ``X``."""

    nargs = 1
    is_commutative = True
    is_real = True


class Entry(sp.Function):
    """Entry ``i`` (0-based) of a column vector, as a scalar."""

    nargs = 2
    is_commutative = True
    is_real = True


class SumEntries(sp.Function):
    """Sum of all the entries of a matrix expression."""

    nargs = 1
    is_commutative = True
    is_real = True


class Relu(sp.Function):
    """``max(x, 0)`` on scalars; kept inert so its kink stays visible."""

    nargs = 1
    is_real = True
    is_nonnegative = True


class Step(sp.Function):
    """Indicator ``1[x > 0]``, the derivative of ReLU with value 0 at the kink."""

    nargs = 1
    is_real = True
    is_nonnegative = True


MATRIX_NODES = (Apply, MatExpect, Jac, Grad, MatProd, SeqTerm, DiagOf, OneHot, Softmax)
SCALAR_NODES = (Dot, Norm, LambdaMax, Expect, LogSumExp, Entry, SumEntries, Relu, Step)
