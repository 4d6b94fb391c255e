"""Notation classes of real write-ups (issue 15's corpus target), each on a small input written here."""

from __future__ import annotations

from audit_files import verdicts_and_reasons


def verdicts(tmp_path, body: str, name: str = "sub.tex") -> list[tuple[str, str]]:
    return verdicts_and_reasons(tmp_path, body, name=name, budget=5.0)


def test_an_approximation_is_read_and_never_passes(tmp_path):
    got = verdicts(tmp_path, "\\[ a^2 - b^2 \\approx (a - b)(a + b) = a^2 - b^2 \\]\n"
                             "\\[ a \\approx a + 1 \\]\n")
    assert got[0][0] == "UNDECIDED" and "approximation" in got[0][1] and "PROVED" in got[0][1]
    assert got[1][0] == "UNDECIDED" and "not checked" in got[1][1]


def test_an_approximation_next_to_a_wrong_equality_is_still_refuted(tmp_path):
    got = verdicts(tmp_path, "\\[ a^2 \\approx (a - b)(a + b) = a^2 + b^2 \\]\n")
    assert got[0][0] == "REFUTED"


def test_an_implication_is_read_and_its_conclusion_is_not_checked_alone(tmp_path):
    # x^2 = 4 alone is false; after "x = 2 =>" it is not an identity to check
    got = verdicts(tmp_path, "\\[ x = 2 \\implies x^2 = 4 \\]\n\\[ \\frac{1}{t} \\to 0 \\]\n\\[ i \\neq j \\]\n")
    assert [v for v, _ in got] == ["UNDECIDED"] * 3
    assert "implication" in got[0][1] and "\\to" in got[1][1] and "neq" in got[2][1]


def test_a_matrix_written_entry_by_entry_is_read_and_its_products_ordered(tmp_path):
    got = verdicts(tmp_path, "\\[ \\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix} \\begin{pmatrix} x \\\\ y \\end{pmatrix}"
                             " = \\begin{pmatrix} a x + b y \\\\ c x + d y \\end{pmatrix} \\]\n"
                             "\\[ \\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix} \\begin{bmatrix} x \\\\ y \\end{bmatrix}"
                             " = \\begin{bmatrix} a x + c y \\\\ b x + d y \\end{bmatrix} \\]\n")
    assert got[0][0] == "PROVED"
    assert got[1][0] == "REFUTED"  # the transpose's product: never read commutatively


def test_a_vector_defined_entry_by_entry_takes_its_size(tmp_path):
    got = verdicts(tmp_path, "\\begin{align}\nv &= \\left[ \\begin{matrix} a \\\\ b \\end{matrix} \\right] \\\\\n"
                             "v^T v &= a^2 + b^2 \\\\\nv^T v &= a^2 + 2 b^2\n\\end{align}\n")
    assert [v for v, _ in got] == ["UNDECIDED", "CONFIRMED", "REFUTED"] or \
        [v for v, _ in got] == ["UNDECIDED", "PROVED", "REFUTED"]


def test_a_sum_without_bounds_runs_over_its_vectors_size_only_where_that_is_sound(tmp_path):
    got = verdicts(tmp_path, "\\[ \\mathbf{x}^T \\mathbf{y} = \\sum_i x_i y_i \\]\n"
                             "\\[ \\mathbf{x}^T \\mathbf{y} = \\sum_i x_i y_i + 1 \\]\n"
                             "\\[ \\sum_j p_j = 1 \\]\n"
                             "\\[ \\sum_{k} \\mathbf{x}_k \\mathbf{y}_k = \\mathbf{y}^T \\mathbf{x} \\]\n")
    assert got[0][0] in ("PROVED", "CONFIRMED") and got[1][0] == "REFUTED"
    assert got[2][0] == "UNDECIDED" and "#j" in got[2][1]  # p_j over an unknown range #j: never refuted
    assert got[3][0] == "UNREAD" and "bold" in got[3][1]  # x_k: the k-th vector, or an entry?


def test_a_function_of_several_arguments_is_read_as_its_values_and_never_refuted_on_them(tmp_path):
    got = verdicts(tmp_path, "\\[ \\mathrm{CE}(y, \\hat{y}) + 0 = \\mathrm{CE}(y, \\hat{y}) \\]\n"
                             "\\[ \\log P(x, z) = \\log P(x) + \\log P(z) \\]\n"
                             "\\[ \\frac{\\partial f(x, w)}{\\partial w} = 0 \\]\n")
    assert got[0][0] == "PROVED"
    assert got[1][0] == "UNDECIDED" and "independent numbers" in got[1][1]  # P(x, z) is no free number
    assert got[2][0] == "UNDECIDED" and "d(f(x,w))/d(w)" in got[2][1]  # never 0 by reading f(x,w) as a constant


