"""More notation of real write-ups (issue 15's corpus target, round 3), each construct on a small Markdown written
here: iterates labelled by a superscript, families with two indices, Kronecker's delta, numbers after a sum's
bounds, TeX's one-digit fraction arguments."""

from __future__ import annotations

from audit_files import verdicts_and_reasons


def verdicts(tmp_path, *blocks: str, name: str = "sub.md") -> list[tuple[str, str]]:
    body = "# Question 1\n\nSome words.\n\n" + "".join(f"$$\n{b}\n$$\n\nthen\n\n" for b in blocks)
    return verdicts_and_reasons(tmp_path, body, name=name, budget=5.0)


def test_a_superscript_letter_on_a_vector_labels_an_iterate_never_a_power(tmp_path):
    got = verdicts(tmp_path, r"\mathbf{w}^{k+1} - \mathbf{w}^{k} + \eta \mathbf{u} = \eta \mathbf{u} + \mathbf{w}^{k+1} - \mathbf{w}^{k}",
                   r"\mathbf{w}^{k+1} - \mathbf{w}^{k} = \mathbf{w}^{k} - \mathbf{w}^{k+1}",
                   r"\mathbf{w}^{2} = \mathbf{w}^{2}")
    assert got[0][0] == "PROVED" and "iterate" in got[0][1]
    assert got[1][0] == "REFUTED"  # two iterates are two vectors
    assert got[2][0] == "UNREAD"  # a number on a vector stays a power, not read


def test_a_term_with_two_indices_under_sums_is_a_term_of_a_two_index_family(tmp_path):
    got = verdicts(tmp_path, r"\sum_{a=1}^{M} \sum_{b=1}^{M} (q_{ab} + q_{ba}) = 2 \sum_{a=1}^{M} \sum_{b=1}^{M} q_{ab}",
                   r"\sum_{a=1}^{M} \sum_{b=1}^{L} q_{ab} = \sum_{b=1}^{L} \sum_{a=1}^{M} q_{ab}",
                   r"\sum_{a=1}^{M} \sum_{b=1}^{L} q_{ab} = \sum_{a=1}^{M} \sum_{b=1}^{L} q_{ba}")
    assert got[0][0] in ("PROVED", "CONFIRMED") and got[1][0] in ("PROVED", "CONFIRMED")
    assert got[2][0] == "REFUTED"  # q_{ab} and q_{ba} are two terms (and M, L two ranges)


def test_a_delta_with_two_summed_indices_is_kroneckers(tmp_path):
    got = verdicts(tmp_path, r"\sum_{a=1}^{M} \sum_{b=1}^{M} u_a \delta_{ab} = \sum_{a=1}^{M} u_a",
                   r"\sum_{a=1}^{M} \sum_{b=1}^{M} \delta_{ab} = M^2")
    assert got[0][0] in ("PROVED", "CONFIRMED")
    assert got[1][0] == "REFUTED"


def test_a_number_right_after_the_bounds_of_a_sum_is_a_factor_of_its_body(tmp_path):
    got = verdicts(tmp_path, r"\sum_{a=1}^M 3 u_a = 3 \sum_{a=1}^{M} u_a",
                   r"\sum_{a=1}^{M} 3 u_a = 4 \sum_{a=1}^{M} u_a",
                   r"\sum_{a=1}^{10} 1 = 10")
    assert got[0][0] == "PROVED"
    assert got[1][0] == "REFUTED"
    assert got[2][0] == "PROVED"  # ^{10} is never split


def test_a_fraction_with_one_digit_arguments_unbraced(tmp_path):
    got = verdicts(tmp_path, r"\frac16 + \frac13 = \frac12", r"\frac{u}2 + \frac u2 = u", r"\frac14 = \frac13")
    assert [v for v, _ in got] == ["PROVED", "PROVED", "REFUTED"]


def test_a_derivative_of_the_square_of_a_name_nothing_defines_is_not_checked(tmp_path):
    got = verdicts(tmp_path, r"\frac{\partial v^2}{\partial \mu} = \frac{1}{m} \sum_{i=1}^m 2 (x_i - \mu)")
    assert got[0][0] == "UNDECIDED" and "no line read before defines" in got[0][1]  # never 0 = ..., refuted


def test_a_sum_without_bounds_over_a_family_of_scalars_runs_over_an_unknown_number_of_terms(tmp_path):
    got = verdicts(tmp_path, r"\sum_k 2 u_k v_k = 2 \sum_k v_k u_k",
                   r"\sum_k u_k = 1",
                   r"-u_i + \left(\sum_k u_k\right) w_i = w_i - u_i")
    assert got[0][0] == "PROVED" and "unknown number of terms" in got[0][1]
    assert got[1][0] == "UNDECIDED" and got[2][0] == "UNDECIDED"  # the write-up may know more of u: never refuted


def test_a_membership_is_read_as_a_declaration_never_checked(tmp_path):
    got = verdicts(tmp_path, r"\mathbf{u} \in \mathbb{R}^{n}", r"b + b = 2 b \in \mathbb{R}", r"b + b = 3 b \in \mathbb{R}")
    assert got[0][0] == "UNDECIDED" and "declaration" in got[0][1]  # the shape of an undeclared u: not a claim
    assert got[1][0] == "UNDECIDED" and "PROVED" in got[1][1]  # the = is checked, the \in is not
    assert got[2][0] == "REFUTED"


def test_a_derivative_of_an_undefined_name_by_a_term_of_a_family_is_an_unknown_never_checked(tmp_path):
    got = verdicts(tmp_path, r"\frac{\partial g}{\partial c} = \sum_{a=1}^{M} \frac{\partial g}{\partial v_a} u_a")
    assert got[0][0] == "UNDECIDED" and "no line read before defines" in got[0][1]


def test_an_arg_max_over_a_vector_is_a_vector_named_as_written(tmp_path):
    got = verdicts(tmp_path, r"\arg\max_{\mathbf{w}} G(\mathbf{w}) + \mathbf{u} = \mathbf{u} + \arg\max_{\mathbf{w}} G(\mathbf{w})",
                   r"\arg\max_{\mathbf{w}} G(\mathbf{w}) = \arg\max_{\mathbf{w}} H(\mathbf{w})")
    assert got[0][0] == "PROVED" and "named as written" in got[0][1]
    assert got[1][0] == "UNDECIDED"  # two unknown values: never refuted


def test_a_sum_with_an_upper_bound_only_starts_at_one_and_a_primed_index_is_an_index(tmp_path):
    got = verdicts(tmp_path, r"\sum_{a}^M u_a = \sum_{a=1}^{M} u_a", r"\sum_{b'=1}^{M} u_{b'} = \sum_{b=1}^{M} u_b",
                   r"\sum_{b'=1}^{M} u_{b'} = \sum_{b=2}^{M} u_b")
    assert [v for v, _ in got] == ["PROVED", "PROVED", "REFUTED"]
