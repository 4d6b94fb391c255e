"""A line ``name = ...`` where the context defines ``name``: a restatement of the assignment, checked against the
context's definition (right: PROVED; wrong: REFUTED or at least not proved); a name the context leaves free is the
submission's own definition, never checked.  Also a field (an arbitrary f: R^n -> R) whose gradient and Hessian at
one point the context names, and a definition that holds in its question's own lines only (``inherit = false``).

Each test writes its own small submission and context; the verdicts are the engine's, computed here.
"""

from __future__ import annotations

from audit_files import audit_document

CTX = """
dims = ["n"]
[symbols.M]
kind = "matrix"
[symbols.r]
kind = "vector"
[symbols.k]
kind = "vector"
[symbols.tau]
assumptions = ["positive"]
[definitions.z]
value = "M*r + k"
[questions."2".definitions.q]
value = "r - tau*k"
inherit = false
"""

FIELD = """
dims = ["n"]
[symbols.y]
kind = "vector"
[symbols.y_0]
kind = "vector"
[symbols.y_1]
kind = "vector"
[symbols.p]
kind = "vector"
[symbols.Q]
kind = "matrix"
assumptions = ["symmetric"]
[functions.phi]
kind = "field"
of = "y"
at = "y_0"
gradient = "p"
hessian = "Q"
"""


def _audit(tmp_path, text: str, context: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for q in audit_document(tmp_path, text, context, dedent=True, seed=0)["questions"]:
        for x in q["lines"]:
            out.setdefault(x["latex"], []).append({**x, "question": q["question"]})
    return out


def test_a_restated_definition_is_a_claim_right_or_wrong(tmp_path):
    v = _audit(tmp_path, r"""
        Question 1

        Here $z = M r + k$, and a line later:

        $$z = M r - k$$
        """, CTX)
    right, wrong = v["z = M r + k"][0], v["z = M r - k"][0]
    assert right["verdict"] == "PROVED", right
    assert "context's definition of z" in right["reason"]
    assert wrong["verdict"] == "REFUTED", wrong
    assert wrong["counterexample"] is not None


def test_a_name_the_context_does_not_define_stays_a_definition(tmp_path):
    v = _audit(tmp_path, r"""
        Question 1

        Let $s = \tau r$ and $w = M k$.

        $$s = \tau r$$
        """, CTX)
    for line in (v[r"s = \tau r"][0], v["w = M k"][0]):
        assert line["verdict"] == "UNDECIDED", line
        assert "definition of" in line["reason"] and "context's definition" not in line["reason"], line


def test_a_definition_with_inherit_false_holds_in_its_question_only(tmp_path):
    v = _audit(tmp_path, r"""
        Question 2

        The step is $q = r - \tau k$, and also

        $$q = r + \tau k$$

        Question 2.1

        Here $q = 2 r$ is a name of this answer, and $q - 2 r = 0$.
        """, CTX)
    assert v[r"q = r - \tau k"][0]["verdict"] == "PROVED"
    assert v[r"q = r + \tau k"][0]["verdict"] == "REFUTED"
    own = v["q = 2 r"][0]
    assert own["question"] == "2.1" and own["verdict"] == "UNDECIDED", own
    assert "read as the definition of q" in own["reason"]
    assert v["q - 2 r = 0"][0]["verdict"] == "PROVED"  # its value is the sub-question's own


def test_the_named_gradient_and_hessian_of_a_field(tmp_path):
    v = _audit(tmp_path, r"""
        Question 1

        With $p = \frac{\partial \phi}{\partial y}(y_0)$ and $Q = \frac{\partial^2 \phi}{\partial y^2}(y_0)$.

        Question 2

        Wrong: $p = \frac{\partial \phi}{\partial y}(y_1)$, $Q = \frac{\partial \phi}{\partial y}$ and
        $Q = \frac{\partial^2 \phi}{\partial^2 y}(y_1)$.
        """, FIELD)
    for key, what in ((r"p = \frac{\partial \phi}{\partial y}(y_0)", "gradient"),
                      (r"Q = \frac{\partial^2 \phi}{\partial y^2}(y_0)", "Hessian")):
        line = v[key][0]
        assert line["verdict"] == "PROVED", line
        assert f"the {what} of phi at y_0" in line["reason"] and "context's definition" in line["reason"]
    for key in (r"p = \frac{\partial \phi}{\partial y}(y_1)", r"Q = \frac{\partial \phi}{\partial y}",
                r"Q = \frac{\partial^2 \phi}{\partial^2 y}(y_1)"):
        line = v[key][0]
        assert line["verdict"] not in ("PROVED", "CONFIRMED"), line
        assert "the context names it at y_0 only" in line["reason"], line


def test_a_wrong_claim_on_the_named_hessian_is_refuted(tmp_path):
    v = _audit(tmp_path, r"""
        Question 1

        $$p = \frac{\partial^2 \phi}{\partial y^2}(y_0) y_0$$
        """, FIELD)
    line = v[r"p = \frac{\partial^2 \phi}{\partial y^2}(y_0) y_0"][0]
    assert line["verdict"] == "REFUTED", line


GRAPH = """
dims = ["n"]
[symbols.r]
kind = "vector"
[symbols.a]
assumptions = ["positive"]
[symbols.eta]
assumptions = ["positive"]
[graph.v]
value = "a*r"
[graph.J]
of = ["v"]
[definitions."r'"]
written = 'r - \\eta \\nabla_r J'
"""


def test_a_definition_written_as_the_statement_writes_it(tmp_path):
    # the update r' = r - eta grad_r J of a loss J of the graph, given in LaTeX: read as a line is
    v = _audit(tmp_path, r"""
        Question 1

        The update is $r' = r - \eta \nabla_r J$.

        Question 2

        The update is $r' = r + \eta \nabla_r J$.
        """, GRAPH)
    right, wrong = v[r"r' = r - \eta \nabla_r J"][0], v[r"r' = r + \eta \nabla_r J"][0]
    assert right["verdict"] == "PROVED", right
    assert "context's definition of r'" in right["reason"]
    assert wrong["verdict"] == "REFUTED", wrong
