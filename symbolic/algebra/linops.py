"""Matrix-free spectral norms, for the large sizes of the scaling benchmark.

A product of ``T`` factors of size ``n`` costs ``T n^3`` to form and an SVD
to measure; its spectral norm needs only products with vectors.  Two
situations are served here, both in float64:

* :func:`product_norm`: ``||A_T ... A_1||`` for factors given as *pieces*
  (dense matrices, diagonal vectors, scalars), by Golub-Kahan-Lanczos
  bidiagonalization with full reorthogonalization;
* :func:`scaled_norms`: ``||c_t diag(u_t) A diag(w_t)||`` for many ``t`` that
  share the matrix ``A``, the Jacobian of an elementwise layer, by one
  symmetric Lanczos run per ``t``, all ``t`` advanced together so that every
  iteration is a single matrix-matrix product.

:func:`product_norm` stops when the residual of its top Ritz triplet bounds
the relative error of the squared norm by :data:`RTOL` (Kato-Temple, with the
gap to the next Ritz value); :func:`scaled_norms` when a factor's top Ritz
value moved by less than :data:`RTOL` over :data:`PATIENCE` iterations, and
a factor still moving after :data:`MAX_BATCH_ITER` iterations gets a dense
SVD.  Both start from a fixed vector, so the same input gives the same bits.
The evaluator uses them only from :data:`MIN_SIZE` on; below, dense SVDs are
cheap and exact.  Tests check both against the dense paths.

>>> import numpy as np
>>> A = np.diag([3.0, 1.0, 2.0])
>>> round(product_norm([A, 2.0, A], 3), 12)
18.0
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

MIN_SIZE = 64
"""Sizes from which the evaluator measures norms matrix-free."""

RTOL = 1e-14
"""A Ritz value that moved by less than this (relative) over :data:`PATIENCE` iterations has converged:
the top eigenvalue of the small tridiagonal itself is computed to a few units of rounding."""

PATIENCE = 4
RES_TOL = 1e-7
"""Relative residual of the top Ritz triplet below which a product's norm may stop (with :data:`RTOL`)."""
MAX_ITER = 400
MAX_BATCH_ITER = 120
"""Batched Lanczos iterations after which the factors still moving are measured densely."""

Piece = object  # a 2-D ndarray (dense), a 1-D ndarray (a diagonal) or a float (a scalar)


class NotConverged(ArithmeticError):
    """Lanczos did not settle within :data:`MAX_ITER` iterations (the evaluator then takes the dense path)."""


def _start(n: int) -> np.ndarray:
    """A fixed unit start vector, as an ``(n, 1)`` column: the same for every call of the same size."""
    v = np.random.default_rng(20261123).normal(size=(n, 1))
    return v / np.linalg.norm(v, axis=0)


def _apply(pieces: Sequence[Piece], x: np.ndarray, transpose: bool = False) -> np.ndarray:
    """``P_1 P_2 ... P_k x``, or ``(P_1 ... P_k)^T x``."""
    for p in (pieces if transpose else reversed(pieces)):
        if isinstance(p, np.ndarray) and p.ndim == 2:
            x = (p.T if transpose else p) @ x
        elif isinstance(p, np.ndarray):
            x = p.reshape(-1, *([1] * (x.ndim - 1))) * x
        else:
            x = p * x
    return x


