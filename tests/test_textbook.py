"""The textbook corpus (derivations/textbook/): loaded, two forms per identity, wired into the
built-in derivations, ``stepcheck list``, ``stepcheck check`` and the report, and measured by
bench/textbook.py.  Verdicts are computed here by the engine, never copied from a table."""

from __future__ import annotations

import importlib.util
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import derivations.textbook
from derivations import fresh, get, names
from derivations.textbook._corpus import IDENTITIES, correct_outcome, textbook, user_lines, wrong_outcome
from symbolic import Derivation, Source, check
from symbolic.exceptions import InvalidInputError

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((Path(__file__).parent / "schema" / "stepcheck-check.schema.json").read_text())
# cheap identities of several families, each checked in both forms below
SAMPLE = ("squared_norm_gradient", "least_squares_gradient", "newton_step_quadratic", "sgd_weight_decay",
          "adam_bias", "batch_norm_unit_variance")


def test_the_corpus_loads_as_built_in_derivations():
    mods = derivations.textbook.load()
    assert {"derivations.textbook.calculus", "derivations.textbook.regression", "derivations.textbook.quadratic",
            "derivations.textbook.optimizers"} <= set(mods)
    assert len(IDENTITIES) >= 25
    builtin = set(names())  # through derivations._registry.MODULES, without importing the corpus first
    for name in IDENTITIES:
        assert {f"tb_{name}", f"tb_{name}_wrong"} <= builtin, name


def test_every_identity_has_both_forms_with_unique_names():
    forms = [f"tb_{n}" + s for n in IDENTITIES for s in ("", "_wrong")]
    assert len(forms) == len(set(forms))  # no identity is named like another's planted mistake
    for name, ident in IDENTITIES.items():
        right, wrong = get(f"tb_{name}"), get(f"tb_{name}_wrong")
        assert right.steps and wrong.steps, name
        assert (right.source.version, right.review) == ("textbook", False), name
        assert (wrong.source.version, wrong.review) == ("planted", True), name
        assert right.source.question == wrong.source.question == ident.family
        assert [str((s.lhs, s.relation, s.rhs)) for s in right.steps] != [str((s.lhs, s.relation, s.rhs)) for s in wrong.steps], name
        assert ident.mistake and ident.mistake in wrong.statement


def test_an_identity_defined_twice_is_an_error():
    def squared_norm_gradient(d, wrong):
        d.claim(d.scalar("x"), "=", 0, "1")

    with pytest.raises(ValueError, match="defined twice"):
        textbook("again", "none")(squared_norm_gradient)
    assert IDENTITIES["squared_norm_gradient"].reference != "again"


def test_the_identities_are_short():
    locs = [i.loc() for i in IDENTITIES.values()]
    assert statistics.median(locs) <= 12, locs

    def demo(d, wrong):
        """A docstring is not code."""
        n = d.dim("n")  # a declaration counts

        # a comment does not
        d.claim(n, "=", n, "1")

    assert user_lines(demo) == 2


@pytest.mark.parametrize("name", SAMPLE)
def test_a_sample_identity_holds_and_its_planted_mistake_is_refuted(name):
    right = check(fresh(f"tb_{name}"), cache=False)
    wrong = check(fresh(f"tb_{name}_wrong"), cache=False)
    assert correct_outcome(right) in ("proved", "confirmed"), [(s.label, s.verdict.value) for s in right.steps]
    assert all(s.verdict.value in ("PROVED", "CONFIRMED") for s in right.steps)
    assert wrong_outcome(wrong) == "refuted", [(s.label, s.verdict.value) for s in wrong.steps]
    ce = next(s.counterexample for s in wrong.steps if s.verdict.value == "REFUTED")
    assert ce is not None and ce.lhs != ce.rhs


def test_outcomes_need_all_steps_proved_and_a_counterexample_with_both_sides_defined():
    from symbolic.model.results import Counterexample

    class R:  # a result stub: the outcome reads verdicts and counterexamples only
        def __init__(self, *steps):
            self.steps = steps

    class S:
        def __init__(self, verdict, ce=None):
            self.verdict = type("V", (), {"value": verdict})()
            self.counterexample = ce

    undefined = Counterexample(values={"X": [[1, 1]]}, lhs="undefined", rhs=[[0], [0]], gap="singular")
    nan = Counterexample(values={"x": 0}, lhs=float("nan"), rhs=1.0, gap="")
    defined = Counterexample(values={"x": 1}, lhs=[[2.0]], rhs=[[3]], gap="")
    assert correct_outcome(R(S("PROVED"), S("CONFIRMED"))) == "confirmed"
    assert correct_outcome(R(S("PROVED"), S("UNDECIDED"))) == "other"
    assert correct_outcome(R()) == "other"
    assert wrong_outcome(R(S("REFUTED", undefined))) == "other"
    assert wrong_outcome(R(S("REFUTED", nan))) == "other"
    assert wrong_outcome(R(S("PROVED"), S("REFUTED", defined))) == "refuted"


def test_planted_is_a_review_version_and_unknown_versions_are_named():
    assert Derivation("p", source=Source("ref", "fam", "planted")).review is True
    assert Derivation("t", source=Source("ref", "fam", "textbook")).review is False
    with pytest.raises(InvalidInputError, match='"textbook", "planted"'):
        Source("ref", "fam", "textbok")


