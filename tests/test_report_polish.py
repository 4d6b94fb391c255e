"""The report's polish: machine-independent bytes, labels, quotes, math in justifications, user reports,
and the command line's ``list`` order and ``show`` math."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from symbolic.emit.report import MAIN, build_report
from symbolic.emit.report_text import texts
from symbolic.model.results import Evidence, StepResult, Verdict

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("STEPCHECK_CACHE", str(tmp_path / "empty-cache"))


def _tex_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.tex")) if "build" not in p.parts}


# -- item 11: the report's bytes do not depend on the machine ------------------------------
def test_confirmed_evidence_prints_the_tolerance_not_the_float64_noise():
    from symbolic import Derivation, check
    from symbolic.emit.latex_report import evidence_text

    d = Derivation("noise")
    x = d.scalar("x", positive=True)
    d.start((x + 1) ** 3).eq(x**3 + 3 * x**2 + 3 * x + 1, "1", why="expand")
    r = check(d, cache=False).step("1")
    assert r.evidence.tolerance == 1e-9 and r.evidence.samples > 0
    text = evidence_text(r, texts("en"))
    assert "agree within $10^{-9}$" in text and "error" not in text
    # two machines whose float64 noise differs print the same words
    noisy = [StepResult("1", "=", Verdict.CONFIRMED, Evidence("numeric", 24, e, (), 1e-9)) for e in (3e-9, 3e-10)]
    assert len({evidence_text(n, texts("en")) for n in noisy}) == 1


def test_tolerance_survives_the_cache(tmp_path):
    from symbolic.verdicts.cache import VerdictCache

    c = VerdictCache(tmp_path / "c")
    c.put("ab", StepResult("1", "=", Verdict.CONFIRMED, Evidence("numeric", 24, 1e-12, (), 2e-5)))
    assert c.get("ab").evidence.tolerance == 2e-5


def test_committed_report_is_regenerated_byte_for_byte(tmp_path):
    """CI check: the report's .tex, rebuilt from an empty cache for every built-in derivation, is the
    committed one (a stale report/ fails here: regenerate it with ``stepcheck report``)."""
    assert build_report(tmp_path / "report", pdf=False) == 0
    built, committed = _tex_files(tmp_path / "report"), _tex_files(REPO / "report")
    assert sorted(built) == sorted(committed)
    for name in sorted(built):
        if built[name] != committed[name]:
            diff = difflib.unified_diff(committed[name].decode().splitlines(), built[name].decode().splitlines(),
                                        f"report/{name} (committed)", f"report/{name} (rebuilt)", lineterm="", n=2)
            pytest.fail(f"report/{name} differs from a fresh build:\n" + "\n".join(list(diff)[:80]))


# -- item 12: polish -----------------------------------------------------------------------
def test_labels_break_between_words_not_inside_them():
    from symbolic.emit.latex_report import _label

    assert _label("1.6 loss goes down (1-D)").replace(r"\allowbreak{}", "|") == "(1.|6 loss goes down (1-|D))"


def test_backticks_are_code_not_two_opening_quotes():
    from symbolic.emit.tex_text import tex_escape

    assert tex_escape("read `sum` as `somme`") == r"read \texttt{sum} as \texttt{somme}"
    assert "`" not in tex_escape("a lone ` here")


def test_ascii_math_in_justifications_becomes_escaped_latex():
    from symbolic import Derivation, check
    from symbolic.emit.latex_report import derivation_body

    d = Derivation("why_math")
    x = d.scalar("x")
    d.start(x * (x + 1)).eq(x**2 + x, "1", why="|sigma'| <= gamma and ||W|| = sqrt(lambda_1(W^T W)) & 50%")
    body = derivation_body(d, check(d, cache=False), texts("en"), title="t")
    assert r"$|\sigma'| \le \gamma$ and $\|W\| = \sqrt{\lambda_{1}(W^{\top} W)}$ \& 50\%" in body
    assert "sqrt(" not in body and "<=" not in body


def test_several_outputs_are_matrices_side_by_side_not_lists_in_a_matrix():
    from symbolic.emit.latex_report import value_tex

    tex = value_tex([[[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0]]])
    assert "texttt" not in tex and "[" not in tex and tex.count(r"\begin{pmatrix}") == 2


def test_a_failure_is_said_once():
    from symbolic.emit.latex_report import _counterexample, Printer
    from symbolic.model.results import Counterexample

    msg = "raises CapReached: no stop after 5000 gradient evaluations"
    r = StepResult("1.6", "=", Verdict.REFUTED, Evidence("running the code"),
                   Counterexample({"theta": [0.0]}, msg, "returns", msg))
    assert _counterexample(r, Printer(None), texts("en")).count("CapReached") == 1


def test_a_users_report_has_no_builtin_figures_nor_seed_introduction(tmp_path, monkeypatch):
    from symbolic.app.cli import main

    src = tmp_path / "mine.py"
    src.write_text("from symbolic import Derivation\n"
                   "def derivation_mine():\n    d = Derivation('mine'); x = d.scalar('x')\n"
                   "    d.start(x + x).eq(2*x, '1')\n    return d\n")
    drawn = []
    monkeypatch.setattr("symbolic.emit.figures.draw_all", lambda *a, **k: drawn.append(1) or {})
    assert main(["report", str(src), "--out", str(tmp_path / "out"), "--no-pdf"]) == 0
    tex = (tmp_path / "out" / f"{MAIN}.tex").read_text()
    assert not drawn and r"\section{Figures}" not in tex and "includegraphics" not in tex
    assert "submitted version" not in tex and "mine" in tex


def test_list_sorts_numbers_by_value(capsys):
    from symbolic.app.cli import main

    assert main(["list", "--json"]) == 0
    import json

    names = [r["name"] for r in json.loads(capsys.readouterr().out)["derivations"]]
    assert names.index("bp_1_3_corrected") < names.index("bp_1_11_corrected")


def test_show_prints_math_not_sympy_trees(capsys):
    from symbolic.app.cli import main

    main(["show", "example_weight_norm_trap", "--no-cache"])
    out = capsys.readouterr().out
    assert "‖u‖" in out and "Norm(" not in out and "Jac(" not in out


def test_ascii_math_never_makes_a_double_superscript():
    from symbolic.emit.tex_text import why_tex

    for why in ["dL/dW2 = dL/do^a h^s^T along U2", "||u||^2^3", "x^2_i^3"]:
        tex = why_tex(why)
        assert not __import__("re").search(r"\^\{[^{}]*\}\^", tex), (why, tex)