def test_a_letter_written_only_before_a_parenthesis_is_read_both_ways(tmp_path):
    # h(x) = x^2 is h times x = x^2 (false) or the function h (a definition): ambiguous, never REFUTED
    got = verdicts(tmp_path, "\\[ h(x) = x^2 \\]\n")
    assert got[0][0] == "UNDECIDED" and "ambiguous" in got[0][1] and "h a function" in got[0][1]


def test_log_of_an_application_is_the_log_of_the_value(tmp_path):
    # \log f(x) is log(f(x)), never log(f) * x
    got = verdicts(tmp_path, "\\[ \\log g(a, b) + \\log g(a, b) = 2 \\log g(a, b) \\]\n"
                             "\\[ \\log g(a, b) = \\log g(a, b) \\cdot a \\]\n")
    assert got[0][0] in ("PROVED", "CONFIRMED") and got[1][0] == "UNDECIDED"


def test_a_determinant_written_as_vmatrix_is_not_read_as_a_matrix(tmp_path):
    got = verdicts(tmp_path, "\\[ \\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix} = a d - b c \\]\n")
    assert got[0][0] == "UNREAD"


def test_an_inner_product_of_vectors_is_their_dot_product_unless_the_submission_defines_its_own(tmp_path):
    got = verdicts(tmp_path, "\\[ \\langle \\mathbf{a}, \\mathbf{b} \\rangle = \\mathbf{b}^T \\mathbf{a} \\]\n"
                             "\\[ \\langle \\mathbf{a}, \\mathbf{b} \\rangle = \\mathbf{a}^T \\mathbf{a} \\]\n"
                             "\\[ \\langle f, g \\rangle = 0 \\]\n")
    assert [v for v, _ in got] == ["PROVED", "REFUTED", "UNREAD"]
    got = verdicts(tmp_path, "\\[ \\langle x, y \\rangle := x^T \\mathbf{S} y \\]\n"
                             "\\[ \\langle \\mathbf{x}, \\mathbf{y} \\rangle = \\mathbf{x}^T \\mathbf{y} \\]\n", "b.tex")
    assert got[1][0] == "UNREAD" and "its own inner product" in got[1][1]


def test_a_line_continuing_an_unread_line_is_unread_never_compared_with_an_earlier_line(tmp_path):
    got = verdicts(tmp_path, "\\begin{align}\n(x+1)^2 &= x^2 + 2x + 1 \\\\\n&= \\foo{x} \\\\\n&= x^2 + 1\n\\end{align}\n")
    assert got[0][0] == "PROVED" and got[1][0] == "UNREAD"
    assert got[2][0] == "UNREAD" and "continues an unread line" in got[2][1]  # x^2 + 2x + 1 = x^2 + 1 is not its claim


def test_a_derivative_of_a_name_nothing_defines_is_never_zero(tmp_path):
    # read as a constant, f would have derivative 0: df/dgamma = 0 "proved", a chain rule 0 = 0
    got = verdicts(tmp_path, "\\[ \\frac{\\partial f}{\\partial \\gamma} = 0 \\]\n"
                             "\\[ \\frac{\\partial f}{\\partial \\gamma} = \\frac{\\partial f}{\\partial y} "
                             "\\frac{\\partial y}{\\partial \\gamma} \\]\n"
                             "\\begin{align}\nJ &= w^2 \\\\\n\\frac{\\partial J}{\\partial w} &= 2 w\n\\end{align}\n"
                             "\\begin{align}\n\\frac{\\partial L}{\\partial w} &= (a+b)^2 \\\\\n&= a^2 + 2ab + b^2\n"
                             "\\end{align}\n")
    assert [v for v, _ in got[:2]] == ["UNDECIDED", "UNDECIDED"] and "no line read before defines" in got[0][1]
    assert got[3][0] == "PROVED"
    assert got[4][0] == "UNDECIDED" and got[5][0] == "PROVED"  # its right side is read: the chain goes on from it


def test_a_name_defined_from_a_derivative_of_an_undefined_name_is_unknown_never_refuted_on(tmp_path):
    # read as a constant L would make grad L = 0 and v = w: v = w + 1 would be "refuted" on that artefact
    got = verdicts(tmp_path, "\\begin{align}\nv &= w - \\epsilon \\frac{\\partial L}{\\partial w} \\\\\n"
                             "2 v &= 2 w + 1\n\\end{align}\n")
    assert got[0][0] == "UNDECIDED" and "by an unknown" in got[0][1]
    assert got[1][0] == "UNDECIDED" and "independent numbers" in got[1][1]


def test_a_power_after_a_product_with_a_parenthesis_is_on_the_parenthesis(tmp_path):
    # 2(a+b)^2 was read (2(a+b))^2 and refuted
    got = verdicts(tmp_path, "\\[ 2(a+b)^2 = 2a^2 + 4ab + 2b^2 \\]\n\\[ \\frac{1}{2}(a+b)^{2} = \\frac{(a+b)^2}{2} \\]\n"
                             "\\[ \\sigma(x)^2 = \\sigma(x) \\sigma(x) \\]\n\\[ 2(a+b)^2 = 4(a+b)^2 \\]\n")
    assert [v for v, _ in got] == ["PROVED", "PROVED", "PROVED", "REFUTED"]


