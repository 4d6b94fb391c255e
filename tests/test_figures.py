"""Tests for symbolic.emit.figures: files, determinism, and the numbers behind each figure."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from symbolic.emit import figures as F  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["jacobian_norm", "moving_average", "taylor_step", "weight_norm"]
SEEDS = range(10)


# ------------------------------------------------------------------ the files


def test_registry_lists_every_figure():
    assert sorted(F.ALL_FIGURES) == sorted(NAMES)
    for name, fn in F.ALL_FIGURES.items():
        assert fn is getattr(F, f"fig_{name}")


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", NAMES)
def test_figure_is_a_small_valid_pdf(tmp_path, name, lang):
    path = F.ALL_FIGURES[name](tmp_path, seed=0, lang=lang)
    assert path.parent == tmp_path
    assert path.name == (f"{name}.pdf" if lang == "en" else f"{name}_fr.pdf")
    data = path.read_bytes()
    assert len(data) > 1000
    assert data.startswith(b"%PDF")
    assert data.rstrip().endswith(b"%%EOF")
    # 4.5 x 3 inches = 324 x 216 points, one page
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) == 1
    assert (float(boxes[0][0]), float(boxes[0][1])) == (324.0, 216.0)
    # no dates in the metadata
    assert b"/CreationDate" not in data and b"/ModDate" not in data


def test_out_dir_is_created(tmp_path):
    target = tmp_path / "a" / "b"
    path = F.fig_taylor_step(target)
    assert path.is_file() and path.parent == target


def test_draw_all(tmp_path):
    paths = F.draw_all(tmp_path, seed=1, lang="fr")
    assert sorted(paths) == sorted(NAMES)
    for name, path in paths.items():
        assert path == tmp_path / f"{name}_fr.pdf"
        assert path.read_bytes().startswith(b"%PDF")


def test_unknown_language_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="lang"):
        F.fig_moving_average(tmp_path, lang="de")
    with pytest.raises(ValueError, match="lang"):
        F.draw_all(tmp_path, lang="es")
    assert list(tmp_path.iterdir()) == []


def test_labels_cover_the_same_keys_in_both_languages():
    assert F._LABELS["en"].keys() == F._LABELS["fr"].keys()
    differing = [k for k in F._LABELS["en"] if F._LABELS["en"][k] != F._LABELS["fr"][k]]
    assert {"T", "t", "eps", "steps", "lr", "biased"} <= set(differing)


# --------------------------------------------------------------- determinism


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_bytes(tmp_path, name):
    a = F.ALL_FIGURES[name](tmp_path / "a", seed=5).read_bytes()
    b = F.ALL_FIGURES[name](tmp_path / "b", seed=5).read_bytes()
    assert a == b


@pytest.mark.parametrize("name", ["jacobian_norm", "moving_average", "weight_norm"])
def test_seed_changes_the_figure(tmp_path, name):
    a = F.ALL_FIGURES[name](tmp_path / "a", seed=0).read_bytes()
    b = F.ALL_FIGURES[name](tmp_path / "b", seed=1).read_bytes()
    assert a != b


def test_language_changes_the_figure(tmp_path):
    en = F.fig_weight_norm(tmp_path, lang="en").read_bytes()
    fr = F.fig_weight_norm(tmp_path, lang="fr").read_bytes()
    assert en != fr


def test_fresh_process_gives_the_same_bytes(tmp_path):
    here = F.draw_all(tmp_path / "here", seed=2)
    code = (
        "import sys, pathlib; from symbolic.emit.figures import draw_all; "
        "draw_all(pathlib.Path(sys.argv[1]), seed=2)"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "there")],
                   cwd=ROOT, check=True, timeout=120)
    for name, path in here.items():
        assert (tmp_path / "there" / path.name).read_bytes() == path.read_bytes(), name


def test_drawing_leaves_no_open_figure_and_keeps_rcparams(tmp_path):
    import matplotlib
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    size = matplotlib.rcParams["font.size"]
    F.draw_all(tmp_path)
    assert plt.get_fignums() == before
    assert matplotlib.rcParams["font.size"] == size


def test_import_does_not_load_matplotlib():
    code = "import sys, symbolic.emit.figures; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------- 1. Jacobian of the RNN


@pytest.mark.parametrize("seed", SEEDS)
def test_contracting_jacobian_stays_below_delta_power(seed):
    delta = 0.9
    norms = F.jacobian_norms(seed=seed, scale=delta)
    bound = delta ** np.arange(1, 61)
    assert norms.shape == (60,)
    assert np.all(norms > 0)
    assert np.all(norms <= bound * (1 + 1e-12))
    assert norms[-1] < bound[-1]


@pytest.mark.parametrize("gamma", [0.5, 2.0])
def test_bound_holds_for_other_gains(gamma):
    norms = F.jacobian_norms(seed=3, scale=0.9, gamma=gamma)
    assert np.all(norms <= 0.9 ** np.arange(1, 61) * (1 + 1e-12))


def test_exploding_condition_obeys_its_own_bound_and_exceeds_contracting():
    for seed in SEEDS:
        big = F.jacobian_norms(seed=seed, scale=1.5)
        assert np.all(big <= 1.5 ** np.arange(1, 61) * (1 + 1e-12))
        small = F.jacobian_norms(seed=seed, scale=0.9)
        assert big[0] > small[0]


def test_rnn_jacobian_matches_finite_differences():
    rng = np.random.default_rng(7)
    n, m, T, gamma = 4, 2, 6, 1.3
    W = rng.standard_normal((n, n)) * 0.5
    U = rng.standard_normal((n, m))
    b = rng.standard_normal(n) * 0.1
    xs = rng.standard_normal((T, m))
    g0 = rng.standard_normal(n) * 0.5
    gT, J, norms = F.rnn_jacobian(W, U, b, xs, g0, gamma)
    h = 1e-6
    fd = np.empty((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        fd[:, j] = (F.rnn_jacobian(W, U, b, xs, g0 + e, gamma)[0]
                    - F.rnn_jacobian(W, U, b, xs, g0 - e, gamma)[0]) / (2 * h)
    np.testing.assert_allclose(J, fd, rtol=1e-6, atol=1e-9)
    assert norms[-1] == pytest.approx(np.linalg.norm(J, 2))
    # the state really is the recursion
    g = g0
    for x in xs:
        g = gamma * np.tanh(W @ g + U @ x + b)
    np.testing.assert_allclose(gT, g)


def test_rnn_jacobian_at_the_origin_is_a_power_of_w():
    W = np.array([[0.0, 0.7], [0.4, 0.0]])
    _, J, norms = F.rnn_jacobian(W, np.zeros((2, 1)), np.zeros(2), np.zeros((4, 1)), np.zeros(2))
    np.testing.assert_allclose(J, np.linalg.matrix_power(W, 4))
    np.testing.assert_allclose(
        norms, [np.linalg.norm(np.linalg.matrix_power(W, t), 2) for t in range(1, 5)])


# ------------------------------------------------------- 2. moving average


@pytest.mark.parametrize("seed", SEEDS)
def test_bias_correction_is_closer_to_mu_at_t5(seed):
    mu = 2.0
    s = F.moving_average_series(seed=seed, mu=mu)
    assert s["t"][4] == 5
    assert abs(s["corrected"][4] - mu) < abs(s["biased"][4] - mu)


def test_moving_average_recursion_and_expectation_formula():
    beta, mu = 0.9, 2.0
    s = F.moving_average_series(seed=0, mu=mu, beta=beta)
    v = 0.0
    for i, g in enumerate(s["g"]):
        v = beta * v + (1 - beta) * g
        assert s["biased"][i] == pytest.approx(v)
    np.testing.assert_allclose(s["corrected"], s["biased"] / (1 - beta ** s["t"]))
    np.testing.assert_allclose(s["expected"], mu * (1 - beta ** s["t"]))


def test_expected_value_matches_monte_carlo():
    runs = np.array([F.moving_average_series(seed=k)["biased"] for k in range(2000)])
    s = F.moving_average_series(seed=0)
    # standard error of each mean is below 0.23 / sqrt(2000) ~ 0.005
    np.testing.assert_allclose(runs.mean(axis=0), s["expected"], atol=0.03)
    corrected = runs / (1 - 0.9 ** s["t"])
    np.testing.assert_allclose(corrected.mean(axis=0), 2.0, atol=0.06)


# ------------------------------------------------------------ 3. Taylor step


def test_taylor_example_is_positive_definite():
    assert np.allclose(F.TAYLOR_H, F.TAYLOR_H.T)
    assert np.all(np.linalg.eigvalsh(F.TAYLOR_H) > 0)
    m = F.taylor_model(0.0)
    assert m["gHg"] > 0 and m["gg"] == pytest.approx(5.25)


def test_best_eps_lies_inside_the_admissible_interval():
    m = F.taylor_model(0.0)
    assert 0 < m["eps_star"] < m["eps_max"]
    assert m["eps_star"] == pytest.approx(m["eps_max"] / 2)
    eps = np.linspace(-m["eps_max"], 2 * m["eps_max"], 30001)
    values = F.taylor_model(eps)["values"]
    inside = (eps > 0) & (eps < m["eps_max"])
    assert np.all(values[inside] < F.TAYLOR_F0)
    assert np.all(values[~inside] >= F.TAYLOR_F0 - 1e-12)
    assert abs(eps[np.argmin(values)] - m["eps_star"]) < 1e-3
    assert float(F.taylor_model(m["eps_max"])["values"]) == pytest.approx(F.TAYLOR_F0)


def test_taylor_model_matches_the_quadratic():
    # for f(x) = f0 + g^T (x - x0) + 1/2 (x - x0)^T H (x - x0) the model is exact
    g, H = F.TAYLOR_G, F.TAYLOR_H
    for eps in (0.1, 0.7, 2.0):
        d = -eps * g
        exact = F.TAYLOR_F0 + g @ d + 0.5 * d @ H @ d
        assert float(F.taylor_model(eps)["values"]) == pytest.approx(exact)


def test_taylor_model_rejects_nonpositive_curvature():
    with pytest.raises(ValueError):
        F.taylor_model(0.1, g=np.array([1.0, 0.0]), H=np.diag([-1.0, 1.0]))


# ---------------------------------------------------------- 4. weight norm


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("lr", [0.05, 0.2, 0.8])
def test_u_norm_never_decreases(seed, lr):
    r = F.weight_norm_run(lr, seed=seed)
    u = r["u_norm"]
    assert u.shape == (101,)
    # only rounding (a few ulps) may ever show up as a decrease
    assert np.all(np.diff(u) >= -8 * np.finfo(float).eps * u[:-1])
    assert u[-1] > u[0]
    # Pythagoras: grad_u is orthogonal to u
    np.testing.assert_allclose(u[1:] ** 2, u[:-1] ** 2 + lr**2 * r["grad_u_norm"] ** 2,
                               rtol=1e-12)
    assert np.all(np.diff(u)[r["grad_u_norm"] > 1e-6] > 0)


@pytest.mark.parametrize("lr", [0.05, 0.2, 0.8])
def test_weight_norm_descent_reduces_the_loss(lr):
    r = F.weight_norm_run(lr, seed=0)
    assert r["loss"][-1] < 0.01 * r["loss"][0]
