"""Figures of the LaTeX report, drawn with matplotlib.

Each ``fig_<name>(out_dir, seed=0, lang="en")`` writes one small PDF
(about 4.5 x 3 inches, 9 pt fonts, so two fit side by side) into ``out_dir``
and returns its path: ``<name>.pdf`` for English labels, ``<name>_fr.pdf``
for French ones.  The numbers behind each figure come from public helpers
(:func:`rnn_jacobian`, :func:`jacobian_norms`, :func:`moving_average_series`,
:func:`taylor_model`, :func:`weight_norm_run`) so that tests can check the
claims the figures make.

Output is deterministic: the same seed gives the same bytes (no dates or
producer in the PDF metadata, fixed hash salt, fixed compression).
matplotlib is imported lazily, inside the drawing functions, and the Agg
backend is selected there too, so ``import symbolic.figures`` stays cheap.

>>> import tempfile, pathlib
>>> paths = draw_all(pathlib.Path(tempfile.mkdtemp()))
>>> sorted(paths) == sorted(ALL_FIGURES)
True
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

__all__ = [
    "ALL_FIGURES",
    "draw_all",
    "fig_jacobian_norm",
    "fig_moving_average",
    "fig_taylor_step",
    "fig_weight_norm",
    "jacobian_norms",
    "rnn_jacobian",
    "moving_average_series",
    "taylor_model",
    "weight_norm_run",
]

FIGSIZE = (4.5, 3.0)
LANGS = ("en", "fr")

# Taylor example: fixed numbers, H symmetric positive definite.
TAYLOR_G = np.array([1.0, -2.0, 0.5])
TAYLOR_H = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 1.5]])
TAYLOR_F0 = 1.0

# Labels shared by both languages, then the language-specific ones.
_COMMON = {
    "jac": r"$\|\partial g_T / \partial g_0\|_2$",
    "explode": r"$\gamma\|W\| = 1.5$",
    "expected": r"$E[v_t] = \mu(1-\beta^t)$",
    "mean": r"$E[g] = \mu$",
    "model": r"$\hat f(x_0 - \varepsilon g)$",
    "f0": r"$f(x_0)$",
    "best": r"$\varepsilon^* = g^\top g / g^\top H g$",
    "unorm": r"$\|u\|$",
}
_ADMISSIBLE = r"$0 < \varepsilon < 2 g^\top g / g^\top H g$"
_LABELS: dict[str, dict[str, str]] = {
    "en": _COMMON | {
        "T": "number of steps $T$",
        "contract": r"contracting, $\gamma\|W\| = \delta = 0.9$",
        "bound_contract": r"bound $\delta^T$",
        "bound_explode": r"bound $(\gamma\|W\|)^T$",
        "t": "step $t$",
        "avg": "running average",
        "samples": "samples $g_t$",
        "biased": r"$v_t$ (biased)",
        "corrected": r"$v_t / (1-\beta^t)$ (bias corrected)",
        "eps": r"step size $\varepsilon$",
        "admissible": "decrease: " + _ADMISSIBLE,
        "steps": "gradient step",
        "lr": r"learning rate $\eta = {lr}$",
    },
    "fr": _COMMON | {
        "T": "nombre de pas $T$",
        "contract": r"contractant, $\gamma\|W\| = \delta = 0.9$",
        "bound_contract": r"borne $\delta^T$",
        "bound_explode": r"borne $(\gamma\|W\|)^T$",
        "t": "pas $t$",
        "avg": "moyenne glissante",
        "samples": r"échantillons $g_t$",
        "biased": r"$v_t$ (biaisée)",
        "corrected": r"$v_t / (1-\beta^t)$ (biais corrigé)",
        "eps": r"pas $\varepsilon$",
        "admissible": "décroissance : " + _ADMISSIBLE,
        "steps": "pas de gradient",
        "lr": r"taux d'apprentissage $\eta = {lr}$",
    },
}

_RC: dict[str, Any] = {
    "figure.figsize": FIGSIZE,
    "font.size": 9,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 7,
    "legend.framealpha": 0.85,
    "legend.edgecolor": "none",
    "lines.linewidth": 1.2,
    "pdf.compression": 6,
    "pdf.fonttype": 42,
    "svg.hashsalt": "stepcheck",
}

_METADATA = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}


# --------------------------------------------------------------------- numbers


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


# --------------------------------------------------------------------- drawing


def _labels(lang: str) -> dict[str, str]:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return _LABELS[lang]


def _path(out_dir: Path, name: str, lang: str) -> Path:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir / (f"{name}.pdf" if lang == "en" else f"{name}_{lang}.pdf")


@contextmanager
def _figure(path: Path) -> Iterator[Any]:
    """Yield a fresh (fig, ax) under the report style; save as PDF and close."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(_RC):
        fig, ax = plt.subplots(figsize=FIGSIZE)
        try:
            yield fig, ax
            fig.tight_layout(pad=0.3)
            fig.savefig(path, format="pdf", metadata=_METADATA)
        finally:
            plt.close(fig)


