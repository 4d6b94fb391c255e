"""The pytest plugin: ``pytest --stepcheck PATH`` collects one item per derivation.

Expected verdicts: x + x = 2x and (x + 1)^2 = x^2 + 2x + 1 are identities
(PROVED); x + x = 3x is false for every x != 0 (REFUTED); sqrt(x^2) = x is
false for x < 0 (REFUTED, and x is declared without a sign).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True, scope="module")
def _engine_loaded_before_inline_runs():
    """pytester's inline runs drop the modules first imported inside them (numpy cannot be re-imported),
    so every module a check touches is imported once here, outside them."""
    from symbolic import Derivation, check, replay
    from symbolic.app.pytest_plugin import failure_text

    d = Derivation("warm")
    x = d.scalar("x", positive=True)
    d.start(x + x).eq(3 * x, "1")
    d.claim(sp_sqrt(x**2), "<=", x, "2")
    failure_text(d, check(d, cache=False))
    replay(d, "1", {"x": 1})


def sp_sqrt(e):
    from symbolic import sp

    return sp.sqrt(e)

PROOFS = textwrap.dedent('''
    from symbolic import Derivation, Source, sp


    def derivation_double() -> Derivation:
        d = Derivation("double")
        x = d.scalar("x")
        d.start(x + x).eq(2 * x, "1", why="collect")
        return d


    square = Derivation("square")
    _x = square.scalar("x")
    square.start((_x + 1) ** 2).eq(_x**2 + 2 * _x + 1, "1", why="expand")
''')

WRONG = textwrap.dedent('''
    from symbolic import Derivation, Source, sp


    def derivation_triple() -> Derivation:
        d = Derivation("triple", source=Source("notes.txt", "4", "corrected"))
        x = d.scalar("x")
        d.start(x + x).eq(2 * x, "1", why="collect")
        d.eq(3 * x, "2", why="wrong")
        return d
''')

REVIEW = textwrap.dedent('''
    from symbolic import Derivation, Source, sp

    d = Derivation("root", source=Source("notes.txt", "5", "submitted"))  # under review
    x = d.scalar("x")
    d.start(sp.sqrt(x**2)).eq(x, "1", why="forgot |x|")
''')


def test_collects_one_item_per_derivation_and_runs_them(pytester):
    pytester.makepyfile(proofs=PROOFS)
    listing = pytester.runpytest("--stepcheck", "proofs.py", "--collect-only", "-q")
    listing.stdout.fnmatch_lines(["proofs.py::double", "proofs.py::square", "2 tests collected*"])
    result = pytester.runpytest("--stepcheck", "proofs.py", "--stepcheck-seed", "3", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*proofs.py::double PASSED*", "*proofs.py::square PASSED*"])


def test_a_wrong_derivation_fails_with_its_counterexample(pytester):
    pytester.makepyfile(proofs=PROOFS, wrong=WRONG)
    result = pytester.runpytest("--stepcheck", "proofs.py", "--stepcheck", "wrong.py", "--stepcheck-no-cache")
    result.assert_outcomes(passed=2, failed=1)
    out = result.stdout.str()
    result.stdout.fnmatch_lines([
        "*derivation 'triple': step 2 is REFUTED*",
        "counterexample: x = *",
        "  lhs = *", "  rhs = *",
        "reproduce with:",
        "*from symbolic.read.loader import load_derivation*",
        "*replay(load_derivation(*wrong.py', 'triple'), '2', {'x': *",
        "all verdicts: 1=PROVED, 2=REFUTED",
    ])
    assert "Traceback" not in out
    x = float(out.split("counterexample: x = ")[1].split()[0])
    assert x != 0  # 2x = 3x only at x = 0


def test_the_reproduce_snippet_runs(pytester):
    pytester.makepyfile(wrong=WRONG)
    out = pytester.runpytest("--stepcheck", "wrong.py").stdout.str()
    code = out.split("reproduce with:\n")[1].split("\nall verdicts")[0]
    code = textwrap.dedent(code).replace("\nreplay(", "\nprint(replay(", 1) + ")"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lhs, rhs = eval(proc.stdout)  # noqa: S307 - two numbers printed by replay
    assert lhs == 2 * rhs / 3 and lhs != rhs


def test_review_fails_unless_allowed(pytester):
    pytester.makepyfile(review=REVIEW)
    pytester.runpytest("--stepcheck", "review.py").assert_outcomes(failed=1)
    allowed = pytester.runpytest("--stepcheck", "review.py", "--stepcheck-allow-review", "-rx")
    allowed.assert_outcomes(xfailed=1)
    allowed.stdout.fnmatch_lines(["*submission under review: derivation 'root': step 1 is REFUTED*"])


def test_a_folder_of_files(pytester):
    pytester.mkpydir("proofs")  # with __init__.py, which is skipped
    pytester.path.joinpath("proofs", "a.py").write_text(PROOFS)
    pytester.path.joinpath("proofs", "sub").mkdir()
    pytester.path.joinpath("proofs", "sub", "b.py").write_text(WRONG)
    pytester.path.joinpath("proofs", "conftest.py").write_text(
        "from symbolic import Derivation\nskipped = Derivation('from_conftest')\n")
    result = pytester.runpytest("--stepcheck", "proofs", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["proofs/a.py::double", "proofs/a.py::square", "proofs/sub/b.py::triple",
                                 "3 tests collected*"])
    assert "from_conftest" not in result.stdout.str()
    result = pytester.runpytest("--stepcheck", "proofs", "-k", "not triple")
    result.assert_outcomes(passed=2, deselected=1)


def test_bad_input_is_a_one_line_error(pytester):
    pytester.makepyfile(typo=textwrap.dedent('''
        from symbolic import Derivation, sp

        def derivation_typo() -> Derivation:
            d = Derivation("typo")
            x = d.scalar("x")
            d.start(x).eq(x + sp.Symbol("z"), "3")
            return d
    '''), broken="import no_such_module_anywhere\n")
    result = pytester.runpytest("--stepcheck", "typo.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["derivation 'typo', step 3, symbol 'z': undeclared symbol"])
    result = pytester.runpytest("--stepcheck", "broken.py", "--stepcheck", "missing.py")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*broken.py:1: ModuleNotFoundError: No module named 'no_such_module_anywhere'",
                                 "*file not found: *missing.py"])
    assert "Traceback" not in result.stdout.str()


def test_budget_option(pytester):
    pytester.makepyfile(proofs=textwrap.dedent('''
        from symbolic import Derivation, sp

        d = Derivation("log_bound")  # true (log is concave), but only sampling can tell: it takes time
        x = d.scalar("x", positive=True)
        d.claim(sp.log(1 + x), "<=", x, "1")
    '''))
    result = pytester.runpytest("--stepcheck", "proofs.py", "--stepcheck-no-cache")
    result.assert_outcomes(passed=1)
    result = pytester.runpytest("--stepcheck", "proofs.py", "--stepcheck-budget", "0.001", "--stepcheck-no-cache")
    result.assert_outcomes(failed=1)  # 1 ms is too little: UNDECIDED, which fails
    result.stdout.fnmatch_lines(["*step 1 is UNDECIDED*", "reason: timeout: the step's budget of 0.001 s ran out"])


def test_assert_checks_in_a_users_own_tests(pytester):
    pytester.makepyfile(wrong=WRONG, proofs=PROOFS)
    pytester.makepyfile(test_mine=textwrap.dedent('''
        from symbolic import assert_checks
        from symbolic.read.loader import load_derivation

        def test_double():
            assert assert_checks(load_derivation("proofs.py", "double")).verdicts() == {"1": "PROVED"}

        def test_triple():
            assert_checks(load_derivation("wrong.py", "triple"))
    '''))
    result = pytester.runpytest("test_mine.py")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*step 2: REFUTED*", "*counterexample: {'x': *"])


def test_inert_without_the_option(pytester):
    pytester.makepyfile(proofs=PROOFS, test_plain=textwrap.dedent('''
        import sys

        def test_no_sympy():
            assert "symbolic.app.pytest_plugin" in sys.modules  # the plugin is loaded...
            assert "sympy" not in sys.modules and "symbolic.verdicts.engine" not in sys.modules  # ...and idle
    '''))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["collected 1 item"])
