"""Notation of Markdown write-ups (issue 15's corpus target), each construct on a small Markdown written here."""

from __future__ import annotations

from audit_files import verdicts_and_reasons


def verdicts(tmp_path, *blocks: str, name: str = "sub.md") -> list[tuple[str, str]]:
    body = "# Question 1\n\nSome words.\n\n" + "".join(f"$$\n{b}\n$$\n\nthen\n\n" for b in blocks)
    return verdicts_and_reasons(tmp_path, body, name=name, budget=5.0)


def test_a_conditioning_bar_and_a_semicolon_in_a_call_are_a_value_named_as_written(tmp_path):
    got = verdicts(tmp_path, r"\log p(x, z | \theta) + \log p(z \mid x; \theta) = \log p(z | x; \theta) + \log p(x, z|\theta)",
                   r"p(x | \theta) = p(x | \theta) + 1",
                   r"p(y; \eta) + p(x | y) = p(y; \eta) + p(y | x)")
    assert got[0][0] == "PROVED"
    assert got[1][0] == "UNDECIDED" and "undeclared functions" in got[1][1]  # no counterexample on an unknown p
    assert got[2][0] != "PROVED"  # p(x | y) and p(y | x) are two values


def test_an_event_inside_a_probability_is_part_of_its_name(tmp_path):
    got = verdicts(tmp_path, r"p(y = 1 \mid x) + p(y = 0 \mid x) = p(y = 0 \mid x) + p(y = 1 \mid x)",
                   r"p(y = 1 \mid x) = p(y = 0 \mid x)")
    assert got[0][0] == "PROVED"
    assert got[1][0] == "UNDECIDED"


def test_a_divergence_written_with_a_double_bar_is_one_value(tmp_path):
    got = verdicts(tmp_path, r"KL(P || Q) - KL(P||Q) = 0", r"KL(P || Q) = KL(Q || P)")
    assert got[0][0] == "PROVED" and got[1][0] == "UNDECIDED"


def test_an_expectation_a_variance_and_a_covariance_are_values_named_as_written(tmp_path):
    got = verdicts(tmp_path, r"\mathbb{E}[y] + \text{Var}[y] = \text{Var}[y] + \mathbb E[y]",
                   r"\text{Cov}(x, y) + \mathbb{E}_{x \sim p}[x] = \mathbb{E}_{x \sim p}[x] + \text{Cov}(x, y)",
                   r"\mathbb{E}[y + z] = \mathbb{E}[y] + \mathbb{E}[z]",
                   r"\mathbb{E}[\mathbf{g}] = \mathbf{0}")
    assert [v for v, _ in got[:2]] == ["PROVED", "PROVED"]
    assert got[2][0] == "UNDECIDED"  # linearity is not known of a value named as written: never refuted
    assert got[3][0] == "UNREAD"  # the expectation of a vector: not read here


def test_a_value_under_a_sum_is_a_term_of_its_family_never_a_constant_of_the_sum(tmp_path):
    got = verdicts(tmp_path, r"\sum_{i=1}^{2} \log p(x^{(i)} | \theta) = 2 \log p(x^{(1)} | \theta)",
                   r"\sum_{i=1}^{m} \log p(x^{(i)} | \theta) = \sum_{j=1}^{m} \log p(x^{(j)} | \theta)")
    assert got[0][0] == "UNDECIDED"  # read as a constant of the sum, both sides would be 2 c: PROVED
    assert got[1][0] == "PROVED"  # the index renamed: the same family


def test_a_function_applied_to_a_bare_name_takes_its_subscripts_and_powers(tmp_path):
    got = verdicts(tmp_path, r"\log x^2 = (\log x)^2", r"\log x_1 + \log y_1 = \log y_1 + \log x_1")
    assert got[0][0] == "REFUTED"  # log(x^2), never (log x)^2
    assert got[1][0] == "PROVED"


def test_a_parenthesised_superscript_after_a_subscript_is_a_label_never_a_power(tmp_path):
    got = verdicts(tmp_path, r"h_2^{(i)} = h^{(i)}_2",
                   r"\sum_{i=1}^{m} x_1^{(i)} = \sum_{j=1}^{m} x_1^{(j)}",
                   r"\sum_{i=1}^{m} x_1^{(i)} = m x_1^{(1)}")
    assert got[0][0] == "PROVED"  # h_2 to the power i would be refuted
    assert got[1][0] == "PROVED"
    assert got[2][0] == "REFUTED"


