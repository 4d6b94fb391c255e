"""Loading users' files and setting up a machine: invalid derivations, packages, empty files, endless loops.

Expected verdicts: x + x = 2x is an identity (PROVED, status ok); a 2x3 matrix
times itself is a shape error, raised while the derivation is built (invalid);
(x + 1)^2 = x^2 + 2x + 1 is an identity (PROVED).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "schema" / "stepcheck-check.schema.json").read_text())

GOOD = '''
def derivation_good():
    d = Derivation("good"); x = d.scalar("x")
    return d.start(x + x).eq(2*x, "1", why="collect")
'''
DRAFT = '''
def derivation_draft():
    d = Derivation("draft"); A = d.matrix("A", 2, 3)
    return d.start(A * A).eq(A, "1")  # a 2x3 matrix times itself: sympy raises ShapeError
'''


def stepcheck(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symbolic", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)


def pytest_run(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=timeout)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


# -- item 2: one invalid derivation does not hide the others ---------------------------------
def test_an_invalid_derivation_has_its_own_entry_and_the_others_are_checked(tmp_path):
    write(tmp_path / "mixed.py", "from symbolic import Derivation\n" + GOOD + DRAFT)
    proc = stepcheck("check", "mixed.py", "--json", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, SCHEMA)
    entries = {d["name"]: d for d in doc["derivations"]}
    assert entries["good"]["status"] == "ok" and entries["good"]["steps"][0]["verdict"] == "PROVED"
    assert entries["derivation_draft"]["status"] == "invalid"
    assert "ShapeError" in entries["derivation_draft"]["error"]
    assert len(proc.stderr.strip().splitlines()) == 1 and "derivation_draft" in proc.stderr

    table = stepcheck("check", "mixed.py", "--no-cache", cwd=tmp_path)
    assert table.returncode == 2
    assert "PROVED" in table.stdout and re.search(r"derivation_draft: INVALID: .*ShapeError", table.stdout)

    listed = stepcheck("list", "mixed.py", "--json", cwd=tmp_path)
    assert listed.returncode == 2
    rows = {r["name"]: r for r in json.loads(listed.stdout)["derivations"]}
    assert rows["good"]["steps"] == 1 and rows["derivation_draft"]["status"] == "invalid"

    only = stepcheck("check", "mixed.py", "-k", "good", "--json", "--no-cache", cwd=tmp_path)
    assert only.returncode == 0, only.stderr
    assert [d["name"] for d in json.loads(only.stdout)["derivations"]] == ["good"]


# -- item 3: files inside a package are modules of that package ------------------------------
def test_files_inside_a_package_import_relatively(tmp_path):
    write(tmp_path / "proofs" / "__init__.py", "")
    write(tmp_path / "proofs" / "_common.py", '''
        from symbolic import Derivation

        def new(name):
            d = Derivation(name)
            return d, d.scalar("x")
    ''')
    write(tmp_path / "proofs" / "square.py", '''
        from ._common import new

        def derivation_square():
            d, x = new("square")
            return d.start((x + 1)**2).eq(x**2 + 2*x + 1, "1", why="expand")
    ''')
    proc = stepcheck("check", "proofs/square.py", "--json", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [s["verdict"] for s in json.loads(proc.stdout)["derivations"][0]["steps"]] == ["PROVED"]
    run = pytest_run("--stepcheck", "proofs", "--stepcheck-no-cache", cwd=tmp_path)
    assert run.returncode == 0, run.stdout
    assert "1 passed" in run.stdout and "ImportError" not in run.stdout


def test_the_projects_own_derivations_folder_is_collected(tmp_path):
    run = pytest_run("--stepcheck", str(ROOT / "derivations"), "--collect-only", cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "ImportError" not in run.stdout
    assert "seed000_momentum.py::q2_1_momentum_ema_submitted" in run.stdout
    assert "seed003_code.py::" in run.stdout  # code checks too


# -- item 4: nothing to check is an error, not green -----------------------------------------
@pytest.mark.parametrize("text, reason", [
    ("", "no derivation found"),
    ("from symbolic import Derivation\ndef make_it():\n    return Derivation('misnamed')\n", "no derivation found"),
    ("from symbolic import Derivation\nd = Derivation('hollow')\n", "has no steps"),
])
def test_a_file_with_nothing_to_check_exits_2(tmp_path, text, reason):
    write(tmp_path / "thin.py", text)
    proc = stepcheck("check", "thin.py", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2
    assert reason in " ".join((proc.stderr + proc.stdout).split())
    run = pytest_run("--stepcheck", "thin.py", cwd=tmp_path)
    assert run.returncode != 0 and "error" in run.stdout.splitlines()[-1], run.stdout
    assert reason in run.stdout


# -- item 5: a file that never finishes loading is stopped and named --------------------------
def test_a_file_that_loops_at_import_is_stopped(tmp_path):
    write(tmp_path / "loops.py", "while True:\n    pass\n")
    proc = stepcheck("check", "loops.py", "--load-timeout", "1", cwd=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert "loops.py did not finish loading within the 1 s limit" in proc.stderr
    run = pytest_run("--stepcheck", "loops.py", "--stepcheck-load-timeout", "1", cwd=tmp_path, timeout=60)
    assert run.returncode != 0 and "loops.py did not finish loading within the 1 s limit" in run.stdout


def test_a_derivation_function_that_loops_is_stopped(tmp_path):
    write(tmp_path / "slow.py", "from symbolic import Derivation\n" + GOOD + "\ndef derivation_forever():\n"
          "    while True:\n        pass\n")
    proc = stepcheck("list", "slow.py", "--load-timeout", "1", cwd=tmp_path, timeout=60)
    assert proc.returncode == 2 and "slow.py did not finish loading within the 1 s limit" in proc.stderr


# -- item 1: the two set-up commands --------------------------------------------------------------
def test_readme_shows_two_setup_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set-up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    commands = [b.strip() for b in re.findall(r"```bash\n(.*?)```", section, re.S)]
    assert commands == ["bash scripts/run.sh report", "bash scripts/run.sh test"]
    ci = [ln for ln in (ROOT / ".ci" / "run").read_text().splitlines() if ln and not ln.startswith(("#", "set ", "cd "))]
    assert ci == [commands[1]]


def test_setup_script_and_hints_name_every_package():
    from symbolic.emit.report_text import message
    from symbolic.emit.toolchain import INSTALL, PACKAGES

    script = (ROOT / "scripts" / "run.sh").read_text()
    assert re.search(r"^PACKAGES=\((.*)\)$", script, re.M).group(1).split() == list(PACKAGES)
    assert "poppler-utils" in PACKAGES and INSTALL in message("no_tex", what="latexmk", dir="report")
    assert subprocess.run(["bash", "-n", str(ROOT / "scripts" / "run.sh")]).returncode == 0


def test_report_tests_skip_with_one_line_only_when_the_tools_cannot_be_installed(tmp_path, monkeypatch):
    import conftest
    import symbolic.emit.toolchain as toolchain

    monkeypatch.setenv("PATH", str(tmp_path))  # no latexmk, no pdftotext
    monkeypatch.setattr(toolchain, "can_install", lambda: False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        conftest.require_pdf_tools()
    line = str(skipped.value)
    assert "\n" not in line and "pdftotext" in line and toolchain.INSTALL in line
    monkeypatch.setattr(toolchain, "can_install", lambda: True)  # root with apt-get: a missing tool is a failure
    with pytest.raises(pytest.fail.Exception):
        conftest.require_pdf_tools()


def test_setup_script_without_root_says_what_to_install_then_runs_the_tests(tmp_path):
    """scripts/run.sh on a machine without TeX Live where it cannot install: one line, then pip and pytest."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for tool in ("dirname", "grep"):
        os.symlink(shutil.which(tool), bin_ / tool)
    write(bin_ / "id", "#!/bin/sh\necho 1000\n")
    calls = tmp_path / "calls"
    write(bin_ / "python3", f'''#!/bin/sh
        echo "$@" >> {calls}
        case "$1" in -c) exit 1;; esac
        exit 0
    ''')
    for f in bin_.iterdir():
        f.chmod(0o755)
    proc = subprocess.run(["/bin/bash", str(ROOT / "scripts" / "run.sh"), "test", "-x"], capture_output=True,
                          text=True, env={"PATH": str(bin_)}, timeout=60)
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and "cannot be installed" in err[0] and "poppler-utils" in err[0]
    ran = calls.read_text().splitlines()
    assert ran[-2:] == ["-m pip install -q -e .[test]", "-m pytest -q -x"]
