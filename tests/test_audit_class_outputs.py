"""A class audit's other outputs and engines (issue 16): Gradescope's results scored by the context's rubric,
the same class on a Dask LocalCluster as on forked workers, and flags that are for a folder only."""

from __future__ import annotations

import json
import os
import tempfile

os.environ.setdefault("STEPCHECK_CACHE", tempfile.mkdtemp())

from audit_files import class_folder  # noqa: E402
from symbolic.app.audit_class import audit_class  # noqa: E402
from symbolic.app.cli import main  # noqa: E402

RIGHT = "Question 1\n\n$$(a + b)^2 = a^2 + 2ab + b^2$$\n\nQuestion 2\n\n$$\\mathbf{A}\\mathbf{B} = \\mathbf{A}\\mathbf{B}$$\n"
# question 1: a right line, then a wrong one; question 2: wrong
WRONG = ("Question 1\n\n$$(a + b)^2 = (a + b)(a + b)$$\n\n$$= a^2 + b^2$$\n\n"
         "Question 2\n\n$$\\mathbf{A}\\mathbf{B} = \\mathbf{B}\\mathbf{A}$$\n")
RUBRIC = '[rubric]\npartial = true\n[rubric.points]\n"1" = 4\n"2" = 6\n'


def _verdicts(entry: dict) -> list[tuple]:
    return [(q["question"], x["line"], x["verdict"], json.dumps(x["counterexample"], sort_keys=True))
            for q in entry["report"]["questions"] for x in q["lines"]]


def test_gradescope_results_give_full_marks_partial_credit_and_the_counterexample(tmp_path):
    folder = class_folder(tmp_path, {"ana.md": RIGHT, "bo.md": WRONG})
    ctx = tmp_path / "assignment.toml"
    ctx.write_text(RUBRIC, encoding="utf-8")
    audit_class(folder, context=ctx, out=tmp_path / "out", gradescope=True)
    ana = json.loads((tmp_path / "out" / "gradescope" / "ana.md" / "results.json").read_text())
    bo = json.loads((tmp_path / "out" / "gradescope" / "bo.md" / "results.json").read_text())
    assert ana["score"] == 10 and [t["status"] for t in ana["tests"]] == ["passed", "passed"]
    q1, q2 = bo["tests"]
    assert (q1["name"], q1["max_score"], q1["score"]) == ("Question 1", 4.0, 2.0)  # one line of two before the wrong one
    assert q2["score"] == 0 and q2["status"] == "failed"
    assert "first wrong line 5" in q1["output"] and "counterexample: a = " in q1["output"]
    assert bo["score"] == 2.0


def test_a_rubric_that_is_not_numbers_is_one_clear_error(tmp_path, capsys):
    folder = class_folder(tmp_path, {"ana.md": RIGHT})
    ctx = tmp_path / "assignment.toml"
    ctx.write_text('[rubric.points]\n"1" = "four"\n', encoding="utf-8")
    assert main(["audit", str(folder), "--context", str(ctx), "--gradescope", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert "assignment.toml" in err and "rubric.points" in err and len(err.splitlines()) == 1


def test_flags_of_a_folder_given_one_file_are_an_error(tmp_path, capsys):
    one = tmp_path / "a.md"
    one.write_text(RIGHT, encoding="utf-8")
    assert main(["audit", str(one), "--scheduler", "local"]) == 2
    assert "--scheduler is for a folder" in capsys.readouterr().err


def test_a_dask_local_cluster_gives_the_verdicts_of_the_forked_workers(tmp_path):
    import distributed  # a test dependency (pyproject's test extra): installed by the README's command
    folder = class_folder(tmp_path, {"a.md": RIGHT, "b.md": WRONG, "c.md": WRONG.replace("(a + b)(a + b)", "(b + a)(a + b)")})
    forked = audit_class(folder, out=tmp_path / "forked", jobs=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        dask = audit_class(folder, out=tmp_path / "dask", jobs=2, scheduler=client)
    assert [s["status"] for s in dask["submissions"]] == ["ok", "ok", "ok"]
    for name in ("a.md", "b.md", "c.md"):
        one = json.loads((tmp_path / "forked" / f"{name}.json").read_text())
        two = json.loads((tmp_path / "dask" / f"{name}.json").read_text())
        assert _verdicts(one) == _verdicts(two), name
    assert dask["questions_checked"] == forked["questions_checked"] == 5  # c wrote question 2 as b did
    # five distinct steps: c's two steps are b's ((b + a)(a + b) is (a + b)^2 to sympy, at the same lines); two
    # workers checking b's and c's question 1 at the same time may both check them
    assert 5 <= dask["steps_checked"] <= 7 and 5 <= forked["steps_checked"] <= 7


def test_each_submission_gets_its_own_report_on_request(tmp_path):
    import shutil

    folder = class_folder(tmp_path, {"ana.md": RIGHT, "bo.md": WRONG})
    got = audit_class(folder, out=tmp_path / "out", pdf=True)
    for name in ("ana.md", "bo.md"):
        tex = (tmp_path / "out" / "reports" / name / "stepcheck-audit.tex").read_text()
        assert "\\begin{document}" in tex
    assert "a^{2} + b^{2}" in (tmp_path / "out" / "reports" / "bo.md" / "stepcheck-audit.tex").read_text() or \
        "a^2 + b^2" in (tmp_path / "out" / "reports" / "bo.md" / "stepcheck-audit.tex").read_text()
    if shutil.which("latexmk") and shutil.which("pdflatex"):
        assert got["reports"] == {"built": 2, "problem": None}
    else:  # no TeX here: the .tex is written and the problem says how to get TeX
        assert got["reports"]["built"] == 0 and got["reports"]["problem"]


def test_the_progress_bar_shows_submissions_questions_lines_hits_and_time_left():
    import io

    from rich.console import Console

    from symbolic.emit.class_progress import class_progress

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=160, color_system=None)
    with class_progress(4, console=console) as update:
        update({"submissions": 4, "done": 1, "units": 6, "units_done": 3, "lines": 17, "hits": 9})
        shown = screen.getvalue()
    assert "1/4 submissions" in shown and "questions 3/6" in shown
    assert "lines 17" in shown and "from the store 9" in shown and "left" in shown