def test_an_upper_bound_t_of_a_sum_is_the_letter_not_a_transpose(tmp_path):
    got = verdicts(tmp_path, r"\sum_{t=1}^{T} a_t = \sum_{s=1}^{T} a_s", r"\sum_{t=1}^T c = c")
    assert got[0][0] == "PROVED" and got[1][0] == "REFUTED"


def test_a_product_with_a_negated_factor(tmp_path):
    got = verdicts(tmp_path, r"a \cdot -b = -a b", r"a \times -b = a b")
    assert got[0][0] == "PROVED" and got[1][0] == "REFUTED"


def test_a_function_of_a_fraction(tmp_path):
    got = verdicts(tmp_path, r"\exp \frac{a}{2} \exp \frac{a}{2} = \exp a",
                   r"\log \frac{a}{b} + 1 = 1 + \log \frac{a}{b}")
    assert [v for v, _ in got] == ["PROVED", "PROVED"]


def test_an_infinite_upper_bound_is_read_and_never_refuted_by_a_divergent_instance(tmp_path):
    got = verdicts(tmp_path, r"\sum_{k=0}^\infty \beta^k = \frac{1}{1-\beta}")
    assert got[0][0] not in ("UNREAD", "REFUTED")


def test_a_gradient_without_its_variable_of_an_undeclared_function(tmp_path):
    got = verdicts(tmp_path, r"\nabla \ell(\theta) - \nabla \ell(\theta) = 0", r"\nabla \ell(\theta) = 0",
                   r"\nabla \mathbf{f}(\mathbf{x}) = \mathbf{0}")
    assert got[0][0] == "PROVED" and got[1][0] == "UNDECIDED"
    assert got[2][0] == "UNREAD"  # the gradient of a function of a vector is a vector: not read


def test_an_optimum_is_a_value_named_as_written(tmp_path):
    got = verdicts(tmp_path, r"\max_x \min_y f(x, y) \le \min_y \max_x f(x, y)",
                   r"\arg\max_{\theta} L(\theta, x) = \arg\max_{\theta} L(\theta, x)")
    assert got[0][0] == "UNDECIDED" and got[1][0] == "PROVED"
    got = verdicts(tmp_path, r"\mathbf{w}^* = \arg\max_{\mathbf{w}} L(\mathbf{w})", name="b.md")
    assert got[0][0] == "UNDECIDED" and "vector named as written" in got[0][1]  # a vector, never a number


def test_a_transpose_superscript_before_a_letter_is_a_transpose(tmp_path):
    # TeX's superscript of u^Tv is the one token T: u^T v
    got = verdicts(tmp_path, r"u^Tv = v^Tu", r"u^Tv = u^Tu")
    assert got[0][0] in ("PROVED", "CONFIRMED") and got[1][0] == "REFUTED"


def test_a_conditioning_bar_in_a_subscript_is_part_of_the_name(tmp_path):
    got = verdicts(tmp_path, r"\mu_{1|2} + \mu_{2|1} = \mu_{2|1} + \mu_{1|2}", r"\mu_{1|2} = \mu_{2|1}")
    assert got[0][0] == "PROVED" and got[1][0] == "REFUTED"


def test_an_event_without_a_bar_and_a_probability_of_vectors_are_numbers(tmp_path):
    got = verdicts(tmp_path, r"p(\mathbf{x}) = p(\mathbf{x} \mid y=0) p(y=0) + p(\mathbf{x} \mid y=1) p(y=1)",
                   r"p(y=0) p(\mathbf{x} \mid y=0) + p(y=1) p(\mathbf{x} \mid y=1) = p(\mathbf{x} \mid y=1) p(y=1) "
                   r"+ p(y=0) p(\mathbf{x} \mid y=0)")
    assert got[0][0] != "UNREAD" and got[1][0] == "PROVED"


def test_a_double_bar_norm(tmp_path):
    got = verdicts(tmp_path, r"||\mathbf{v}||^2 = \mathbf{v}^T \mathbf{v}", r"||\mathbf{v}||^2 = 2 \mathbf{v}^T \mathbf{v}")
    assert got[0][0] in ("PROVED", "CONFIRMED") and got[1][0] == "REFUTED"


def test_a_negative_number_leading_a_braced_group(tmp_path):
    got = verdicts(tmp_path, r"\frac{-2 x}{y} = -2 \frac{x}{y}", r"e^{-2 x} = e^{-x} e^{-x}", r"e^{-2 x} = e^{-x}")
    assert [v for v, _ in got] == ["PROVED", "PROVED", "REFUTED"]


