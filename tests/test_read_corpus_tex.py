"""Constructs of real LaTeX write-ups (issue 15, the corpus): each on a small LaTeX text of our own.

Conditioning bars and events (``p(x | z = k, theta)``), expectations (``\\mathbb{E}_{z \\sim q}[..]``),
macros from a preamble file beside the submission, and a macro body that starts with a letter.
"""

from __future__ import annotations

from audit_files import audit_lines
from symbolic.app.audit import audit
from symbolic.read.context import SymbolTable
from symbolic.read.latex import read_chain
from symbolic.read.macros import collect, expand
from symbolic.read.source import read_file


def _verdicts(tmp_path, text: str, name: str = "a.tex") -> list[tuple[str, str]]:
    return [(ln["latex"], ln["verdict"]) for ln in audit_lines(tmp_path, text, name=name, seed=0)]


def test_a_conditioning_bar_with_several_arguments_is_read_as_one_value():
    scope = SymbolTable().scope()
    c = read_chain(r"p(\mathbf{x}, z \mid \theta, \mathbf{w}) = p(z | \theta) \, p(\mathbf{x} | z, \mathbf{w})", scope)
    assert [str(e) for e in c.exprs] == ["p(x,z|theta,w)", "p(x|z,w)*p(z|theta)"]
    assert {"p(x,z|theta,w)", "p(z|theta)", "p(x|z,w)"} <= scope.opaque  # unknown values: no counterexample on them


def test_an_event_inside_a_probability_is_an_argument_not_a_relation():
    c = read_chain(r"q(y = 1 | \mathbf{u}) = 1 - q(y = 0 | \mathbf{u})", SymbolTable().scope())
    assert c.relations == ("=",) and str(c.exprs[0]) == "q(y=1|u)"


def test_two_bars_in_a_call_stay_an_absolute_value():
    c = read_chain(r"g(|t|) = g(|t|)", SymbolTable().scope())
    assert "Abs(t)" in str(c.exprs[0])


def test_same_conditional_on_both_sides_is_proved_and_a_different_one_is_not_refuted(tmp_path):
    got = _verdicts(tmp_path, "\\begin{align*}\n"
                    r"2\,p(a \mid b, c) &= p(a \mid b, c) + p(a \mid b, c) \\" "\n"
                    r"p(a \mid b) &= p(b \mid a)" "\n\\end{align*}\n")
    assert [v for _, v in got] == ["PROVED", "UNDECIDED"]


def test_a_probability_of_the_summation_index_is_refused_not_named():
    # p_k(x) inside \sum_k depends on k: one name for all k would make sum_k p_k = K p_k
    try:
        read_chain(r"s = \sum_{k=1}^{K} \pi_k p_k(x \mid \theta)", SymbolTable().scope())
    except Exception as err:  # ReadError
        assert "summation index k" in str(err)
    else:
        raise AssertionError("read a conditional that depends on the summation index as one value")


def test_an_expectation_with_its_law_is_read_as_a_value(tmp_path):
    scope = SymbolTable().scope()
    c = read_chain(r"\mathbb{E}_{u \sim r}[a u] = \mathbb{E}[b]", scope)
    assert [str(e) for e in c.exprs] == ["E_{u~r}[a*u]", "E[b]"]
    got = _verdicts(tmp_path, r"\[ \mathbb{E}[s t] + 1 = 1 + \mathbb{E}[s t] \]" "\n"
                    r"\[ \mathbb{E}[s^2] = \mathbb{E}[s]^2 \]" "\n")
    assert [v for _, v in got] == ["PROVED", "UNDECIDED"]  # never refuted: nothing is known of the law


def test_an_expectation_of_a_vector_stays_unread():
    try:
        read_chain(r"\mathbb{E}[\mathbf{v}] = \mathbf{m}", SymbolTable().scope())
    except Exception as err:
        assert "vector" in str(err)
    else:
        raise AssertionError("read the expectation of a vector as a scalar")


def test_macros_of_a_preamble_file_beside_the_submission(tmp_path):
    (tmp_path / "notation_commands.tex").write_text(
        "\\def\\vq{{\\bm{q}}}\n\\newcommand{\\mM}{\\mathbf{M}}\n\\newcommand{\\unused}{u}\n", encoding="utf-8")
    sub = tmp_path / "hw.tex"
    sub.write_text("\\documentclass{article}\n\\input{course_preamble.tex}\n\\begin{document}\n"
                   "\\[ \\vq^\\top \\mM \\vq = \\vq^\\top \\mM^\\top \\vq \\]\n\\end{document}\n", encoding="utf-8")
    doc = read_file(sub)
    assert doc.lines[0].text.replace(" ", "") == r"{\bm{q}}^\top\mathbf{M}{\bm{q}}={\bm{q}}^\top\mathbf{M}^\top{\bm{q}}"
    assert any("taken from the definitions in notation_commands.tex" in p.message for p in doc.problems)
    report = audit(sub)
    assert [ln["verdict"] for q in report["questions"] for ln in q["lines"]] == ["PROVED"]


def test_a_preamble_file_is_not_read_when_the_submission_loads_nothing_missing(tmp_path):
    (tmp_path / "math_macros.tex").write_text("\\newcommand{\\vq}{\\mathbf{q}}\n", encoding="utf-8")
    sub = tmp_path / "hw.tex"
    sub.write_text("\\[ \\vq = \\vq \\]\n", encoding="utf-8")
    doc = read_file(sub)
    assert "\\vq" in doc.lines[0].text and not any("taken from" in p.message for p in doc.problems)


def test_a_macro_body_after_a_command_keeps_the_command_ended():
    assert expand(r"y \sim\pd", collect(r"\newcommand{\pd}{p_{d}}")) == r"y \sim p_{d}"


def test_a_thin_space_before_a_letter_is_a_space():
    c = read_chain(r"2\,q = q\;+\,q", SymbolTable().scope())
    assert [str(e) for e in c.exprs] == ["2*q", "2*q"]
