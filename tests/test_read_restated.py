"""The reader on lines that are not claims of their own at first sight: the conclusion of an implication stated
in words whose premise is a line just before it ("a x = b x implies a = b"), and a hypothesis that is the range
of a summation index.

Each test writes its own small submission and context; the verdicts are the engine's, computed here.
"""

from __future__ import annotations

import textwrap

from symbolic.audit import audit

CTX = """
dims = ["n"]
[symbols.a]
interval = "(0, 1)"
[symbols.b]
interval = "(0, 1)"
[symbols.c]
assumptions = ["positive"]
[symbols.k]
assumptions = ["positive"]
[symbols.m]
kind = "index"
lower = 1
[symbols.p]
kind = "vector"
[symbols.q]
kind = "vector"
[sequences.z]
index = "m"
size = "n"
"""


def _audit(tmp_path, text: str, context: str = CTX) -> dict[str, dict]:
    (tmp_path / "a.md").write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "c.toml").write_text(textwrap.dedent(context), encoding="utf-8")
    report = audit(tmp_path / "a.md", context=tmp_path / "c.toml", seed=0)
    return {x["latex"]: x for q in report["questions"] for x in q["lines"]}


def test_the_conclusion_of_an_implication_in_words_is_checked_against_its_premise(tmp_path):
    # "a p = b p and c q = k (1 - a) q imply a = b and c = k (1 - a)": coefficients compared term by term
    v = _audit(tmp_path, r"""
        Question 1

        Term by term, $a \mathbf{p} = b \mathbf{p}$ and $c \mathbf{q} = k(1 - a)\mathbf{q}$ imply $a = b$ and
        $c = k(1 - a)$ respectively.
        """)
    assert v["a = b"]["verdict"] == "PROVED", v["a = b"]
    assert v["c = k(1 - a)"]["verdict"] == "PROVED", v["c = k(1 - a)"]
    assert "premise" in v["a = b"]["reason"]


def test_a_conclusion_its_premise_does_not_give_is_not_proved(tmp_path):
    # a p = b p does not give c = 2 a: no factor of its premise; and a wrong coefficient is not proved either
    v = _audit(tmp_path, r"""
        Question 1

        Term by term, $a \mathbf{p} = b \mathbf{p}$ and $c \mathbf{q} = k(1 - a)\mathbf{q}$ imply $c = 2 a$ and
        $c = k(1 + a)$ respectively.
        """)
    assert v["c = 2 a"]["verdict"] != "PROVED", v["c = 2 a"]
    assert v["c = k(1 + a)"]["verdict"] != "PROVED", v["c = k(1 + a)"]