def test_a_subscript_group_after_a_name_and_the_arctangent(tmp_path):
    got = verdicts(tmp_path, r"\theta{_k} + 1 = 1 + \theta_k", r"\tau(z) = \frac{\arctan(z)}{\pi} + \frac{1}{2}",
                   r"\arctan(0) = 1")
    assert got[0][0] == "PROVED" and got[1][0] != "UNREAD" and got[2][0] == "REFUTED"


def test_a_prime_on_an_expression_of_one_variable_is_its_derivative(tmp_path):
    got = verdicts(tmp_path, r"\left(\frac{1}{1+e^{-x}}\right)' = \frac{e^{-x}}{(1+e^{-x})^2}",
                   r"\left(x^2 + 1\right)' = x", r"(a + b)' = 1")
    assert got[0][0] in ("PROVED", "CONFIRMED") and got[1][0] == "REFUTED"
    assert got[2][0] == "UNREAD"  # with respect to a or to b?
    got = verdicts(tmp_path, r"(f(x, y))' = 1", r"(\sigma(x) + x)' = \sigma'(x) + 1", name="b.md")
    assert got[0][0] == "UNREAD"  # f(x, y) is a value named as written: never its own variable
    assert got[1][0] in ("PROVED", "CONFIRMED")


def test_e_to_a_power_is_the_exponential_unless_e_is_a_name_of_the_question(tmp_path):
    got = verdicts(tmp_path, r"\frac{\partial}{\partial x} e^{x} = e^{x}", r"\frac{\partial}{\partial x} e^{2x} = e^{2x}")
    assert got[0][0] == "PROVED" and got[1][0] == "REFUTED"  # with e a free variable, e = 1 refuted the first
    got = verdicts(tmp_path, r"e = y - x", r"e^2 = (y - x)^2", name="b.md")
    assert got[1][0] == "PROVED"  # e the residual: e^2 is its square


def test_a_default_function_the_context_does_not_declare_is_never_refuted_on(tmp_path):
    # sigma by default is some function: sigma(x) = x is no counterexample to the sigmoid's derivative
    got = verdicts(tmp_path, r"\frac{e^{-x}}{(1+e^{-x})^2} = \sigma(x) (1 - \sigma(x))", r"\sigma(x) + \sigma(x) = 2 \sigma(x)")
    assert got[0][0] == "UNDECIDED" and "undeclared functions" in got[0][1]
    assert got[1][0] == "PROVED"


def test_a_derivative_with_respect_to_a_subscripted_name_of_terms_of_its_family_is_not_read_as_zero(tmp_path):
    got = verdicts(tmp_path, r"\frac{\partial}{\partial \theta_k} \log \sum_{j=1}^n e^{\theta_j} = "
                             r"\frac{e^{\theta_k}}{\sum_{j=1}^n e^{\theta_j}}")
    assert got[0][0] == "UNREAD" and "family" in got[0][1]  # read as 0 = softmax, it was refuted


def test_a_sum_whose_body_starts_with_a_minus(tmp_path):
    got = verdicts(tmp_path, r"\sum_{i=1}^n -2 (x_i - \mu) = 2 n \mu - 2 \sum_{i=1}^n x_i",
                   r"\sum_{i=1}^m -x_i + 1 = 1 - \sum_{i=1}^m x_i", r"\sum_{i=1}^m -x_i = \sum_{i=1}^m x_i")
    assert [v for v, _ in got] == ["PROVED", "PROVED", "REFUTED"]


def test_a_divergence_of_conditional_probabilities(tmp_path):
    got = verdicts(tmp_path, r"D(P(Y | X) || Q(Y | X)) + D(P || Q) = D(P || Q) + D(P(Y | X) || Q(Y | X))")
    assert got[0][0] == "PROVED"


def test_the_upper_bound_of_a_sum_counts_its_terms(tmp_path):
    # read as any real, N = 1/2 made the sum empty and refuted a correct line
    got = verdicts(tmp_path, r"\frac{1}{N} \sum_{n=1}^{N} \left(a - \frac{a}{N}\right) = a - \frac{a}{N}",
                   r"\sum_{t=1}^{T} c = T c", r"\sum_{t=1}^{T} c = T c + 1")
    assert [v for v, _ in got] == ["PROVED", "PROVED", "REFUTED"]
