"""The audit reads a quadratic model and its stationary point, a normalisation written with a vector over a
scalar, two column vectors side by side, the operator norm's definition and an implication in one line
(issue 15: the Taylor-model and weight-normalization constructs).  Each submission and context is written
here; every verdict is the engine's."""

from __future__ import annotations

from pathlib import Path

from audit_files import audit_lines

CONTEXT = """
dims = ["n"]
[symbols.x]
kind = "vector"
[symbols.x_0]
kind = "vector"
[symbols.g]
kind = "vector"
[symbols.H]
kind = "matrix"
assumptions = ["symmetric"]
[symbols."f(x_0)"]
kind = "scalar"
[definitions."q_{x_0}"]
args = ["y"]
value = "f(x_0) + Dot((y - x_0).T*g) + Dot((y - x_0).T*H*(y - x_0))/2"
"""


def _audit(tmp_path: Path, text: str, context: str | None = CONTEXT) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for x in audit_lines(tmp_path, text, context, seed=0):
        out.setdefault(x["line"], []).append((x["verdict"], x["reason"] or ""))
    return out


def _verdicts(lines, n):
    return [v for v, _ in lines[n]]


# -- 1. '= 0' against a vector side; the stationary point of the model, as implications -----------------

NEWTON = r"""Question 1

Setting the gradient to zero, the step is given by $\nabla_x q_{x_0}(x) = 0$,

$$\nabla_x q_{x_0}(x) = g + H(x - x_0) = 0, \quad (1)$$

$$H^{-1} g + x - x_0 = 0, \quad (2)$$

$$x = x_0 - H^{-1} g. \quad (3)$$
"""

NEWTON_WRONG = NEWTON.replace(r"x = x_0 - H^{-1} g.", r"x = x_0 + H^{-1} g.").replace(
    r"\nabla_x q_{x_0}(x) = g + H(x - x_0) = 0, ", r"\nabla_x q_{x_0}(x) = g + 2 H(x - x_0) = 0, ")


def test_the_gradient_set_to_zero_is_an_equation_and_the_newton_step_follows_from_it(tmp_path):
    lines = _audit(tmp_path, NEWTON)
    assert _verdicts(lines, 3) == ["UNDECIDED"] and "equation solved for x" in lines[3][0][1]
    assert _verdicts(lines, 5) == ["PROVED"]  # grad of the model = g + H(x - x_0); '= 0' the equation
    assert _verdicts(lines, 7)[0] in ("PROVED", "CONFIRMED") and "implication" in lines[7][0][1]
    assert _verdicts(lines, 9) == ["PROVED"] and "implication" in lines[9][0][1]


def test_a_wrong_gradient_and_a_wrong_step_are_refuted(tmp_path):
    lines = _audit(tmp_path, NEWTON_WRONG)
    assert _verdicts(lines, 5) == ["REFUTED"]  # the gradient of the model is g + H(x - x_0), not g + 2H(..)
    assert _verdicts(lines, 9) == ["REFUTED"]  # x = x_0 + H^-1 g solves no line before it


def test_a_relation_of_a_vector_to_zero_reads_the_zero_of_its_shape(tmp_path):
    text = "Question 1\n\n$$\\mathbf{u} - \\mathbf{u} = 0$$\n\n$$\\mathbf{u} + \\mathbf{u} = 0$$\n"
    lines = _audit(tmp_path, text, context=None)
    assert _verdicts(lines, 3) == ["PROVED"] and _verdicts(lines, 5) == ["REFUTED"]


# -- 2. a vector over a scalar, (x - mu)/s with mu undeclared; equated sides and what follows ---------

NORMALISE = r"""Question 2

Equating, we get

$$w^T \left(\frac{x - \mu}{s}\right) + b = \left(\frac{v}{\|v\|}\right)^T x + b, \quad (1)$$

$$w^T \left(\frac{x - \mu}{s}\right) = \left(\frac{v}{\|v\|}\right)^T x. \quad (2)$$

Since the mean of x is zero, $\mu = 0$,

$$w^T \left(\frac{x}{s}\right) = \left(\frac{v}{\|v\|}\right)^T x. \quad (3)$$

$$w^T \left(\frac{x}{s}\right) = \left(\frac{2 v}{\|v\|}\right)^T x. \quad (4)$$
"""

NORM_CONTEXT = """
dims = ["n"]
[symbols.w]
kind = "vector"
[symbols.v]
kind = "vector"
[symbols.x]
kind = "vector"
[symbols.s]
assumptions = ["positive"]
"""


