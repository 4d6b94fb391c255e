"""The reader on recurrences and sequences: a case of the index, vector sums over a sequence's terms, a
recurrence the context declares (one or several readings), expectations of the terms of a sequence.

Each test writes its own small submission and context; the verdicts are the engine's, computed here.
"""

from __future__ import annotations

import textwrap

from symbolic.audit import audit

RNN = """
dims = ["n"]
[symbols.W]
kind = "matrix"
[symbols.b]
kind = "vector"
[symbols.t]
kind = "index"
lower = 1
[functions.sigma]
kind = "activation"
[sequences.h]
index = "t"
size = "n"
recurrence = "W*sigma(prev) + b"
[sequences.g]
index = "t"
size = "n"
recurrence = "sigma(W*prev + b)"
initial = "sigma(h(0))"
"""


def _audit(tmp_path, text: str, context: str) -> list[dict]:
    (tmp_path / "a.md").write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "c.toml").write_text(textwrap.dedent(context), encoding="utf-8")
    report = audit(tmp_path / "a.md", context=tmp_path / "c.toml", seed=0)
    return [x for q in report["questions"] for x in q["lines"]]


def _verdicts(lines: list[dict]) -> dict[str, str]:
    return {x["latex"]: x["verdict"] for x in lines}


def test_a_case_of_the_index_is_not_substituted_in_the_lines_before_it(tmp_path):
    # "with t = 0" is the base case: read as a definition of t it made g_{t-1} the term at index -1
    lines = _audit(tmp_path, r"""
        Question 1

        We set $\mathbf{g}_{t-1} = \sigma(\mathbf{h}_{t-1})$ to prove it.

        $$\mathbf{g}_t = \sigma(\mathbf{h}_t)$$

        With $t = 0$, $\mathbf{g}_0 = \sigma(\mathbf{h}_0)$.
        """, RNN)
    v = _verdicts(lines)
    assert v[r"\mathbf{g}_{t-1} = \sigma(\mathbf{h}_{t-1})"] == "CONFIRMED"
    assert v[r"\mathbf{g}_0 = \sigma(\mathbf{h}_0)"] == "CONFIRMED"
    case = next(x for x in lines if x["latex"] == "t = 0")
    assert case["verdict"] == "UNDECIDED" and "a case of the index t" in case["reason"]
