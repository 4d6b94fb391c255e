"""The numbers behind the report's figures, computed with numpy (no plotting).

:mod:`symbolic.emit.figures` draws them; tests check the claims the figures make on these
helpers directly.  Every helper is deterministic in its ``seed``.

>>> float(taylor_model(0.0)["values"]) == TAYLOR_F0
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "TAYLOR_F0",
    "TAYLOR_G",
    "TAYLOR_H",
    "jacobian_norms",
    "moving_average_series",
    "rnn_jacobian",
    "taylor_model",
    "weight_norm_run",
]

# Taylor example: fixed numbers, H symmetric positive definite.
TAYLOR_G = np.array([1.0, -2.0, 0.5])
TAYLOR_H = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 1.5]])
TAYLOR_F0 = 1.0


def rnn_jacobian(
    W: np.ndarray,
    U: np.ndarray,
    b: np.ndarray,
    xs: np.ndarray,
    g0: np.ndarray,
    gamma: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run g_t = gamma*tanh(W g_{t-1} + U x_t + b) over the rows of ``xs``.

    Returns ``(g_T, J, norms)``: the last state, the exact Jacobian
    ``dg_T/dg_0 = prod_t diag(sigma'(a_t)) W`` (latest step on the left,
    ``sigma' = gamma (1 - tanh^2)``) and the spectral norms of the partial
    products ``dg_t/dg_0`` for t = 1..T.

    >>> gT, J, norms = rnn_jacobian(0.5 * np.eye(2), np.zeros((2, 1)), np.zeros(2),
    ...                             np.zeros((3, 1)), np.zeros(2))
    >>> norms.tolist()  # at g = 0, sigma' = 1: the Jacobian is W^t
    [0.5, 0.25, 0.125]
    """
    g = np.asarray(g0, dtype=float)
    J = np.eye(len(g))
    norms = np.empty(len(xs))
    for t, x in enumerate(xs):
        th = np.tanh(W @ g + U @ x + b)
        g = gamma * th
        J = (gamma * (1.0 - th**2))[:, None] * W @ J
        norms[t] = np.linalg.norm(J, 2)
    return g, J, norms


def jacobian_norms(
    seed: int = 0, n: int = 8, T: int = 60, scale: float = 0.9, gamma: float = 1.0
) -> np.ndarray:
    """Spectral norms of dg_T/dg_0 for T = 1..T on a random RNN (see :func:`rnn_jacobian`).

    ``W`` is rescaled so that ``sqrt(lambda_1(W^T W)) = scale / gamma``; as
    ``|sigma'| <= gamma``, each norm is at most ``scale**T``.  The same seed
    gives the same ``W`` direction, inputs and initial state for every scale.

    >>> norms = jacobian_norms(seed=0)
    >>> norms.shape
    (60,)
    >>> bool((norms <= 0.9 ** np.arange(1, 61)).all())
    True
    """
    rng = np.random.default_rng(seed)
    m = 3
    W0 = rng.standard_normal((n, n))
    W = (scale / gamma) * W0 / np.linalg.norm(W0, 2)
    U = rng.standard_normal((n, m)) / np.sqrt(m)
    b = 0.1 * rng.standard_normal(n)
    xs = rng.standard_normal((T, m))
    g0 = 0.5 * rng.standard_normal(n)
    return rnn_jacobian(W, U, b, xs, g0, gamma)[2]


