"""Tests for symbolic.algebra.printing: exact LaTeX, balance, determinism, compilation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from symbolic.algebra.nodes import (
    Apply, DiagOf, Dot, Entry, Expect, Grad, Jac, LambdaMax, LogSumExp, MatExpect, MatProd,
    Norm, OneHot, Relu, SeqTerm, Softmax, Step, SumEntries,
)
from symbolic.algebra.printing import name_latex, relation_latex, to_latex

n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
T = sp.Symbol("T", integer=True, positive=True)
t = sp.Symbol("t", integer=True)
i = sp.Symbol("i", integer=True)
a, b, g, y = sp.symbols("a b g y", real=True)
beta, gamma, eps = sp.symbols("beta gamma epsilon", positive=True)
u, v, x = (sp.MatrixSymbol(s, n, 1) for s in "uvx")
W = sp.MatrixSymbol("W", n, n)
theta = sp.MatrixSymbol("theta", n, 1)
sigma, sigma_p = sp.Symbol("sigma"), sp.Symbol("sigma'")
h = sp.Symbol("h")
vseq = sp.Function("v", real=True)

# (expression, kwargs, exact expected LaTeX)
CASES = [
    (u.T * v, {}, r"\mathbf{u}^{\top} \mathbf{v}"),
    (beta * Dot(u.T * v), {}, r"\beta \mathbf{u}^{\top} \mathbf{v}"),
    (Norm(u) ** 2, {}, r"\left\| \mathbf{u} \right\|^{2}"),
    ((a + b) * Norm(x), {}, r"\left(a + b\right) \left\| \mathbf{x} \right\|"),
    (Dot(u.T * v) ** 2, {}, r"\left(\mathbf{u}^{\top} \mathbf{v}\right)^{2}"),
    (sp.Symbol("d_h") * sp.Symbol("v_{t-1}") * eps, {}, r"d_{h} \epsilon v_{t-1}"),
    (sp.Symbol("sigma'") ** 2, {}, r"{\sigma'}^{2}"),
    (theta.T * W.T * x, {}, r"\boldsymbol{\theta}^{\top} \mathbf{W}^{\top} \mathbf{x}"),
    ((W * x).T, {}, r"\mathbf{x}^{\top} \mathbf{W}^{\top}"),
    (W.I * x, {}, r"\mathbf{W}^{-1} \mathbf{x}"),
    # weight normalisation: d L / d u = g/||u|| (I - u u^T/||u||^2) d L / d w
    (g / Norm(u) * (sp.Identity(n) - u * u.T / Norm(u) ** 2), {},
     r"\frac{g}{\left\| \mathbf{u} \right\|} \left(\mathbf{I} - "
     r"\frac{\mathbf{u} \mathbf{u}^{\top}}{\left\| \mathbf{u} \right\|^{2}}\right)"),
    (MatProd(DiagOf(Apply(sigma_p, W * SeqTerm(h, t - 1, n, 1))) * W, t, 1, T), {},
     r"\prod_{t=1}^{T} \operatorname{diag}\left( \sigma'\left( \mathbf{W} \mathbf{h}_{t - 1} "
     r"\right) \right) \mathbf{W}"),
    (MatProd(W, t, 1, T) * x, {}, r"\left(\prod_{t=1}^{T} \mathbf{W}\right) \mathbf{x}"),
    (sp.Sum(beta ** (T - t) * vseq(t), (t, 1, T - 1)), {"sequences": {"v"}},
     r"\sum_{t=1}^{T - 1} \beta^{T - t} v_{t}"),
    (Expect(Norm(W * x - v) ** 2), {},
     r"\mathbb{E}\left[ \left\| \mathbf{W} \mathbf{x} - \mathbf{v} \right\|^{2} \right]"),
    (MatExpect(x * x.T), {}, r"\mathbb{E}\left[ \mathbf{x} \mathbf{x}^{\top} \right]"),
    (sp.Le(LambdaMax(W.T * W), gamma ** 2), {},
     r"\lambda_{1}\left( \mathbf{W}^{\top} \mathbf{W} \right) \le \gamma^{2}"),
    (Jac(W * x, x), {}, r"\frac{\partial \left(\mathbf{W} \mathbf{x}\right)}{\partial \mathbf{x}}"),
    (Grad(Norm(x) ** 2, x), {}, r"\nabla_{\mathbf{x}} \left\| \mathbf{x} \right\|^{2}"),
    (Softmax(W * x) - OneHot(y, m), {},
     r"\operatorname{softmax}\left( \mathbf{W} \mathbf{x} \right) - \operatorname{onehot}_{m}\left( y \right)"),
    (LogSumExp(W * x) - Entry(W * x, y), {},
     r"\operatorname{logsumexp}\left( \mathbf{W} \mathbf{x} \right) - \left(\mathbf{W} \mathbf{x}\right)_{y}"),
    (Relu(a) * Step(a) + SumEntries(W), {},
     r"\operatorname{ReLU}\left( a \right) \mathbf{1}\left[ a > 0 \right] + \operatorname{sum}\left( \mathbf{W} \right)"),
    (Apply(sigma, W * x).T * v, {}, r"\sigma\left( \mathbf{W} \mathbf{x} \right)^{\top} \mathbf{v}"),
    (SeqTerm(h, t, n, 1).T * W, {"names": {"h": r"\bm{h}"}}, r"\bm{h}_{t}^{\top} \mathbf{W}"),
    (W * x, {"bold_matrices": False}, r"W x"),
    (sp.Identity(n) + W, {"bold_matrices": False}, r"I + W"),
    (sp.Function("sigma")(a) + sp.Symbol("x_hat"), {"names": {"sigma": r"\phi"}},
     r"\hat{x} + \phi\left( a \right)"),
]


@pytest.mark.parametrize("expr, kwargs, expected", CASES, ids=[c[2][:40] for c in CASES])
def test_exact_output(expr, kwargs, expected):
    assert to_latex(expr, **kwargs) == expected


def balanced(tex: str) -> bool:
    """Braces balance (escaped ``\\{``/``\\}`` ignored) and ``\\left``/``\\right`` pair up."""
    depth = 0
    for tok in re.findall(r"\\[{}]|[{}]", tex):
        if tok in ("{", "}"):
            depth += 1 if tok == "{" else -1
            if depth < 0:
                return False
    stack = 0
    for tok in re.findall(r"\\(left|right)(?![A-Za-z])", tex):
        stack += 1 if tok == "left" else -1
        if stack < 0:
            return False
    return depth == 0 and stack == 0


def test_balanced_helper_rejects_bad_input():
    assert not balanced(r"\left( x")
    assert not balanced(r"{x}}")
    assert balanced(r"\{ x \} + \left\| y \right\|")


@pytest.mark.parametrize("expr, kwargs, expected", CASES, ids=[c[2][:40] for c in CASES])
def test_balanced(expr, kwargs, expected):
    assert balanced(to_latex(expr, **kwargs))


def test_deterministic_in_process():
    for expr, kwargs, _ in CASES:
        assert to_latex(expr, **kwargs) == to_latex(expr, **kwargs)


def test_deterministic_across_hash_seeds():
    code = (
        "import runpy, sys\n"
        "ns = runpy.run_path(sys.argv[1])\n"
        "print('\\n'.join(ns['to_latex'](e, **k) for e, k, _ in ns['CASES']))\n"
    )
    root = Path(__file__).resolve().parents[1]
    outs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        res = subprocess.run([sys.executable, "-c", code, __file__], cwd=root, env=env,
                             capture_output=True, text=True, check=True)
        outs.add(res.stdout)
    assert len(outs) == 1


def test_name_defaults():
    assert name_latex("alpha") == r"\alpha"
    assert name_latex("epsilon") == r"\epsilon"
    assert name_latex("Sigma", bold=True) == r"\boldsymbol{\Sigma}"
    assert name_latex("W_hh", bold=True) == r"\mathbf{W}_{hh}"
    assert name_latex("x1") == "x_{1}"
    assert name_latex("v_prev") == r"v_{\mathrm{prev}}"
    assert name_latex("hat_theta") == r"\hat{\theta}"
    assert name_latex("lambda_max") == r"\lambda_{\mathrm{max}}"
    assert name_latex("sigma'", {"sigma": r"\phi"}) == r"\phi'"
    assert name_latex("sigma'", {"sigma'": r"\dot\phi"}) == r"\dot\phi"


def test_primes_survive_superscripts():
    up = sp.MatrixSymbol("u'", n, 1)
    assert to_latex(up.T * v) == r"{\mathbf{u}'}^{\top} \mathbf{v}"
    assert to_latex(sp.Function("sigma'")(a) ** 2) == r"{\sigma'}^{2}\left( a \right)"
    assert to_latex(Entry(up, i) ** 2) == r"{{\mathbf{u}'}_{i}}^{2}"


def test_relation_latex():
    assert [relation_latex(r) for r in ["=", "<=", "<", ">=", ">", "=>", "<=>"]] == [
        "=", r"\le", "<", r"\ge", ">", r"\Rightarrow", r"\Leftrightarrow"]
    with pytest.raises(ValueError):
        relation_latex("~")


def test_compiles_with_pdflatex(tmp_path, pdf_tools):
    body = "\n".join(r"\[ %s \]" % to_latex(e, **k) for e, k, _ in CASES)
    body += "\n" + r"\[ a %s b \]" % r" \quad ".join(relation_latex(r) for r in ["=", "<=", "=>", "<=>"])
    doc = (r"\documentclass{article}" "\n" r"\usepackage{amsmath,amssymb,bm}" "\n"
           r"\begin{document}" "\n" + body + "\n" r"\end{document}" "\n")
    (tmp_path / "doc.tex").write_text(doc)
    res = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout[-3000:]
    assert (tmp_path / "doc.pdf").exists()
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert "! " not in log and "Missing character" not in log
