"""Lines with an open reading, read both ways: an unclosed ( (each place its ) may go) and a derivative with
respect to an entry of a bare letter of an expression of a labelled matrix of that letter (its entry, or a
variable of its own).  Small files of our own notation; verdicts computed by the audit."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("STEPCHECK_CACHE", tempfile.mkdtemp())

from symbolic.app.audit import audit  # noqa: E402

CONTEXT = """dims = ["n", "m"]
[symbols.u]
kind = "vector"
size = "n"
[symbols.c]
kind = "vector"
size = "m"
[symbols."A^{(1)}"]
kind = "matrix"
shape = ["m", "n"]
[symbols."A^{(2)}"]
kind = "matrix"
shape = ["n", "m"]
"""


def _lines(tmp_path: Path, text: str, context: str | None = None) -> dict[int, dict]:
    p = tmp_path / "sub.md"
    p.write_text(text, encoding="utf-8")
    ctx = None
    if context is not None:
        ctx = tmp_path / "ctx.toml"
        ctx.write_text(context, encoding="utf-8")
    doc = audit(p, context=ctx, budget=20.0)
    return {x["line"]: x for q in doc["questions"] for x in q["lines"]}


def test_unclosed_paren_whose_placements_agree_gets_their_verdict(tmp_path):
    got = _lines(tmp_path, "Question 1\n\n$$2 p + 0 = 2 (p + 0$$\n\n$$5 r - 4 r = (r - 0$$\n\n$$a b = (a b$$\n")
    for n in (3, 5):
        assert got[n]["verdict"] == "PROVED", got[n]
        assert "every placement gives the same verdict" in got[n]["reason"]
        assert "an unclosed ( at character" in got[n]["reason"]
    assert got[7]["verdict"] == "PROVED" and "the only placement that reads" in got[7]["reason"]


def test_unclosed_paren_whose_placements_disagree_stays_unread_with_them(tmp_path):
    got = _lines(tmp_path, "Question 1\n\n$$3 s + 3 t = 3 (s + t$$\n\n$$= 3 t + 3 s$$\n\n$$w = w$$\n")
    x = got[3]
    assert x["verdict"] == "UNREAD"
    assert x["reason"].startswith("line 3, column 3:")
    assert "REFUTED" in x["reason"] and "PROVED" in x["reason"]
    assert 'before "+ t"' in x["reason"] and "at the end of the row" in x["reason"]
    assert got[5]["verdict"] == "UNREAD" and "depends on where" in got[5]["reason"]  # it continues that row
    assert got[7]["verdict"] == "PROVED"  # a line of its own is not touched


def test_refuted_under_every_placement_is_refuted(tmp_path):
    got = _lines(tmp_path, "Question 1\n\n$$k + 1 = (k + 2$$\n")
    assert got[3]["verdict"] == "REFUTED", got[3]



def test_only_the_first_placement_is_shrunk_and_its_counterexample_shown(tmp_path, monkeypatch):
    # the other placements are compared by verdict alone: their refutations are not shrunk (the first one's is)
    import symbolic.checks.steps as steps

    shrunk = []
    real = steps.shrink_report

    def counting(*args, **kw):
        shrunk.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(steps, "shrink_report", counting)
    got = _lines(tmp_path, "Question 1\n\n$$k = 2 (k + 1$$\n")  # 2k + 1 or 2(k + 1): refuted both ways
    assert got[3]["verdict"] == "REFUTED" and "shrunk" in got[3]["reason"], got[3]
    assert "every placement gives the same verdict" in got[3]["reason"]
    assert got[3]["counterexample"]["values"]
    assert len(shrunk) == 1  # two placements (before "+ 1", at the end), one shrink

def test_entry_of_a_bare_letter_with_one_labelled_candidate_is_read_both_ways(tmp_path):
    text = ("Question 1\n\n"
            "$$\\frac{\\partial \\sum_{r} A_{pr}^{(1)} u_r}{\\partial A_{pq}} = u_q$$\n\n"
            "$$\\frac{\\partial \\sum_{r} A_{pr}^{(1)} u_r}{\\partial A_{pq}} = "
            "\\frac{\\partial (c_p + \\sum_{r} A_{pr}^{(1)} u_r)}{\\partial A_{pq}}$$\n")
    got = _lines(tmp_path, text, CONTEXT)
    x = got[3]  # the entry of A^(1): PROVED; a variable of its own: 0, REFUTED; nothing in its chain says which
    assert x["verdict"] == "UNDECIDED", x
    assert x["reason"].startswith("ambiguous: read with A_{pq} the entry of A^(1)")
    assert "it is PROVED" in x["reason"] and "it is REFUTED" in x["reason"]
    assert "a variable of its own" in x["reason"]
    x = got[5]  # both sides change together: PROVED under each reading, and said
    assert x["verdict"] == "PROVED", x
    assert "the same verdict under both readings" in x["reason"]


def test_a_label_dropped_along_a_chain_is_the_chains_labelled_entry(tmp_path):
    text = ("Question 1\n\n"
            "$$\\frac{\\partial (c_p + \\sum_{r} A_{pr}^{(1)} u_r)}{\\partial A_{pq}^{(1)}} = "
            "\\frac{\\partial (c_p + \\sum_{r} A_{pr}^{(1)} u_r)}{\\partial A_{pq}}$$\n\n"
            "$$= u_q$$\n\n"
            "$$= 2 u_q$$\n")
    got = _lines(tmp_path, text, CONTEXT)
    for n in (3, 5):  # the chain differentiates by A^{(1)}_{pq}: A_{pq} is that entry, the label dropped
        x = got[n]
        assert x["verdict"] == "PROVED", x
        assert "A_{pq} is read as the entry of A^(1): the chain of this line differentiates by that entry" \
            in x["reason"], x
    assert got[7]["verdict"] == "REFUTED", got[7]  # and a wrong row of the chain is still wrong


def test_two_labelled_candidates_stay_unread(tmp_path):
    text = ("Question 1\n\n$$\\frac{\\partial (\\sum_{r=1}^n A_{pr}^{(1)} u_r + \\sum_{r=1}^n A_{rp}^{(2)} u_r)}"
            "{\\partial A_{pq}} = u_q$$\n")
    got = _lines(tmp_path, text, CONTEXT)
    assert got[3]["verdict"] == "UNREAD"
    assert "A^(1), A^(2)" in got[3]["reason"]


@pytest.mark.parametrize("row, places", [(r"a (b + c", 2), (r"x = 2 (y - z", 2), (r"(p - q + r", 3)])
def test_placements_listed(row, places):
    from symbolic.read.repairs import unclosed

    u = unclosed(row)
    assert u is not None and len(u.places) == places and u.places[-1][0] == "at the end of the row"
