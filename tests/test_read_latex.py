"""The LaTeX grammar and builder: ML notation into the engine's own nodes."""

from __future__ import annotations

import pytest

from symbolic.algebra import Dot, Grad, Jac, MatrixExpr, Norm, Softmax, sp
from symbolic.read.context import SymbolTable, context_from_dict
from symbolic.read.latex import ReadError, normalise, read_chain


def read(text, table=None):
    return read_chain(text, (table or SymbolTable()).scope())


@pytest.mark.parametrize("spelling", [r"^T", r"^\top", r"^{\top}", r"^\intercal", r"^{T}"])
def test_every_transpose_spelling_is_a_transpose_and_products_stay_ordered(spelling):
    c = read(rf"(\mathbf{{A}}\mathbf{{B}}){spelling} = \mathbf{{B}}{spelling}\mathbf{{A}}{spelling}")
    lhs, rhs = c.exprs
    A, B = sp.MatrixSymbol("A", *lhs.shape), sp.MatrixSymbol("B", *lhs.shape)
    assert lhs == (A * B).T and rhs == B.T * A.T
    assert A * B != B * A  # never commutative scalars


def test_norms_abs_fonts_and_gradients():
    c = read(r"\left\| \boldsymbol{x} \right\|_2^2 = \lVert \vec{x} \rVert^2 = \bm{x}^\top \mathbf{x}")
    x = sp.MatrixSymbol("x", sp.Symbol("n", integer=True, positive=True), 1)
    assert c.exprs == (Norm(x) ** 2, Norm(x) ** 2, Dot(x.T * x))
    g = read(r"\nabla_{\mathbf{x}} f = \frac{\partial f}{\partial \mathbf{x}}").exprs
    assert isinstance(g[0], Grad) and g[0] == g[1]
    j = read(r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \mathbf{W}").exprs[0]
    assert isinstance(j, Jac)
    assert read(r"|a b| = |a| |b|").exprs == (sp.Abs(sp.Symbol("a", real=True) * sp.Symbol("b", real=True)),
                                              sp.Abs(sp.Symbol("a", real=True)) * sp.Abs(sp.Symbol("b", real=True)))


def test_sums_fractions_roots_functions_sequences_and_accents():
    c = read(r"\sum_{i=1}^{n} x_i^2 \ge \frac{1}{2}\sqrt{\hat{y}} \cdot \log(\tilde y) + \exp(h_{t-1})")
    lhs, rhs = c.exprs
    assert isinstance(lhs, sp.Sum) and c.relations == (">=",)
    assert {s.name for s in rhs.free_symbols} == {"y_hat", "y_tilde", "h_{t-1}"}
    sig = read(r"\sigma(\mathbf{W}\mathbf{h}_{t-1}) = \mathbf{g}_t").exprs[0]
    assert type(sig).__name__ == "Apply" and isinstance(sig, MatrixExpr)
    tr = read(r"\operatorname{tr}(\mathbf{A}\mathbf{B}) = \text{tr}(\mathbf{B}\mathbf{A})").exprs
    assert tr == (sp.Trace(tr[0].arg), sp.Trace(tr[1].arg)) and tr[0] != tr[1]


def test_shapes_are_checked_and_a_context_declares_shapes():
    table = context_from_dict({"dims": ["n", "m"], "symbols": {
        "W": {"kind": "matrix", "shape": ["m", "n"]}, "x": {"kind": "vector", "size": "n"}}})
    assert read(r"W x = W x", table).exprs[0].shape[0].name == "m"
    with pytest.raises(ReadError, match="shape mismatch"):
        read(r"x W = 0", table)
    with pytest.raises(ReadError, match="shape mismatch"):
        read(r"\mathbf{x} + W", table)


def test_a_continuation_and_a_scalar_transpose_power():
    c = read(r"&= \delta^T")
    assert c.continues and c.exprs[0] == sp.Symbol("delta", real=True) ** sp.Symbol("T", real=True)


@pytest.mark.parametrize("text, message", [
    (r"\frac{a}{b", "unbalanced braces"),
    (r"\foo{x} = 1", r"unknown command \\foo at character 1"),
    (r"x \asymp y", r"unknown command \\asymp"),  # \approx is read (not checked): tests/test_read_corpus.py
    (r"\lim_i x_i = 1", "not read yet|unexpected"),  # \max_i x_i is read: tests/test_read_corpus_md.py
])
def test_lines_that_cannot_be_read_say_why(text, message):
    with pytest.raises(ReadError, match=message):
        read(text)


def test_normalise_pairs_bars():
    assert normalise(r"|x| + \|y\|").split() == r"\lvert x\rvert + \lVert y\rVert".split()


def test_indices_with_commas_are_their_own_symbols_and_decimals_read():
    a, b = read(r"w_{1,2} + w_{12} = W^{(i, j, k)}").exprs[0].free_symbols, None
    assert {s.name for s in a} == {"w_{1,2}", "w_{12}"}
    assert read(r"x^{-0.5} = 1").exprs[0] == sp.Symbol("x", real=True) ** sp.Rational(-1, 2)


def test_a_superscript_then_a_subscript():
    c = read(r"\sigma^2_p + a^{(i)}_k = \sigma_p^2 + a^{(i)}_{k}")
    assert c.exprs[0] == c.exprs[1] and {s.name for s in c.exprs[0].free_symbols} == {"sigma_p", "a^(i)_k"}
    total = read(r"\sum_{i=1}^{m} x^{(i)} = m").exprs[0]  # x^{(i)} under a sum over i is a term, not a constant
    assert isinstance(total, sp.Sum) and total.variables[0] in total.function.free_symbols
    w = read(r"\sum_{i=1}^{m} W_{ij} = 1").exprs[0].function  # never the term i*j of a sequence: term (i, j)
    assert len(w.args) == 2 and str(w) == "W_seq2(i, j)"


def test_d_fractions_are_derivatives_never_quotients():
    g = read(r"\frac{dz}{dx} = \frac{d}{dx} z").exprs
    assert isinstance(g[0], Grad) and g[0] == g[1]
    assert read(r"\partial_{\mathbf{x}} f = \nabla_{\mathbf{x}} f").exprs[0] == read(r"\nabla_{\mathbf{x}} f").exprs[0]
    assert read(r"\frac{d}{2} = 1").exprs[0] == sp.Symbol("d", real=True) / 2
    with pytest.raises(ReadError, match="higher derivative"):
        read(r"\frac{d^2 f}{dx^2} = 0")
    with pytest.raises(ReadError, match="nothing to differentiate"):
        read(r"y + \frac{d}{dx} = 0")
    c = read(r"(a - b) \frac{d}{dx} x y = 0").exprs[0]  # d/dx inside a product applies to what follows it
    assert str(c) == "Dot((a - b)*Grad(x*y, x))"


def test_decorations_are_dropped_and_fonts_stay_on_the_letter():
    c = read(r"\boxed{\mathbf{s_1} = \underbrace{\mathbf{W} \mathbf{x}}_{\text{layer}} + \color{red}{\vec{b_1}}}")
    x = read(r"\mathbf{s}_1 = \mathbf{W}\mathbf{x} + \mathbf{b}_1").exprs
    assert c.exprs == x
    assert read(r"\hat{y_i} = \hat{y}_i").exprs[0] == read(r"\hat{y}_i").exprs[0]
    assert read(r"a \overset{(1)}{=} b \overset{def}{=} c").relations == ("=", ":=")


def test_matrix_literals_keep_their_columns_and_order():
    c = read(r"a &= \begin{pmatrix} 0 & 1 \\ 0 & 0 \end{pmatrix} \begin{pmatrix} 1 & 0 \\ 0 & 0 \end{pmatrix}")
    assert c.exprs[1] == sp.ImmutableMatrix([[0, 0], [0, 0]])  # N M, not M N (= [[0, 1], [0, 0]])
    s = read(r"\operatorname{softmax}\left(\begin{smallmatrix} 7 \\ 7 \end{smallmatrix}\right) = "
             r"\begin{bmatrix} 0.5 \\ 0.5 \end{bmatrix}").exprs
    assert isinstance(s[0], type(Softmax(sp.MatrixSymbol("v", 2, 1)))) and s[1] == sp.ImmutableMatrix([[sp.Rational(1, 2)]] * 2)
    with pytest.raises(ReadError, match="block matrix"):
        read(r"\begin{bmatrix} \mathbf{x} & \mathbf{y} \end{bmatrix} = 0")
    with pytest.raises(ReadError, match="different lengths"):
        read(r"\begin{bmatrix} 1 & 2 \\ 3 \end{bmatrix} = 0")
