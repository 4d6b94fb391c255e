r"""A condition in words that the declarations already imply ("For $j \geq 1$," with j an index from 1 on)
restricts nothing: the rows of the display under it are checked as they are, not set aside (issue 15; a small
file written for this test)."""

from __future__ import annotations

from audit_files import audit_lines

CONTEXT = """[symbols.j]
kind = "index"
lower = 1
[symbols.a]
assumptions = ["positive"]
"""

TEXT = r"""# Question 1

For $j \geq 1$, the powers:

$$a^{j} a = a^{j + 1}$$

For $j \geq 1$, again:

$$a^{j} a = a^{j + 2}$$
"""


def test_the_rows_under_an_always_true_condition_are_checked_as_they_are(tmp_path):
    got = audit_lines(tmp_path, TEXT, CONTEXT)
    rows = [x for x in got if x["line"] in (5, 9)]
    assert [x["verdict"] for x in rows] == ["PROVED", "REFUTED"]
    assert "always holds" in rows[0]["reason"] and "checked as written" in rows[0]["reason"]
    assert rows[1]["counterexample"]["values"]  # refuted at values, the condition restricting nothing
    conditions = [x for x in got if x["line"] in (3, 7)]
    assert all(x["verdict"] == "UNDECIDED" and "checked as they are" in x["reason"] for x in conditions)
