"""The sympy adapter: every use of sympy in stepcheck goes through here.

Other modules import ``sp`` and the node classes from this package, never
``sympy`` directly, so the surface we depend on is one place to audit.

>>> from symbolic.algebra import sp, Norm
>>> Norm(sp.Symbol("x")).is_nonnegative
True
"""

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .shape_memo import install as _install_shape_memo

_install_shape_memo()  # a product's shape computed once, not 2**depth times (see shape_memo)

from .telescope import install as _install_telescope

_install_telescope()  # sums over undefined sequences telescoped without solve (see telescope)

from .nodes import (
    Apply,
    DiagOf,
    Dot,
    Entry,
    Expect,
    Grad,
    Jac,
    LambdaMax,
    LogSumExp,
    MatExpect,
    MatProd,
    MatSum,
    Norm,
    OneHot,
    Relu,
    SeqTerm,
    Softmax,
    Step,
    SumEntries,
)

__all__ = [
    "sp",
    "MatrixExpr",
    "Apply",
    "DiagOf",
    "Dot",
    "Entry",
    "Expect",
    "Grad",
    "Jac",
    "LambdaMax",
    "LogSumExp",
    "MatExpect",
    "MatProd",
    "MatSum",
    "Norm",
    "OneHot",
    "Relu",
    "SeqTerm",
    "Softmax",
    "Step",
    "SumEntries",
]