def product_norm(pieces: Sequence[Piece], n: int) -> float:
    """Spectral norm of the product of ``pieces`` (leftmost first), ``n`` its number of columns.

    A piece is a dense matrix, a diagonal given as a 1-D array, or a scalar.
    An empty product is the identity, of norm 1.

    >>> import numpy as np
    >>> A = np.diag([3.0, 1.0, 2.0])
    >>> round(product_norm([A, A], 3), 12)
    9.0
    >>> round(product_norm([np.array([2.0, 0.5]), np.eye(2)], 2), 12)
    2.0
    """
    if not pieces:
        return 1.0

    def mv(x):
        return _apply(pieces, x)

    def rmv(y):
        return _apply(pieces, y, transpose=True)

    v = _start(n)[:, 0]
    V, U, alphas, betas = [v], [], [], []
    u = mv(v)
    history: list[float] = []
    for k in range(min(MAX_ITER, n)):
        for w in U:  # full reorthogonalization: k is small, matvecs dominate
            u = u - (w @ u) * w
        a = _vnorm(u)
        if a == 0.0:  # the Krylov space is exhausted: the Ritz values are exact
            return history[-1] if history else 0.0
        u = u / a
        U.append(u)
        alphas.append(a)
        r = rmv(u) - a * V[-1]
        for w in V:
            r = r - (w @ r) * w
        b = _vnorm(r)
        B = np.diag(alphas) + np.diag(betas, 1)
        X, sv, _ = np.linalg.svd(B)
        history.append(float(sv[0]))
        # A^T U x = sigma V y + b x_k v_next: the top Ritz triplet has residual r = b |x_k|,
        # so sigma^2 is within r^2 / gap (relative) of an eigenvalue of A^T A (Kato-Temple),
        # the gap estimated by the next Ritz value
        residual = b * abs(X[-1, 0])
        gap = sv[0] ** 2 - (sv[1] ** 2 if len(sv) > 1 else 0.0)
        if b == 0.0 or (residual <= RES_TOL * sv[0] and residual**2 <= RTOL * gap):
            return history[-1]
        betas.append(b)
        v = r / b
        V.append(v)
        u = mv(v) - b * U[-1]
    if history and (len(history) >= n or _settled(history)):
        return history[-1]
    raise NotConverged(f"Lanczos did not settle in {len(history)} iterations")


def _vnorm(x: np.ndarray) -> float:
    """Euclidean norm without underflow: products of many factors reach 1e-160 and below."""
    m = float(np.max(np.abs(x))) if x.size else 0.0
    return m * float(np.linalg.norm(x / m)) if m > 0 else 0.0


def _settled(history: list[float], patience: int = PATIENCE) -> bool:
    if len(history) <= patience:
        return False
    top, old = history[-1], history[-1 - patience]
    return top - old <= RTOL * top


def scaled_norms(A: np.ndarray, left: np.ndarray | None, right: np.ndarray | None) -> np.ndarray:
    """``||diag(left[:, t]) A diag(right[:, t])||`` for every column ``t``.

    ``left`` has ``A.shape[0]`` rows and ``right`` ``A.shape[1]`` rows; either
    may be ``None`` (no scaling on that side).  All columns advance together:
    one matrix-matrix product per iteration, converged columns drop out.

    >>> import numpy as np
    >>> A = np.array([[1.0, 2.0], [0.0, 1.0]])
    >>> out = scaled_norms(A, np.array([[1.0, 0.0], [0.0, 1.0]]), None)
    >>> [round(float(x), 9) for x in out]
    [2.236067977, 1.0]
    """
    T = (left if left is not None else right).shape[1]
    if right is None:  # ||D A|| ** 2 = lambda_max(D (A A^T) D)
        op = _GramOp(A @ A.T, left)
    elif left is None:  # ||A D|| ** 2 = lambda_max(D (A^T A) D)
        op = _GramOp(A.T @ A, right)
    else:
        op = _TwoSidedOp(A, left, right)
    # one Lanczos vector per row: the per-factor dot products run over contiguous memory
    m = op.size
    out = np.zeros(T)
    active = np.arange(T)
    q = np.repeat(_start(m).T, T, axis=0)
    q_prev = np.zeros_like(q)
    w = np.empty_like(q)
    tmp = np.empty_like(q)
    beta = np.zeros((T, 1))
    limit = min(MAX_BATCH_ITER, m)
    alphas = np.zeros((T, limit))
    betas = np.zeros((T, limit))
    last = np.full(T, -np.inf)  # top Ritz value at the previous check
    for k in range(limit):
        a = op(q, w, tmp)[:, None]  # w = B q, a = q . B q
        alphas[:, k] = a[:, 0]
        np.multiply(q, a, out=tmp)
        w -= tmp
        np.multiply(q_prev, beta, out=tmp)
        w -= tmp
        beta = np.sqrt(np.einsum("ij,ij->i", w, w))[:, None]
        betas[:, k] = beta[:, 0]
        breakdown = betas[:, k] <= 1e-300
        if (k + 1) % PATIENCE == 0 or breakdown.any() or k + 1 == limit:
            top = _top_tridiagonal(alphas[:, : k + 1], betas[:, :k])
            done = breakdown | (top - last <= RTOL * np.abs(top))
            last = top
            if done.any():
                out[active[done]] = top[done]
                keep = ~done
                if not keep.any():
                    return np.sqrt(np.maximum(out, 0.0))
                active, q, q_prev, w, tmp = active[keep], q[keep], q_prev[keep], w[keep], tmp[keep]
                alphas, betas, last, beta = alphas[keep], betas[keep], last[keep], beta[keep]
                op.keep(keep)
        np.divide(w, beta, out=q_prev)
        q, q_prev = q_prev, q
    # Lanczos without reorthogonalization settles fast or not at all (a clustered top):
    # the few factors left get a dense SVD
    for t in active:
        M = A if left is None else left[:, t, None] * A
        out[t] = np.linalg.norm(M if right is None else M * right[None, :, t], 2) ** 2
    return np.sqrt(np.maximum(out, 0.0))


