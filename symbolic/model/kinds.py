"""What each matrix and vector kind means: the check a value must pass, and how a value is drawn.

The sampler draws values with :func:`draw_matrix`; :meth:`MatrixDecl.admits
<symbolic.model.declarations.MatrixDecl.admits>` checks :func:`kinds_hold`, so a
candidate of the counterexample shrinker that loses a kind is rejected.

>>> sorted(SQUARE_KINDS - SYMMETRIC_KINDS)
['invertible', 'lower_triangular', 'orthogonal', 'upper_triangular']
"""

from __future__ import annotations

import numpy as np
import sympy as sp  # noqa: F401 - the examples

MATRIX_KINDS = frozenset({"symmetric", "diagonal", "invertible", "identity", "orthogonal", "spd", "pd", "psd",
                          "upper_triangular", "lower_triangular"})
#: Kinds of a column vector only.
VECTOR_KINDS = frozenset({"unit", "binary"})
#: Kinds that need a square matrix.
SQUARE_KINDS = frozenset({"symmetric", "invertible", "identity", "orthogonal", "spd", "pd", "psd", "diagonal",
                          "upper_triangular", "lower_triangular"})
#: Kinds whose matrices are symmetric (``A^T = A`` in the normal form).
SYMMETRIC_KINDS = frozenset({"symmetric", "spd", "pd", "psd", "identity", "diagonal"})

def kinds_hold(kinds, value, tol: float = 1e-8) -> bool:
    """Whether a matrix value has the declared kinds (to a relative tolerance ``tol``).

    >>> kinds_hold({"psd"}, [[1.0, 0.0], [0.0, 0.0]]), kinds_hold({"pd"}, [[1.0, 0.0], [0.0, 0.0]])
    (True, False)
    >>> kinds_hold({"orthogonal"}, [[0.0, 1.0], [1.0, 0.0]]), kinds_hold({"unit"}, [[0.6], [0.8]])
    (True, True)
    """
    try:
        A = np.asarray(np.asarray(value, dtype=object).tolist(), dtype=float)
    except (TypeError, ValueError):
        return False
    scale = max(1.0, float(np.abs(A).max())) if A.size else 1.0
    eps = tol * scale
    square = A.ndim == 2 and A.shape[0] == A.shape[1]
    if kinds & SQUARE_KINDS and not square:
        return False
    if kinds & SYMMETRIC_KINDS and not np.allclose(A, A.T, rtol=0, atol=eps):
        return False
    if "identity" in kinds and not np.allclose(A, np.eye(len(A)), rtol=0, atol=eps):
        return False
    if "diagonal" in kinds and not np.allclose(A, np.diag(np.diag(A)), rtol=0, atol=eps):
        return False
    if "upper_triangular" in kinds and not np.allclose(A, np.triu(A), rtol=0, atol=eps):
        return False
    if "lower_triangular" in kinds and not np.allclose(A, np.tril(A), rtol=0, atol=eps):
        return False
    if "orthogonal" in kinds and not np.allclose(A.T @ A, np.eye(len(A)), rtol=0, atol=tol * 10):
        return False
    if kinds & {"psd", "pd", "spd"}:
        w = np.linalg.eigvalsh((A + A.T) / 2)
        if w.min() < -eps or (kinds & {"pd", "spd"} and w.min() <= eps):
            return False
    if "binary" in kinds and not np.isin(A, (0.0, 1.0)).all():
        return False
    if "unit" in kinds and abs(float(np.sqrt((A ** 2).sum())) - 1.0) > tol * 10:
        return False
    return True



def draw_matrix(d, r: int, c: int, rng, scale: float, near_singular: bool = False):
    """A random ``r x c`` value of matrix declaration ``d`` that has its kinds (``near_singular``: stress).

    >>> from symbolic.model.declarations import MatrixDecl
    >>> d = MatrixDecl("A", sp.MatrixSymbol("A", 3, 3), frozenset({"pd"}))
    >>> kinds_hold(d.kinds, draw_matrix(d, 3, 3, np.random.default_rng(0), 1.0))
    True
    """
    k = d.kinds
    if "identity" in k:
        return np.eye(r)
    if near_singular and "invertible" in k and r == c and r > 1:
        q, _ = np.linalg.qr(rng.normal(size=(r, r)))
        spectrum = np.ones(r) * scale
        spectrum[-1] = scale * 1e-6
        A = q @ np.diag(spectrum) @ q.T if k & {"symmetric", "spd", "pd", "psd"} else q @ np.diag(spectrum)
        if k & {"upper_triangular", "lower_triangular", "diagonal"}:
            A = np.diag(spectrum)
        return A
    A = rng.normal(size=(r, c)) * scale
    if "diagonal" in k:
        A = np.diag(np.diag(A)) if r == c else A
    if "symmetric" in k:
        A = (A + A.T) / 2
    if k & {"spd", "pd"}:
        A = A @ A.T + np.eye(r) * 0.5 * scale
    elif "psd" in k:  # rank r - 1 when r > 1: a singular positive semidefinite matrix
        B = A[:, : max(r - 1, 1)]
        A = B @ B.T
    if "upper_triangular" in k:
        A = np.triu(A)
    if "lower_triangular" in k:
        A = np.tril(A)
    if "unit" in k:
        A = A / np.sqrt((A ** 2).sum())
    if "binary" in k:  # a realization of a Bernoulli mask: entries 0 or 1
        A = rng.integers(0, 2, size=(r, c)).astype(float)
    if "orthogonal" in k:
        q, _ = np.linalg.qr(rng.normal(size=(r, r)))
        A = q
    if "invertible" in k and r == c:
        while abs(np.linalg.det(A)) < 1e-2 * max(scale, 1e-3) ** r:
            A = A + np.eye(r) * scale
    return A