def fig_jacobian_norm(out_dir: Path, seed: int = 0, lang: str = "en") -> Path:
    """Norm of dg_T/dg_0 against T (log scale), contracting vs gamma*||W|| = 1.5.

    >>> import tempfile, pathlib
    >>> p = fig_jacobian_norm(pathlib.Path(tempfile.mkdtemp()))
    >>> p.name, p.read_bytes()[:4]
    ('jacobian_norm.pdf', b'%PDF')
    """
    L = _labels(lang)
    path = _path(out_dir, "jacobian_norm", lang)
    T = np.arange(1, 61)
    tiny = np.finfo(float).tiny
    curves = [
        (0.9, L["contract"], L["bound_contract"], "C0"),
        (1.5, L["explode"], L["bound_explode"], "C3"),
    ]
    with _figure(path) as (fig, ax):
        for scale, label, bound_label, color in curves:
            norms = jacobian_norms(seed=seed, T=len(T), scale=scale)
            ax.plot(T, np.maximum(norms, tiny), color=color, label=label)
            ax.plot(T, np.maximum(scale**T, tiny), "--", color=color, lw=0.9,
                    label=bound_label)
        ax.set_yscale("log")
        ax.set_xlabel(L["T"])
        ax.set_ylabel(L["jac"])
        ax.legend(loc="lower left")
    return path


def fig_moving_average(out_dir: Path, seed: int = 0, lang: str = "en") -> Path:
    """Biased and bias-corrected moving averages of g_t ~ N(2, 1), beta = 0.9.

    >>> import tempfile, pathlib
    >>> p = fig_moving_average(pathlib.Path(tempfile.mkdtemp()), lang="fr")
    >>> p.name, p.read_bytes()[:4]
    ('moving_average_fr.pdf', b'%PDF')
    """
    L = _labels(lang)
    path = _path(out_dir, "moving_average", lang)
    mu = 2.0
    s = moving_average_series(seed=seed, mu=mu)
    with _figure(path) as (fig, ax):
        ax.plot(s["t"], s["g"], ".", color="0.6", ms=2.5, label=L["samples"])
        ax.plot(s["t"], s["biased"], color="C0", label=L["biased"])
        ax.plot(s["t"], s["corrected"], color="C1", label=L["corrected"])
        ax.plot(s["t"], s["expected"], ":", color="C0", label=L["expected"])
        ax.axhline(mu, color="k", ls="--", lw=0.8, label=L["mean"])
        ax.set_xlabel(L["t"])
        ax.set_ylabel(L["avg"])
        lo, hi = ax.get_ylim()
        ax.set_ylim(lo - 0.35 * (hi - lo), hi)
        ax.legend(loc="lower right", ncol=2)
    return path


def fig_taylor_step(out_dir: Path, seed: int = 0, lang: str = "en") -> Path:
    """Second-order model along -g against eps, admissible interval shaded.

    The example is fixed (``TAYLOR_G``, ``TAYLOR_H``); ``seed`` is accepted
    for a uniform signature and ignored.

    >>> import tempfile, pathlib
    >>> p = fig_taylor_step(pathlib.Path(tempfile.mkdtemp()))
    >>> p.name, p.read_bytes()[:4]
    ('taylor_step.pdf', b'%PDF')
    """
    L = _labels(lang)
    path = _path(out_dir, "taylor_step", lang)
    info = taylor_model(0.0)
    eps_max, eps_star = info["eps_max"], info["eps_star"]
    eps = np.linspace(-0.15 * eps_max, 1.3 * eps_max, 300)
    values = taylor_model(eps)["values"]
    best = float(taylor_model(eps_star)["values"])
    with _figure(path) as (fig, ax):
        ax.axvspan(0.0, eps_max, color="C2", alpha=0.15, lw=0, label=L["admissible"])
        ax.axhline(TAYLOR_F0, color="k", ls="--", lw=0.8, label=L["f0"])
        ax.plot(eps, values, color="C0", label=L["model"])
        ax.plot([eps_star], [best], "o", color="C3", ms=4, label=L["best"])
        ax.axvline(eps_star, color="C3", ls=":", lw=0.8)
        ax.set_xlabel(L["eps"])
        ax.set_ylabel(L["model"])
        ax.legend(loc="upper center")
        lo, hi = float(values.min()), float(values.max())
        ax.set_ylim(lo - 0.05 * (hi - lo), hi + 0.45 * (hi - lo))
    return path


def fig_weight_norm(out_dir: Path, seed: int = 0, lang: str = "en") -> Path:
    """||u|| over 100 gradient steps of weight normalization, several rates.

    >>> import tempfile, pathlib
    >>> p = fig_weight_norm(pathlib.Path(tempfile.mkdtemp()), seed=3)
    >>> p.name, p.read_bytes()[:4]
    ('weight_norm.pdf', b'%PDF')
    """
    L = _labels(lang)
    path = _path(out_dir, "weight_norm", lang)
    with _figure(path) as (fig, ax):
        for lr in (0.05, 0.2, 0.8):
            r = weight_norm_run(lr, seed=seed)
            text = str(lr) if lang == "en" else str(lr).replace(".", "{,}")
            ax.plot(np.arange(len(r["u_norm"])), r["u_norm"], label=L["lr"].format(lr=text))
        ax.set_xlabel(L["steps"])
        ax.set_ylabel(L["unorm"])
        ax.legend(loc="center right")
    return path


ALL_FIGURES: dict[str, Callable[..., Path]] = {
    "jacobian_norm": fig_jacobian_norm,
    "moving_average": fig_moving_average,
    "taylor_step": fig_taylor_step,
    "weight_norm": fig_weight_norm,
}


def draw_all(out_dir: Path, seed: int = 0, lang: str = "en") -> dict[str, Path]:
    """Draw every figure of ``ALL_FIGURES`` into ``out_dir``; map name to path.

    >>> import tempfile, pathlib
    >>> paths = draw_all(pathlib.Path(tempfile.mkdtemp()), lang="fr")
    >>> sorted(p.name for p in paths.values())[0]
    'jacobian_norm_fr.pdf'
    """
    _labels(lang)
    return {name: fn(out_dir, seed=seed, lang=lang) for name, fn in ALL_FIGURES.items()}
