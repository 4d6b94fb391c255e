"""Figures of the LaTeX report, drawn with matplotlib.

Each ``fig_<name>(out_dir, seed=0, lang="en")`` writes one small PDF
(about 4.5 x 3 inches, 9 pt fonts, so two fit side by side) into ``out_dir``
and returns its path: ``<name>.pdf`` for English labels, ``<name>_fr.pdf``
for French ones.  The numbers behind each figure come from public helpers
in :mod:`symbolic.emit.figure_data` (:func:`rnn_jacobian`, :func:`jacobian_norms`,
:func:`moving_average_series`, :func:`taylor_model`, :func:`weight_norm_run`,
re-exported here) so that tests can check the claims the figures make.

Output is deterministic: the same seed gives the same bytes (no dates or
producer in the PDF metadata, fixed hash salt, fixed compression).
matplotlib is imported lazily, inside the drawing functions, and the Agg
backend is selected there too, so ``import symbolic.emit.figures`` stays cheap.

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

# the numbers behind the figures, re-exported (figures.taylor_model, figures.TAYLOR_H, ...)
from .figure_data import (
    TAYLOR_F0,
    TAYLOR_G,
    TAYLOR_H,
    jacobian_norms,
    moving_average_series,
    rnn_jacobian,
    taylor_model,
    weight_norm_run,
)

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
