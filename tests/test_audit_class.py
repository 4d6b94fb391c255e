"""A class audit (issue 16, first slice): a folder of submissions, worker processes, results streamed to
disk and resumed, a crash or a hang isolated to its submission, identical steps shared between submissions.
Small submissions of our own notation; every verdict computed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("STEPCHECK_CACHE", tempfile.mkdtemp())

from symbolic.app.audit import audit  # noqa: E402
from audit_files import class_folder  # noqa: E402
from symbolic.app.audit_class import audit_class, submissions  # noqa: E402
from symbolic.app.class_worker import check_unit  # noqa: E402

import jsonschema  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "schema" / "stepcheck-class.schema.json").read_text())
RIGHT = "Question 1\n\n$$(a + b)^2 = a^2 + 2ab + b^2$$\n\nQuestion 2\n\n$$\\mathbf{A}\\mathbf{B} = \\mathbf{A}\\mathbf{B}$$\n"
WRONG = "Question 1\n\n$$(a + b)^2 = a^2 + b^2$$\n\nQuestion 2\n\n$$\\mathbf{A}\\mathbf{B} = \\mathbf{B}\\mathbf{A}$$\n"


def _verdicts(report: dict) -> list[tuple]:
    return [(q["question"], x["line"], x["verdict"]) for q in report["questions"] for x in q["lines"]]


def test_each_submission_gets_the_verdicts_of_its_own_audit(tmp_path):
    folder = class_folder(tmp_path, {"ana.md": RIGHT, "bo.md": WRONG, "cy.md": RIGHT})
    got = audit_class(folder, out=tmp_path / "out", jobs=2)
    assert [s["status"] for s in got["submissions"]] == ["ok", "ok", "ok"]
    for name in ("ana.md", "bo.md", "cy.md"):
        kept = json.loads((tmp_path / "out" / f"{name}.json").read_text())
        assert _verdicts(kept["report"]) == _verdicts(audit(folder / name, jobs=1)), name
    assert got["submissions"][1]["first_wrong_lines"] == {"1": 3, "2": 7}
    q = {row["question"]: row for row in got["questions"]}
    assert (q["1"]["right"], q["1"]["wrong"]) == (2, 1)
    wrong = {w["latex"]: w for w in got["common_wrong_lines"]}
    assert wrong["\\mathbf{A}\\mathbf{B} = \\mathbf{B}\\mathbf{A}"]["counterexample"]["values"]
    jsonschema.validate(json.loads((tmp_path / "out" / "class.json").read_text()), SCHEMA)
    figure = (tmp_path / "out" / "class-first-wrong.pdf").read_bytes()
    assert figure[:4] == b"%PDF"


def test_the_figure_counts_first_wrong_lines_and_is_the_same_bytes_twice(tmp_path):
    from symbolic.emit.class_figure import draw_first_wrong, first_wrong_counts

    folder = class_folder(tmp_path, {"a.md": RIGHT, "b.md": WRONG, "c.md": WRONG})
    got = audit_class(folder, jobs=1)
    assert first_wrong_counts(got) == {"1": {"wrong": {3: 2}, "none": 1}, "2": {"wrong": {7: 2}, "none": 1}}
    a, b = draw_first_wrong(got, tmp_path / "a.pdf"), draw_first_wrong(got, tmp_path / "b.pdf")
    assert a.read_bytes() == b.read_bytes()


def test_identical_questions_and_steps_of_two_submissions_are_checked_once(tmp_path):
    moved = WRONG.replace("Question 2\n", "Question 2\n\nSome words.\n")  # question 2 two lines lower
    folder = class_folder(tmp_path, {"a.md": WRONG, "b.md": WRONG, "c.md": moved})
    got = audit_class(folder, jobs=1)
    assert got["questions_reused"] == 3  # b's two questions, and c's first: written alike at the same place
    assert got["steps_checked"] == 3  # a's two steps, and c's question 2 (its step elsewhere: a new label)
    assert [s["summary"]["refuted"] for s in got["submissions"]] == [2, 2, 2]
    assert got["submissions"][2]["first_wrong_lines"] == {"1": 3, "2": 9}


def test_a_second_run_resumes_and_audits_only_what_changed_or_is_not_ours(tmp_path):
    folder = class_folder(tmp_path, {"a.md": RIGHT, "b.md": WRONG, "c.md": RIGHT})
    out = tmp_path / "out"
    audit_class(folder, out=out)
    assert audit_class(folder, out=out)["resumed"] == 3
    (folder / "a.md").write_text(WRONG, encoding="utf-8")  # changed: audited again
    (out / "b.md.json").write_text("{not json", encoding="utf-8")  # damaged: audited again
    forged = json.loads((out / "c.md.json").read_text())
    forged["run"] = "0" * 64  # not this run's entry: never trusted
    forged["report"]["questions"][0]["lines"][0]["verdict"] = "REFUTED"
    (out / "c.md.json").write_text(json.dumps(forged), encoding="utf-8")
    again = audit_class(folder, out=out)
    assert again["resumed"] == 0
    by = {s["file"]: s for s in again["submissions"]}
    assert by["a.md"]["summary"]["refuted"] == 2 and by["b.md"]["summary"]["refuted"] == 2
    assert by["c.md"]["summary"]["refuted"] == 0


def test_a_crash_or_a_hang_is_reported_and_the_rest_of_the_class_finishes(tmp_path):
    own = RIGHT.replace("a^2 + 2ab", "a^2 + ab + ab")  # each its own question 1: a unit of its own
    folder = class_folder(tmp_path, {"a.md": RIGHT, "crash.md": own.replace("ab", "ba"), "hang.md": own, "z.md": WRONG})

    def flaky(unit, settings):
        name = Path(unit.path).name
        if name == "crash.md" and unit.number == 0:
            os._exit(3)
        if name == "hang.md" and unit.number == 0:
            time.sleep(60)
        return check_unit(unit, settings)

    t0 = time.perf_counter()
    got = audit_class(folder, out=tmp_path / "out", jobs=2, timeout=3.0, _check=flaky)
    assert time.perf_counter() - t0 < 50  # the hang was stopped at its timeout, not waited for
    by = {s["file"]: s for s in got["submissions"]}
    assert by["crash.md"]["status"] == "crashed" and "exit code 3" in by["crash.md"]["reason"]
    assert by["crash.md"]["reason"].startswith("question 1:")
    assert by["hang.md"]["status"] == "timeout" and "3 s" in by["hang.md"]["reason"]
    assert by["a.md"]["status"] == by["z.md"]["status"] == "ok"
    assert by["z.md"]["summary"]["refuted"] == 2
    assert got["counts"] == {"submissions": 4, "ok": 2, "crashed": 1, "timeout": 1, "error": 0}
    jsonschema.validate(got, SCHEMA)
    # a crashed or stopped submission is no finished result: the next run audits it again
    assert audit_class(folder, out=tmp_path / "out", timeout=3.0, _check=flaky)["resumed"] == 2


def test_a_link_in_the_folder_is_not_followed(tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text(WRONG, encoding="utf-8")
    folder = class_folder(tmp_path, {"a.md": RIGHT})
    (folder / "b.md").symlink_to(outside)
    assert [p.name for p in submissions(folder)] == ["a.md"]


def test_the_command_line_audits_a_folder_with_csv(tmp_path):
    folder = class_folder(tmp_path, {"a.md": RIGHT, "b.md": WRONG})
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "symbolic", "audit", str(folder), "--json", "--csv", "-j", "1",
                           "--out", str(tmp_path / "res")], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert [s["summary"]["refuted"] for s in doc["submissions"]] == [0, 2]
    rows = (tmp_path / "res" / "class.csv").read_text().splitlines()
    assert rows[0].startswith("file,status,question,first_wrong_line") and len(rows) == 5


def test_a_folder_with_no_submission_is_one_line_of_error(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "symbolic", "audit", str(tmp_path / "empty")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2 and "no submission in this folder" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_run_killed_mid_class_loses_no_finished_result_and_the_next_resumes(tmp_path):
    import signal

    files = {f"s{k}.md": f"Question 1\n\n$$(a + b)^{k + 2} = (a + b)^{k + 1} (a + b)$$\n\n$$= a^{k + 2} + b^{k + 2}$$\n"
             for k in range(8)}  # each its own question: eight units, each refuted (a counterexample shrunk)
    folder = class_folder(tmp_path, files)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "symbolic", "audit", str(folder), "-j", "2", "--out", str(out)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and len(list(out.glob("s*.md.json"))) < 2 and proc.poll() is None:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers, mid-class
    finally:
        proc.wait(30)
    kept = {p.name: p.read_bytes() for p in out.glob("s*.md.json")}
    assert 2 <= len(kept) < 8, sorted(kept)  # killed mid-class
    again = audit_class(folder, out=out, jobs=2)
    assert again["resumed"] == len(kept)  # every finished result kept, none audited again
    assert [s["status"] for s in again["submissions"]] == ["ok"] * 8
    for name, data in kept.items():
        assert (out / name).read_bytes() == data  # untouched
    for name in files:
        entry = json.loads((out / f"{name}.json").read_text())
        assert _verdicts(entry["report"]) == _verdicts(audit(folder / name, jobs=1)), name