def moving_average_series(
    seed: int = 0, mu: float = 2.0, beta: float = 0.9, T: int = 60
) -> dict[str, np.ndarray]:
    """Exponential moving average of g_t ~ N(mu, 1), with and without bias correction.

    Returns arrays indexed by t = 1..T: ``t``, ``g`` (samples), ``biased``
    (``v_t = beta v_{t-1} + (1 - beta) g_t``, ``v_0 = 0``), ``corrected``
    (``v_t / (1 - beta**t)``) and ``expected`` (``E[v_t] = mu (1 - beta**t)``).

    >>> s = moving_average_series(seed=0)
    >>> round(float(s["expected"][0]), 12)  # mu * (1 - beta)
    0.2
    >>> bool(abs(s["corrected"][4] - 2) < abs(s["biased"][4] - 2))
    True
    """
    rng = np.random.default_rng(seed)
    t = np.arange(1, T + 1)
    g = mu + rng.standard_normal(T)
    v = np.empty(T)
    acc = 0.0
    for i in range(T):
        acc = beta * acc + (1.0 - beta) * g[i]
        v[i] = acc
    corr = 1.0 - beta**t
    return {"t": t, "g": g, "biased": v, "corrected": v / corr, "expected": mu * corr}


def taylor_model(
    eps: np.ndarray | float,
    g: np.ndarray = TAYLOR_G,
    H: np.ndarray = TAYLOR_H,
    f0: float = TAYLOR_F0,
) -> dict[str, Any]:
    """Second-order model f_hat(x0 - eps g) = f0 - eps g^T g + eps^2/2 g^T H g.

    Returns ``values`` (the model at ``eps``), ``gg`` (``g^T g``), ``gHg``
    (``g^T H g``), ``eps_max`` (``2 g^T g / g^T H g``: the model decreases
    exactly on ``0 < eps < eps_max``) and ``eps_star`` (``g^T g / g^T H g``,
    the minimiser).

    >>> m = taylor_model(np.array([0.0]))
    >>> bool(0 < m["eps_star"] < m["eps_max"]), float(m["values"][0])
    (True, 1.0)
    """
    g = np.asarray(g, dtype=float)
    H = np.asarray(H, dtype=float)
    gg = float(g @ g)
    gHg = float(g @ H @ g)
    if gHg <= 0:
        raise ValueError("the Taylor example needs g^T H g > 0")
    e = np.asarray(eps, dtype=float)
    return {
        "values": f0 - e * gg + 0.5 * e**2 * gHg,
        "gg": gg,
        "gHg": gHg,
        "eps_max": 2.0 * gg / gHg,
        "eps_star": gg / gHg,
    }


def weight_norm_run(
    lr: float, seed: int = 0, n: int = 5, steps: int = 100
) -> dict[str, np.ndarray]:
    """Gradient descent on (u, g) for w = g u/||u||, L(w) = 0.5 ||w - w*||^2.

    Uses ``grad_u L = (g/||u||)(I - u u^T/||u||^2) grad_w L`` and
    ``grad_g L = u^T grad_w L / ||u||``.  Since ``grad_u`` is orthogonal to
    ``u``, ``||u||^2`` grows by ``lr^2 ||grad_u||^2`` each step: it never
    decreases (in floating point, up to a few ulps once ``grad_u`` vanishes).
    Returns ``u_norm`` and ``loss`` (length ``steps + 1``) and ``grad_u_norm``
    (length ``steps``, the norm of each step's ``grad_u``).

    >>> r = weight_norm_run(0.8)
    >>> bool(r["u_norm"][-1] > r["u_norm"][0]), bool(r["loss"][-1] < 1e-12)
    (True, True)
    """
    rng = np.random.default_rng(seed)
    w_star = rng.standard_normal(n)
    u = 0.5 * rng.standard_normal(n)
    gs = 1.0
    u_norm = np.empty(steps + 1)
    loss = np.empty(steps + 1)
    grad_u_norm = np.empty(steps)
    for k in range(steps + 1):
        nu = float(np.linalg.norm(u))
        w = gs * u / nu
        grad_w = w - w_star
        u_norm[k] = nu
        loss[k] = 0.5 * float(grad_w @ grad_w)
        if k == steps:
            break
        grad_u = (gs / nu) * (grad_w - u * (u @ grad_w) / nu**2)
        grad_g = float(u @ grad_w) / nu
        grad_u_norm[k] = float(np.linalg.norm(grad_u))
        u = u - lr * grad_u
        gs = gs - lr * grad_g
    return {"u_norm": u_norm, "loss": loss, "grad_u_norm": grad_u_norm}