class _GramOp:
    """``x -> D G D x`` for each row ``x``, a symmetric ``G``, and one diagonal ``D`` per row."""

    def __init__(self, G: np.ndarray, d: np.ndarray) -> None:
        self.G, self.d, self.size = G, np.ascontiguousarray(d.T), d.shape[0]

    def keep(self, mask: np.ndarray) -> None:
        self.d = self.d[mask]

    def __call__(self, X: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> np.ndarray:
        np.multiply(self.d, X, out=tmp)
        np.matmul(tmp, self.G, out=out)  # rows: (G (d x))^T, G symmetric
        a = np.einsum("ij,ij->i", tmp, out)  # x . D G D x
        out *= self.d
        return a


class _TwoSidedOp:
    """``x -> R A^T L^2 A R x`` for each row ``x``, with one pair of diagonals ``L``, ``R`` per row."""

    def __init__(self, A: np.ndarray, left: np.ndarray, right: np.ndarray) -> None:
        self.A, self.size = A, right.shape[0]
        self.l2, self.r = np.ascontiguousarray((left**2).T), np.ascontiguousarray(right.T)

    def keep(self, mask: np.ndarray) -> None:
        self.l2, self.r = self.l2[mask], self.r[mask]

    def __call__(self, X: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> np.ndarray:
        np.multiply(self.r, X, out=tmp)
        y = tmp @ self.A.T  # rows: (A R x)^T
        a = np.einsum("ij,ij->i", y * self.l2, y)  # x . R A^T L^2 A R x
        y *= self.l2
        np.matmul(y, self.A, out=out)
        out *= self.r
        return a


def _top_tridiagonal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Largest eigenvalue of each symmetric tridiagonal (rows of ``a``: diagonals, of ``b``: off-diagonals).

    Laguerre's method on the characteristic polynomial, started above the
    spectrum (Gershgorin): for a polynomial with real roots it decreases
    monotonically to the largest root, cubically near it.  The polynomial's
    logarithmic derivatives come from the pivots of ``x I - T``, all positive
    above the spectrum; every row advances together.

    >>> import numpy as np
    >>> float(_top_tridiagonal(np.array([[2.0, 2.0]]), np.array([[1.0]]))[0])
    3.0
    """
    K = a.shape[1]
    rad = np.zeros_like(a)
    rad[:, :-1] += np.abs(b)
    rad[:, 1:] += np.abs(b)
    x = np.max(a + rad, axis=1)
    x = x + 1e-12 * np.maximum(np.abs(x), 1.0)  # strictly above the spectrum
    if K == 1:
        return a[:, 0].copy()
    b2 = b * b
    live = np.ones(x.shape, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(60):
            d = x - a[:, 0]
            ok = d > 0
            d1 = np.ones_like(x)
            d2 = np.zeros_like(x)
            G = d1 / d
            H = G * G
            for i in range(1, K):
                c = b2[:, i - 1] / d
                nd1 = 1.0 + c * d1 / d
                nd2 = c * (d2 - 2.0 * d1 * d1 / d) / d
                d = x - a[:, i] - c
                ok &= d > 0
                d1, d2 = nd1, nd2
                G += d1 / d
                H += (d1 / d) ** 2 - d2 / d
            step = K / (G + np.sqrt(np.maximum((K - 1) * (K * H - G * G), 0.0)))
            # a non-positive pivot means x reached the top root (to rounding): keep x, stop the row
            live &= ok & np.isfinite(step)
            step = np.where(live, step, 0.0)
            x = x - step
            live &= step > 4e-16 * np.abs(x)
            if not live.any():
                break
    return x