def test_a_vector_minus_an_undeclared_name_over_a_scalar_is_read_and_the_equated_line_refuted(tmp_path):
    lines = _audit(tmp_path, NORMALISE, NORM_CONTEXT)
    assert _verdicts(lines, 5) == ["REFUTED"]  # equating BN and WN claims they are equal: they are not
    assert "a vector of its size" in lines[5][0][1]
    assert _verdicts(lines, 7) == ["PROVED"] and "implication" in lines[7][0][1]  # b subtracted
    assert _verdicts(lines, 9) == ["UNDECIDED"] and "definition of mu" in lines[9][0][1]
    assert _verdicts(lines, 11) == ["PROVED"]  # mu = 0 substituted
    assert _verdicts(lines, 13) == ["REFUTED"]  # 2v/||v||: no solution of (3) solves it


# -- 3. two column vectors side by side -----------------------------------------------------------------

def test_two_column_vectors_side_by_side_are_their_inner_product_with_a_note(tmp_path):
    text = ("Question 1\n\n$$\\|\\mathbf{u} - \\epsilon \\mathbf{v}\\|^2 = \\|\\mathbf{u}\\|^2 + "
            "\\|\\epsilon \\mathbf{v}\\|^2 - 2\\epsilon \\mathbf{u} \\mathbf{v}$$\n\n"
            "$$\\|\\mathbf{u} - \\epsilon \\mathbf{v}\\|^2 = \\|\\mathbf{u}\\|^2 + "
            "\\|\\epsilon \\mathbf{v}\\|^2 - \\epsilon \\mathbf{u} \\mathbf{v}$$\n")
    text += "\n$$\\mathbf{g} = \\frac{\\partial f}{\\partial \\mathbf{x}}(\\mathbf{x}_0)$$\n"
    lines = _audit(tmp_path, text, context=None)
    assert _verdicts(lines, 3) == ["PROVED"] and "as the inner product" in lines[3][0][1]
    assert _verdicts(lines, 5) == ["REFUTED"]
    assert "inner product" not in lines[7][0][1]  # a derivative at a point: (x_0) is where, not a factor


# -- 4. the operator norm's definition; an implication whose premise is a hypothesis -------------------

def test_the_operator_norm_definition_is_read_and_a_wrong_one_refuted(tmp_path):
    text = ("Question 1\n\n$$\\|\\mathbf{A}\\| = \\max_{\\mathbf{x}: \\|\\mathbf{x}\\|=1} \\|\\mathbf{A}\\mathbf{x}\\|$$\n\n"
            "$$\\|\\mathbf{A}\\| = \\max_{\\mathbf{x}: \\|\\mathbf{x}\\|=1} \\|\\mathbf{A}^T\\mathbf{A}\\mathbf{x}\\|$$\n\n"
            "$$\\|\\mathbf{A}\\| = \\max_{\\mathbf{x}: \\|\\mathbf{x}\\|=2} \\|\\mathbf{A}\\mathbf{x}\\|$$\n")
    lines = _audit(tmp_path, text, context=None)
    assert _verdicts(lines, 3) == ["PROVED"] and "operator (spectral) norm" in lines[3][0][1]
    assert _verdicts(lines, 5) == ["REFUTED"]
    assert _verdicts(lines, 7) == ["UNREAD"] and "only the unit vectors" in lines[7][0][1]


IMPLIES_CONTEXT = """
hypotheses = ["b <= a"]
[symbols.a]
interval = "(0, 1)"
[symbols.b]
assumptions = ["positive"]
"""


def test_an_implication_is_checked_as_its_consequent_when_its_premise_is_a_hypothesis(tmp_path):
    text = ("Question 1\n\n$$b \\leq a \\quad \\implies \\quad \\frac{b^k}{1 + c^2} \\rightarrow 0 \\text{ as } k \\rightarrow \\infty$$\n\n"
            "$$b \\leq a \\quad \\implies \\quad b^2 \\leq a^3$$\n\n"
            "$$b \\geq a \\quad \\implies \\quad b^2 \\geq a^2$$\n")
    lines = _audit(tmp_path, text, IMPLIES_CONTEXT)
    assert _verdicts(lines, 3)[0] in ("PROVED", "CONFIRMED") and "hypothesis in force" in lines[3][0][1]
    assert _verdicts(lines, 5) == ["REFUTED"]  # b = a = 1/2: b^2 > a^3
    assert _verdicts(lines, 7) == ["UNDECIDED"] and "not a hypothesis in force" in lines[7][0][1]
