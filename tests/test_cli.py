"""The ``stepcheck`` command line, run as the installed console script in a subprocess.

Expected verdicts, and why they are right:

* ``example_square_of_sum``: step 1, (a + b)^2 = a^2 + 2ab + b^2, is a
  polynomial identity (PROVED by expansion); step 2 drops 2ab, false as soon
  as ab != 0 (REFUTED).  The derivation is marked ``review=True``: exit 0.
* ``example_weight_norm_trap``: d(g u/||u||)/du = (g/||u||)(I - u u^T/||u||^2)
  is the quotient rule (PROVED or CONFIRMED); (g/||u||) I forgets that ||u||
  depends on u (REFUTED).  Also under review: exit 0.
* user files: x + x = 2x is an identity (PROVED); sqrt(x^2 + 1) <= x is false
  for every x > 0 since sqrt(x^2 + 1) > |x| (REFUTED); sin(y)^2 = 1 - cos(y)
  is false at y = 1 (REFUTED).
"""

from __future__ import annotations

import doctest
import json
import os
import pty
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest

STEPCHECK = shutil.which("stepcheck")
SCHEMA = json.loads((Path(__file__).parent / "schema" / "stepcheck-check.schema.json").read_text())
EXAMPLES = ["example_square_of_sum", "example_weight_norm_trap"]

# The README's command-line section: its example file, shell commands and REPL session are run below.
README = (Path(__file__).resolve().parents[1] / "README.md").read_text()



def run(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120):
    """Run the installed console script; returns the CompletedProcess."""
    assert STEPCHECK is not None, "the stepcheck console script is not installed"
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([STEPCHECK, *args], capture_output=True, text=True, cwd=cwd, env=full_env,
                          timeout=timeout)


def check_json(*args: str, cwd: Path | None = None, expect: int = 0) -> dict:
    proc = run("check", "--json", "--no-cache", *args, cwd=cwd)
    assert proc.returncode == expect, proc.stderr
    doc = json.loads(proc.stdout)  # one document and nothing else
    jsonschema.validate(doc, SCHEMA)
    return doc


def by_name(doc: dict) -> dict:
    return {d["name"]: d for d in doc["derivations"]}


def verdicts(entry: dict) -> dict:
    return {s["label"]: s["verdict"] for s in entry["steps"]}


def one_line_error(proc) -> str:
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("stepcheck: error: ")
    assert "Traceback" not in proc.stderr
    return lines[0]


USER = textwrap.dedent('''
    from symbolic import Derivation, Source, sp
    from derivations import register


    @register
    def good():
        d = Derivation("good")
        x = d.scalar("x")
        d.start(x + x).eq(2 * x, "1", why="collect terms")
        return d


    def derivation_wrong() -> Derivation:
        d = Derivation("wrong", source=Source("notes.txt", "2", "corrected"))
        x = d.scalar("x", positive=True)
        d.start(sp.sqrt(x**2 + 1)).le(x, "1", why="drop the 1 (wrong)")
        return d


    under_review = Derivation("under_review", source=Source("notes.txt", "3", "submitted"))
    y = under_review.scalar("y")
    under_review.start(sp.sin(y) ** 2).eq(1 - sp.cos(y), "1", why="wrong identity")


    def helper(n):  # takes an argument: not collected
        return n
''')


@pytest.fixture
def user_file(tmp_path: Path) -> Path:
    p = tmp_path / "proofs.py"
    p.write_text(USER)
    return p


# -- list ----------------------------------------------------------------------------
def test_list_shows_every_builtin_with_source_and_version():
    from derivations import get, names

    proc = run("list", "--json")
    assert proc.returncode == 0, proc.stderr
    rows = {r["name"]: r for r in json.loads(proc.stdout)["derivations"]}
    assert set(rows) == set(names())
    for name in EXAMPLES:
        assert rows[name]["source"] == get(name).source.to_json()
        assert rows[name]["source"]["version"] == "example" and rows[name]["review"] is True
        assert rows[name]["defined_in"] is None
    table = run("list", "-k", "example_")
    assert table.returncode == 0
    assert all(name in table.stdout for name in EXAMPLES)
    assert "version" in table.stdout and "q1_1" not in table.stdout