def _stepcheck(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symbolic", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def test_stepcheck_list_and_check_know_the_corpus():
    proc = _stepcheck("list", "--json", "-k", "tb_sgd_weight_decay")
    assert proc.returncode == 0, proc.stderr
    rows = {r["name"]: r for r in json.loads(proc.stdout)["derivations"]}
    assert set(rows) == {"tb_sgd_weight_decay", "tb_sgd_weight_decay_wrong"}
    assert rows["tb_sgd_weight_decay_wrong"]["source"]["version"] == "planted"
    assert rows["tb_sgd_weight_decay"]["source"]["question"] == "optimizers"
    proc = _stepcheck("check", "--json", "--no-cache", "tb_sgd_weight_decay", "tb_sgd_weight_decay_wrong")
    assert proc.returncode == 0, proc.stderr  # the planted mistake is under review: findings, not a failure
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, SCHEMA)
    status = {d["name"]: (d["status"], d["first_wrong_step"]) for d in doc["derivations"]}
    assert status == {"tb_sgd_weight_decay": ("ok", None), "tb_sgd_weight_decay_wrong": ("findings", "1")}


def test_the_report_has_a_textbook_section_with_each_identity_beside_its_mistake(tmp_path):
    from symbolic.emit.report import MAIN, build_report

    chosen = ["q2_2_unrolled_submitted", "q2_2_unrolled_corrected", "tb_sgd_weight_decay_wrong",
              "tb_adam_bias", "tb_sgd_weight_decay", "tb_squared_norm_gradient_wrong", "tb_squared_norm_gradient",
              "tb_adam_bias_wrong", "example_square_of_sum"]
    assert build_report(tmp_path, derivations=chosen, pdf=False, figures=False) == 0
    main = (tmp_path / f"{MAIN}.tex").read_text()
    inputs = re.findall(r"\\input\{derivations/(\w+)\.tex\}", main)
    assert inputs == ["q2_2_unrolled_submitted", "q2_2_unrolled_corrected",
                      "tb_squared_norm_gradient", "tb_squared_norm_gradient_wrong",  # family calculus
                      "tb_adam_bias", "tb_adam_bias_wrong", "tb_sgd_weight_decay", "tb_sgd_weight_decay_wrong",
                      "example_square_of_sum"]
    assert main.count(r"\section{Textbook corpus}") == 1
    assert main.index(r"\section{Textbook corpus}") < main.index(r"\subsection{Family: calculus}") \
        < main.index(r"\subsection{Family: optimizers}") < main.index(r"\section{Examples}")
    assert main.count(r"\subsection*{Where the versions part}") == 1  # the submission's only
    assert re.search(r"optimizers \{\\scriptsize\(textbook\)\} & identity & \\hyperref\[d:tb_adam_bias\]", main)
    assert r"& planted & \hyperref[d:tb_adam_bias_wrong]" in main
    wrong = (tmp_path / "derivations" / "tb_sgd_weight_decay_wrong.tex").read_text()
    assert wrong.startswith(r"\subsubsection{Planted mistake: ")
    assert r"\textbf{Identity, step (1)}" in wrong and r"\hyperref[d:tb_sgd_weight_decay]" in wrong
    seed = (tmp_path / "derivations" / "q2_2_unrolled_submitted.tex").read_text()
    assert seed.startswith(r"\subsection{Submitted version: ")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_textbook", ROOT / "bench" / "textbook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bench_ends_with_its_one_line(capsys):
    assert _bench().main(["-k", "sgd_weight_decay", "-j", "1"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r"textbook: identities 1, correct proved 1 confirmed 0 other 0, wrong refuted 1 other 0, "
                        r"median loc \d+, median seconds \d+\.\d\d", out[-1]), out[-1]
    assert out[0].startswith("sgd_weight_decay") and "optimizers" in out[0]
    assert _bench().main(["-k", "sgd_weight_decay", "--json"]) == 0
    doc = json.loads("\n".join(capsys.readouterr().out.strip().splitlines()[:-1]))
    assert doc["summary"]["wrong_refuted"] == 1 and doc["rows"][0]["wrong"]["verdicts"] == ["REFUTED"]


def test_a_family_file_loads_its_derivations_like_any_file():
    from symbolic.read.loader import load_file

    found = {d.name for d in load_file(ROOT / "derivations" / "textbook" / "optimizers.py")}
    family = {n for n, i in IDENTITIES.items() if i.family == "optimizers"}
    assert found == {f"tb_{n}" + s for n in family for s in ("", "_wrong")}


def test_the_docstring_examples_of_the_corpus_and_its_bench_run():
    import doctest

    from derivations.textbook import _corpus

    for module in (_corpus, derivations.textbook, _bench()):
        result = doctest.testmod(module, verbose=False)
        assert result.failed == 0 and result.attempted > 0, module.__name__


@pytest.mark.parametrize("kind", ["spd", "orthogonal", "diagonal"])
def test_a_shrunk_counterexample_keeps_the_declared_matrix_kind(kind):
    import numpy as np

    d = Derivation("kinds", review=True)
    n = d.dim("n")
    A, b = d.matrix("A", n, n, kinds=[kind]), d.vector("b", n)
    d.claim(A.inv() * b, "=", -(A.inv() * b), "sign")  # false wherever A is invertible and b != 0
    r = check(d, cache=False)
    assert r.step("sign").verdict.value == "REFUTED"
    M = np.array(r.step("sign").counterexample.values["A"], dtype=float)
    if kind == "spd":
        assert np.allclose(M, M.T) and np.all(np.linalg.eigvalsh(M) > 0), M
    elif kind == "orthogonal":
        assert np.allclose(M.T @ M, np.eye(len(M))), M
    else:
        assert np.allclose(M, np.diag(np.diag(M))), M