def test_a_derivative_with_respect_to_a_square_is_the_chain_rule_through_it(tmp_path):
    got = verdicts(tmp_path, "\\[ \\frac{\\partial}{\\partial \\sigma^2} \\frac{1}{\\sqrt{\\sigma^2 + \\epsilon}} = "
                             "-\\frac{1}{2} (\\sigma^2 + \\epsilon)^{-1.5} \\]\n"
                             "\\[ \\frac{\\partial}{\\partial \\sigma^2} \\frac{1}{\\sqrt{\\sigma^2 + \\epsilon}} = "
                             "-\\frac{1}{2} (\\sigma^2 + \\epsilon)^{-0.5} \\]\n")
    assert [v for v, _ in got] == ["PROVED", "REFUTED"] and "2 sigma" in got[0][1]


def test_a_derivative_of_a_value_of_an_undeclared_function_is_read_and_the_chain_goes_on(tmp_path):
    got = verdicts(tmp_path, "\\begin{align}\n\\frac{\\partial \\mathrm{CE}(y, \\hat{y})}{\\partial \\theta} &= \\hat{y} - y"
                             " \\\\\n&= -(y - \\hat{y}) \\\\\n&= y - \\hat{y}\n\\end{align}\n")
    assert [v for v, _ in got] == ["UNDECIDED", "PROVED", "REFUTED"] and "undeclared function" in got[0][1]


def test_inline_conditions_and_update_rules_are_read_never_refuted_as_claims(tmp_path):
    got = verdicts(tmp_path, "It converges when $|1 - \\eta \\lambda| < 1$ and diverges for $\\eta \\lambda > 2$; "
                             "note $(a+b)^2 = a^2 + 2ab + b^2$.\n\n$$ \\theta := \\theta - \\alpha g $$\n\n"
                             "$$ w \\leftarrow w - \\eta g $$\n", "c.md")
    assert [v for v, _ in got] == ["UNDECIDED", "UNDECIDED", "PROVED", "UNDECIDED", "UNDECIDED"]
    assert "may be a case" in got[1][1] and "update" in got[3][1] and "assignment" in got[4][1]


def test_an_entry_of_a_vector_expression_is_read_where_its_index_is_known(tmp_path):
    got = verdicts(tmp_path, "\\[ \\sum_{i=1}^{n} (\\mathbf{x} + \\mathbf{y})_i = \\sum_{i=1}^{n} x_i + \\sum_{i=1}^{n} y_i \\]\n"
                             "\\[ \\sum_{i=1}^{n} (2\\mathbf{x})_i = \\sum_{i=1}^{n} x_i \\]\n\\[ (\\mathbf{x})_k = 1 \\]\n")
    assert got[0][0] in ("PROVED", "CONFIRMED") and got[1][0] == "REFUTED"
    assert got[2][0] == "UNREAD" and "range is unknown" in got[2][1]


def test_unread_notations_say_what_they_are(tmp_path):
    got = verdicts(tmp_path, "\\[ \\int_0^1 x \\, dx = \\frac{1}{2} \\]\n"
                             "\\[ \\mathbf{w}^* = \\arg\\max_{\\mathbf{w}} \\log p \\]\n\\[ \\nabla \\ell = 0 \\]\n")
    assert [v for v, _ in got] == ["UNREAD", "UNDECIDED", "UNREAD"]  # (cases are read now: tests/test_read_cases.py)
    assert "integral" in got[0][1] and "named as written" in got[1][1] and "nabla" in got[2][1]  # arg max: a value


def test_a_function_defined_by_a_line_is_read_and_never_refuted_as_an_arbitrary_one(tmp_path):
    got = verdicts(tmp_path, "\\[ \\sigma(x) = \\frac{1}{1+e^{-x}} \\]\n"
                             "\\[ \\sigma'(x) = \\sigma(x)(1 - \\sigma(x)) \\]\n\\[ \\sigma(x) + 1 = 2 + \\sigma(x) \\]\n"
                             "\\[ g(x, y) = x y \\]\n")
    assert [v for v, _ in got] == ["UNDECIDED"] * 4
    assert "definition of the function" in got[0][1] and "line 1 defines" in got[1][1] and "not refuted" in got[2][1]


def test_invisible_characters_are_dropped_and_a_log_of_a_number_keeps_its_digits(tmp_path):
    got = verdicts(tmp_path, "\\[ \\ln 20 = \\ln 4 + \\ln 5 \\]\n\\[ \\ln 20 = \\ln 4 + \\ln 6 \\]\n"
                             "\\[ a + b\u200b = b + a \\]\n")
    assert [v for v, _ in got] == ["PROVED", "REFUTED", "PROVED"]