def test_list_of_a_user_file_and_python_dash_m(user_file: Path):
    proc = subprocess.run([sys.executable, "-m", "symbolic", "list", str(user_file), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["derivations"]
    # file order; the module-level instance and both kinds of function; helper(n) is not collected
    assert [r["name"] for r in rows] == ["good", "wrong", "under_review"]
    assert [r["source"]["version"] for r in rows] == ["example", "corrected", "submitted"]
    assert [r["review"] for r in rows] == [False, False, True]
    assert {r["defined_in"] for r in rows} == {str(user_file)}


def test_loading_a_file_leaves_the_builtin_registry_alone(tmp_path: Path):
    from derivations import get, names
    from symbolic.read.loader import load_file

    p = tmp_path / "shadow.py"
    p.write_text(textwrap.dedent('''
        from derivations import register
        from derivations.examples import example_square_of_sum  # imported, not defined here: not collected
        from symbolic import Derivation

        @register
        def example_weight_norm_trap():  # same name as a built-in
            d = Derivation("shadow_trap")
            x = d.scalar("x")
            return d.start(x).eq(x, "1")
    '''))
    before = names()
    assert [d.name for d in load_file(p)] == ["shadow_trap"]
    assert names() == before and get("example_weight_norm_trap").name == "example_weight_norm_trap"


# -- check ---------------------------------------------------------------------------
def test_check_examples_json_schema_and_verdicts():
    doc = check_json(*EXAMPLES, "--seed", "0")
    assert doc["seed"] == 0 and doc["seconds"] > 0
    assert [d["name"] for d in doc["derivations"]] == EXAMPLES
    sq, wn = by_name(doc)["example_square_of_sum"], by_name(doc)["example_weight_norm_trap"]
    assert verdicts(sq) == {"1": "PROVED", "2": "REFUTED"}
    assert sq["first_wrong_step"] == "2" and sq["status"] == "findings" and sq["review"] is True
    ce = sq["steps"][1]["counterexample"]
    a, b = ce["values"]["a"], ce["values"]["b"]
    assert a * b != 0  # the dropped cross term 2ab is what makes the two sides differ
    assert ce["lhs"] == pytest.approx((a + b) ** 2) and ce["rhs"] == pytest.approx(a**2 + b**2)
    assert "replay('example_square_of_sum', '2'" in ce["code"]
    assert verdicts(wn)["right"] in ("PROVED", "CONFIRMED") and verdicts(wn)["sympy"] == "REFUTED"
    assert wn["first_wrong_step"] == "sympy"
    assert sq["steps"][0]["counterexample"] is None and sq["steps"][0]["reason"] is None


def test_check_table_output_without_terminal():
    proc = run("check", "example_square_of_sum", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "example_square_of_sum" in out and "under review" in out
    assert re.search(r"│ 1\s+│\s+=\s+│ PROVED", out) and re.search(r"│ 2\s+│\s+=\s+│ REFUTED", out)
    assert "counterexample: a = " in out and "first wrong step 2" in out
    assert "\x1b[" not in out and "━━━━━━━━ " not in proc.stderr  # no colours, no progress bar
    assert "checked 1 derivation(s)" in out and proc.stderr == ""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_progress_bar_when_output_is_a_terminal(jobs):
    master, slave = pty.openpty()
    env = dict(os.environ, COLUMNS="100", TERM="xterm")
    proc = subprocess.Popen([STEPCHECK, "check", *EXAMPLES, "--no-cache", "-j", jobs], stdout=slave,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=120) == 0
    os.close(master)
    out = b"".join(chunks).decode()
    assert "checking example_square_of_sum" in out and "0/2" in out  # the bar, while it works
    assert out.count("REFUTED") == 2 and "\x1b[" in out  # both tables, in colour


def test_user_file_correct_wrong_and_under_review(user_file: Path, tmp_path: Path):
    doc = check_json(str(user_file), expect=1)  # "wrong" is a corrected version: it fails
    entries = by_name(doc)
    assert list(entries) == ["good", "wrong", "under_review"]
    assert verdicts(entries["good"]) == {"1": "PROVED"} and entries["good"]["status"] == "ok"
    assert verdicts(entries["wrong"]) == {"1": "REFUTED"} and entries["wrong"]["status"] == "failed"
    assert entries["under_review"]["status"] == "findings"
    assert entries["good"]["defined_in"] == str(user_file)
    # the reproduce snippet of a derivation in a user's file runs on its own
    ce = entries["wrong"]["steps"][0]["counterexample"]
    assert ce["values"]["x"] > 0
    script = ce["code"].replace("\nreplay(", "\nprint(replay(", 1) + ")"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr + script
    lhs, rhs = eval(proc.stdout)  # noqa: S307 - our own output: two numbers
    x = ce["values"]["x"]
    assert lhs == pytest.approx((x**2 + 1) ** 0.5) and rhs == pytest.approx(x) and lhs > rhs


def test_exit_status_and_tables_of_a_user_file(user_file: Path):
    proc = run("check", str(user_file), "--no-cache")
    assert proc.returncode == 1  # "wrong" (a corrected version) fails; "under_review" only reports
    out = proc.stdout
    assert "good: proved=1 ok" in out and "counterexample: x = " in out
    assert "wrong: refuted=1; first wrong step 1 FAILED" in out
    assert "under_review: refuted=1; first wrong step 1 (under review: reported, not failing)" in out
    assert "1 ok, 1 failed, 1 with findings (under review)" in out
    review = run("check", str(user_file), "-k", "under_*", "--no-cache")
    assert review.returncode == 0 and "REFUTED" in review.stdout  # findings, reported without failing


def test_budget_overrides_every_step(user_file: Path):
    # 1 ms is far too little for any step: each one runs out of time and is UNDECIDED, which fails
    doc = check_json(str(user_file), "-k", "good", "--budget", "0.001", expect=1)
    (step,) = by_name(doc)["good"]["steps"]
    assert step["verdict"] == "UNDECIDED" and "0.001 s" in step["reason"]
    generous = check_json(str(user_file), "-k", "good", "--budget", "60")
    assert verdicts(by_name(generous)["good"]) == {"1": "PROVED"}


def test_parallel_gives_the_same_results_in_the_same_order(user_file: Path):
    def strip(doc):
        for d in doc["derivations"]:
            for s in d["steps"]:
                s.pop("seconds")
        return doc["derivations"]

    one = check_json(*EXAMPLES, str(user_file), "--seed", "7", "-j", "1", expect=1)
    two = check_json(*EXAMPLES, str(user_file), "--seed", "7", "-j", "2", expect=1)
    assert one["seed"] == two["seed"] == 7
    assert [d["name"] for d in two["derivations"]] == EXAMPLES + ["good", "wrong", "under_review"]
    assert strip(one) == strip(two)


def test_parallel_built_ins_are_built_by_the_workers_with_the_same_results():
    # built-ins only: the workers build their own copies while the parent builds for the output
    def strip(doc):
        return [{**d, "steps": [{k: v for k, v in s.items() if k != "seconds"} for s in d["steps"]]}
                for d in doc["derivations"]]

    names = EXAMPLES + ["q2_1_momentum_ema_submitted", "bp_1_11_corrected"]
    one = check_json(*names, "--seed", "3", "-j", "1")
    two = check_json(*names, "--seed", "3", "-j", "2")
    assert [d["name"] for d in two["derivations"]] == names
    assert strip(one) == strip(two)


# -- bad input and bad usage -------------------------------------------------------------
def test_undeclared_symbol_names_derivation_step_and_symbol(tmp_path: Path):
    p = tmp_path / "typo.py"
    p.write_text(textwrap.dedent('''
        from symbolic import Derivation, sp

        def derivation_typo() -> Derivation:
            d = Derivation("typo")
            x = d.scalar("x")
            z = sp.Symbol("z")  # never declared
            d.start(x + z).eq(z + x, "3")
            return d
    '''))
    proc = run("check", str(p), "--no-cache")
    assert proc.returncode == 2 and "typo: INVALID: " in proc.stdout  # its own entry (see tests/test_loading.py)
    line = one_line_error(proc)
    assert "derivation 'typo'" in line and "step 3" in line and "symbol 'z'" in line
    # the same mistake in text, caught while the derivation is built
    p.write_text(textwrap.dedent('''
        from symbolic import Derivation
        d = Derivation("typo_text")
        x = d.scalar("x")
        d.start(x).eq("x + w", "4")
    '''))
    proc = run("check", str(p), "--json")
    assert proc.returncode == 2 and proc.stdout == ""
    line = one_line_error(proc)
    assert "derivation 'typo_text'" in line and "step 4" in line and "'w'" in line


@pytest.mark.parametrize("args, needle", [
    ([], "required"),
    (["frob"], "invalid choice"),
    (["check", "--seed", "x"], "--seed"),
    (["check", "-j", "-1"], "-j"),
    (["check", "--budget", "0"], "--budget"),
    (["check", "no_such_derivation"], '"no_such_derivation"'),
    (["show", "no_such_derivation"], '"no_such_derivation"'),
    (["check", "missing.py"], "file not found: missing.py"),
    (["check", "example_square_of_sum", "-k", "zzz"], "-k 'zzz'"),
    (["check", "example_square_of_sum", "no_such_derivation", "-j", "2"], '"no_such_derivation"'),
    (["check", "-k", "zzz", "-j", "2"], "-k 'zzz'"),
    (["report", "--lang", "de"], "--lang"),
])
def test_bad_usage_exits_2_with_one_line(args, needle, tmp_path: Path):
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert needle in one_line_error(proc)


def test_a_file_that_does_not_import_exits_2(tmp_path: Path):
    p = tmp_path / "broken.py"
    p.write_text("from symbolic import Derivation\n\nd = Derivation('x')\nraise ValueError('boom')\n")
    line = one_line_error(proc := run("check", str(p)))
    assert proc.returncode == 2 and f"{p}:4: ValueError: boom" in line
    p.write_text("from symbolic import Derivation\na = Derivation('same')\nb = Derivation('same')\n")
    line = one_line_error(proc := run("list", str(p)))
    assert proc.returncode == 2 and "two derivations are called 'same'" in line


# -- show ----------------------------------------------------------------------------
def test_show_builtin_with_counterexample():
    proc = run("show", "example_square_of_sum", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for text in ("step 1", "PROVED", "step 2", "REFUTED", "why: drop the cross term", "counterexample:",
                 "lhs = ", "rhs = ", "reproduce with:", "replay('example_square_of_sum', '2', {"):
        assert text in out, text


def test_show_user_file(user_file: Path):
    proc = run("show", str(user_file), "wrong", "--no-cache")
    assert proc.returncode == 1  # a corrected version with a wrong step
    assert "REFUTED" in proc.stdout and f"load_derivation({str(user_file)!r}, 'wrong')" in proc.stdout
    proc = run("show", str(user_file))
    assert proc.returncode == 2 and "name the one to show" in one_line_error(proc)


# -- report --------------------------------------------------------------------------
def test_report_calls_build_report(tmp_path: Path):
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "sitecustomize.py").write_text(textwrap.dedent('''
        import json, sys, types
        mod = types.ModuleType("symbolic.emit.report")
        def build_report(out_dir, *, lang="en", seed=0, derivations=None, pdf=True, figures=True):
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / "args.json").write_text(json.dumps(
                {"out": str(out_dir), "lang": lang, "seed": seed, "pdf": pdf, "figures": figures,
                 "derivations": None if derivations is None else [d.name for d in derivations]}))
            return 0
        mod.build_report = build_report
        sys.modules["symbolic.emit.report"] = mod
    '''))
    out = tmp_path / "rep"
    proc = run("report", "--lang", "fr", "--out", str(out), "--seed", "3", "--no-pdf",
               env={"PYTHONPATH": str(fake)})
    assert proc.returncode == 0, proc.stderr
    assert json.loads((out / "args.json").read_text()) == {
        "out": str(out), "lang": "fr", "seed": 3, "pdf": False, "figures": True, "derivations": None}
    proc = run("report", "example_square_of_sum", "--out", str(out), env={"PYTHONPATH": str(fake)})
    assert proc.returncode == 0, proc.stderr
    assert json.loads((out / "args.json").read_text()) == {
        "out": str(out), "lang": "en", "seed": 0, "pdf": True, "figures": True,
        "derivations": ["example_square_of_sum"]}


def test_report_without_the_report_module_exits_2(tmp_path: Path):
    block = tmp_path / "block"
    block.mkdir()
    (block / "sitecustomize.py").write_text(textwrap.dedent('''
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "symbolic.emit.report":
                    raise ModuleNotFoundError("No module named 'symbolic.emit.report'", name=name)
        sys.meta_path.insert(0, Block())
    '''))
    proc = run("report", "--out", str(tmp_path / "rep"), env={"PYTHONPATH": str(block)})
    assert proc.returncode == 2 and "symbolic.emit.report" in one_line_error(proc)
    assert not (tmp_path / "rep").exists()


# -- the README section ----------------------------------------------------------------
def _block(lang: str, starts: str = "") -> str:
    for m in re.finditer(r"```(\w*)\n(.*?)```", README, re.S):
        if m.group(1) == lang and m.group(2).startswith(starts):
            return m.group(2)
    raise AssertionError(f"no {lang} block in the README section")


def test_readme_example_file_and_commands(tmp_path: Path):
    (tmp_path / "my_proofs.py").write_text(_block("python", "# my_proofs.py"))
    for line in _block("bash", "stepcheck check my_proofs.py").strip().splitlines():
        argv = shlex.split(line)
        if argv[0] == "pytest":
            argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *argv[1:]]
        else:
            argv = [shutil.which(argv[0]), *argv[1:]]
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, timeout=120)
        assert proc.returncode == 0, line + "\n" + proc.stdout + proc.stderr
        if argv[0] == sys.executable:
            assert "2 passed" in proc.stdout
    doc = check_json("my_proofs.py", cwd=tmp_path)
    entries = by_name(doc)
    assert verdicts(entries["difference_of_squares"]) == {"1": "PROVED"}  # a polynomial identity
    assert verdicts(entries["log_bound"])["1"] in ("PROVED", "CONFIRMED")  # true: log is concave


def test_readme_repl_session(tmp_path: Path, monkeypatch):
    (tmp_path / "my_proofs.py").write_text(_block("python", "# my_proofs.py"))
    monkeypatch.chdir(tmp_path)
    test = doctest.DocTestParser().get_doctest(_block("pycon"), {}, "README", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert runner.summarize(verbose=False).attempted >= 8


# -- the whole-result cache ------------------------------------------------------------

def test_unchanged_project_rechecks_without_importing_sympy(tmp_path):
    env = {**os.environ, "STEPCHECK_CACHE": str(tmp_path / "cache")}
    args = [sys.executable, "-c",
            "import sys; from symbolic.app.cli import main; rc = main(['check', '-k', 'example_']); "
            "print('SYMPY', 'sympy' in sys.modules); sys.exit(rc)"]
    first = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    second = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert "SYMPY True" in first.stdout
    assert "SYMPY True" in second.stdout  # -k on a cold results cache: nothing stored for all names yet
    full = [sys.executable, "-c", "import sys; from symbolic.app.cli import main; sys.exit(main(['check']))"]
    subprocess.run(full, env=env, capture_output=True, text=True, timeout=600)
    third = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert "SYMPY False" in third.stdout
    strip = lambda out: [l for l in out.splitlines() if not l.startswith(("checked ", "SYMPY"))]
    assert strip(third.stdout) == strip(first.stdout)
    assert third.returncode == first.returncode


def test_fingerprint_follows_every_source_file(tmp_path, monkeypatch):
    from symbolic.verdicts import results_cache as rc

    pkg = tmp_path / "derivations"
    pkg.mkdir()
    (pkg / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(rc, "_derivation_dirs", lambda: [pkg])
    before = rc.fingerprint()
    (pkg / "a.py").write_text("x = 2\n")
    assert rc.fingerprint() != before


def test_the_engine_fingerprint_hashes_every_layer_of_the_engine(monkeypatch):
    # an edit of the checks, the algebra or the reader (not only of the cache's own folder) changes every key
    from symbolic.verdicts import cache

    hashed = []
    monkeypatch.setattr(cache, "source_hash", lambda folders, prefix="": hashed.extend(folders) or "h")
    cache.engine_fingerprint.cache_clear()
    try:
        cache.engine_fingerprint()
    finally:
        cache.engine_fingerprint.cache_clear()
    engine_files = {p.resolve() for f in hashed for p in Path(f).rglob("*.py")}
    package = Path(cache.__file__).resolve().parents[1]
    for layer in ("algebra", "model", "checks", "verdicts", "read", "emit", "app"):
        assert (package / layer / "__init__.py").resolve() in engine_files, layer
    assert (package / "checks" / "steps.py").resolve() in engine_files


def test_cached_verdicts_follow_the_engines_code(tmp_path, monkeypatch):
    # a verdict cached by other engine code (an edit, an upgrade) must never be read back:
    # the engine's sources are part of every step key
    from derivations import get
    from symbolic.verdicts import cache
    from symbolic.verdicts.engine import step_key

    engine = tmp_path / "symbolic"
    engine.mkdir()
    (engine / "shrink.py").write_text("LIMIT = 1\n")
    before = cache.source_hash([engine])
    (engine / "shrink.py").write_text("LIMIT = 2\n")
    assert cache.source_hash([engine]) != before
    d = get("example_square_of_sum")
    key = step_key(d, d.steps[0], 0, 24)
    monkeypatch.setattr(cache, "engine_fingerprint", lambda: "other engine")
    import symbolic.verdicts.engine as engine_module
    monkeypatch.setattr(engine_module, "engine_fingerprint", lambda: "other engine")
    assert step_key(d, d.steps[0], 0, 24) != key
