"""The verdict caches (issues 12.2, 12.3, 13.8): an entry answers a check only when it is ours, verifies,
was stored under the very key asked for, and was made under the same budget.

Expected verdicts: a^2 - b^2 = a^2 + b^2 is false whenever b != 0 (REFUTED),
so checking it exits 1; x + x = 2x is an identity (PROVED); the built-in
example_square_of_sum's step 1 is PROVED and its step 2 is wrong (REFUTED),
reported as a finding (exit 0: it is under review).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from symbolic import Derivation, check
from symbolic.verdicts.cache import VerdictCache
from symbolic.app.cli import main
from symbolic.read.loader import with_budget

WRONG = textwrap.dedent('''
    from symbolic import Derivation


    def derivation_difference_of_squares() -> Derivation:
        d = Derivation("difference_of_squares")
        a, b = d.scalar("a"), d.scalar("b")
        d.start(a**2 - b**2).eq(a**2 + b**2, "1", why="a sign slip")
        return d
''')


def _json_run(capsys, *argv) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["check", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def _verdicts(doc: dict) -> dict:
    return {d["name"]: {s["label"]: s["verdict"] for s in d["steps"]} for d in doc["derivations"]}


def _lie(payload):
    """Every verdict in a cache payload made PROVED, its counterexample and reason dropped."""
    if isinstance(payload, list):
        return [_lie(p) for p in payload]
    if not isinstance(payload, dict):
        return payload
    out = {k: _lie(v) for k, v in payload.items()}
    if "verdict" in out:
        out.update(verdict="PROVED", counterexample=None, reason=None)
    return out


def _forge(folder: Path, attacker_secret: Path, monkeypatch) -> int:
    """Rewrite every entry below ``folder`` to say PROVED; a signed entry is re-signed with the attacker's own
    secret (what anyone shipping a cache folder can do).  Works on any entry format; returns how many."""
    n = 0
    for p in sorted(folder.rglob("*.json")):
        entry = json.loads(p.read_text())
        if isinstance(entry, dict) and {"kind", "key", "payload", "hmac"} <= set(entry):
            from symbolic.verdicts import signed

            monkeypatch.setenv("STEPCHECK_SECRET_FILE", str(attacker_secret))
            signed.write_entry(p, entry["kind"], entry["key"], _lie(entry["payload"]))
        else:
            p.write_text(json.dumps(_lie(entry)))
        n += 1
    return n


@pytest.fixture
def forged(tmp_path, monkeypatch, capsys):
    """A student's folder holding a wrong derivation, and a forged cache folder saying every step is PROVED,
    made from real entries for that file and for the built-in example_square_of_sum (step and whole-result)."""
    student = tmp_path / "student"
    student.mkdir()
    (student / "proof.py").write_text(WRONG)
    made = tmp_path / "made-by-attacker"
    victim_secret = os.environ["STEPCHECK_SECRET_FILE"]
    monkeypatch.setenv("STEPCHECK_CACHE", str(made))
    monkeypatch.setenv("STEPCHECK_SECRET_FILE", str(tmp_path / "attacker" / "secret"))
    assert _json_run(capsys, str(student / "proof.py"))[0] == 1
    assert _verdicts(_json_run(capsys, "example_square_of_sum")[1])["example_square_of_sum"]["2"] == "REFUTED"
    assert (made / "results").is_dir()  # the whole-result cache is forged too
    assert _forge(made, tmp_path / "attacker" / "secret", monkeypatch) >= 3
    monkeypatch.setenv("STEPCHECK_SECRET_FILE", victim_secret)
    return student, made


def test_hostile_cache_shipped_in_the_checked_folder_is_never_read(forged, tmp_path, monkeypatch, capsys):
    student, made = forged
    shutil.copytree(made, student / ".stepcheck-cache")  # where the old default read it from
    monkeypatch.delenv("STEPCHECK_CACHE")
    monkeypatch.chdir(student)
    code, doc = _json_run(capsys, "proof.py")
    assert code == 1 and _verdicts(doc) == {"difference_of_squares": {"1": "REFUTED"}}
    code, doc = _json_run(capsys, "example_square_of_sum")
    assert _verdicts(doc)["example_square_of_sum"]["2"] == "REFUTED"
    assert doc["derivations"][0]["status"] == "findings"
    assert doc["cache"] == {"hits": 0, "ignored": 0}  # the shipped folder is not even looked at
    assert list((tmp_path / "xdg-cache").rglob("*.json"))  # the user's cache dir is used instead


def test_hostile_cache_with_forged_hmac_is_ignored_and_counted(forged, monkeypatch, capsys):
    student, made = forged
    monkeypatch.setenv("STEPCHECK_CACHE", str(made))
    code, doc = _json_run(capsys, str(student / "proof.py"))
    assert code == 1 and _verdicts(doc) == {"difference_of_squares": {"1": "REFUTED"}}
    assert doc["cache"] == {"hits": 0, "ignored": 1}
    assert doc["derivations"][0]["steps"][0]["counterexample"] is not None
    capsys.readouterr()
    main(["check", "example_square_of_sum"])  # forged whole-result file and step entries
    out = capsys.readouterr().out
    assert "REFUTED" in out and "ignored 3 cache entries that did not verify" in out
    assert "1 with findings" in out


def test_hostile_cache_fails_pytest_stepcheck(forged, monkeypatch):
    student, made = forged
    import symbolic

    path = os.pathsep.join(filter(None, [str(Path(symbolic.__file__).resolve().parents[1]),
                                         os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "STEPCHECK_CACHE": str(made), "PYTHONPATH": path}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--stepcheck", "proof.py",
                           "-q"], cwd=student, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout
    assert "step 1 is REFUTED" in proc.stdout
    assert "ignored 1 cache entry that did not verify" in proc.stdout


def _two_steps() -> Derivation:
    d = Derivation("two_steps")
    x = d.scalar("x")
    return d.start(x + x).eq(2 * x, "1").eq(3 * x, "2")


def _label_of(p: Path) -> str:
    entry = json.loads(p.read_text())
    return entry.get("payload", entry)["label"]


def test_entry_copied_to_another_steps_key_is_ignored_then_rebuilt(tmp_path):
    cache = VerdictCache(tmp_path / "c")
    cold = check(_two_steps(), cache=cache)
    assert cold.verdicts() == {"1": "PROVED", "2": "REFUTED"}
    files = {_label_of(p): p for p in (tmp_path / "c").rglob("*.json")}
    files["2"].write_bytes(files["1"].read_bytes())  # step 1's genuine, signed entry under step 2's key
    again = check(_two_steps(), cache=VerdictCache(tmp_path / "c"))
    assert again.verdicts() == {"1": "PROVED", "2": "REFUTED"}
    assert again.step("2").counterexample is not None and not again.step("2").cached
    assert again.cache_ignored == 1
    third = check(_two_steps(), cache=VerdictCache(tmp_path / "c"))  # the entry was rebuilt
    assert third.cache_ignored == 0 and all(s.cached for s in third.steps)
    assert third.verdicts() == cold.verdicts()


def _slow_prover(monkeypatch):
    """A prover that needs more than a second: under a short budget its attempt times out (deterministically)."""
    import symbolic.checks.steps as steps
    from symbolic.budget import remaining
    from symbolic.exceptions import BudgetExceeded

    real = steps.prove_equal

    def slow(*a, **k):
        if remaining() < 1.0:
            raise BudgetExceeded("the proof needs more time")
        return real(*a, **k)

    monkeypatch.setattr(steps, "prove_equal", slow)


def _summary(res) -> list:
    return [(s.label, s.verdict.value, s.method, s.counterexample is not None) for s in res.steps]


def test_a_short_budget_never_answers_the_full_budget(tmp_path, monkeypatch):
    _slow_prover(monkeypatch)
    cache = VerdictCache(tmp_path / "c")
    short = check(with_budget(_two_steps(), 0.5), cache=cache)
    assert short.step("1").verdict.value == "CONFIRMED"  # degraded: the proof had no time
    full = check(_two_steps(), cache=cache)
    cold = check(_two_steps(), cache=False)
    assert cold.step("1").verdict.value == "PROVED"
    assert _summary(full) == _summary(cold)
    assert not any(s.cached for s in full.steps)
    assert _summary(check(with_budget(_two_steps(), 0.5), cache=cache)) == _summary(short)  # same budget: reused


def test_cli_budget_run_does_not_poison_later_runs(monkeypatch, capsys):
    _slow_prover(monkeypatch)
    code, short = _json_run(capsys, "example_square_of_sum", "--budget", "0.5")
    assert _verdicts(short)["example_square_of_sum"]["1"] == "CONFIRMED"
    _, cold = _json_run(capsys, "example_square_of_sum", "--no-cache")
    assert _verdicts(cold)["example_square_of_sum"]["1"] == "PROVED"
    for _ in range(2):  # the step cache, then the whole-result cache it fed
        code, full = _json_run(capsys, "example_square_of_sum")
        assert _verdicts(full) == _verdicts(cold)
        assert [s["method"] for s in full["derivations"][0]["steps"]] == \
            [s["method"] for s in cold["derivations"][0]["steps"]]


@pytest.mark.parametrize("content", [b"[]", b'{"entries": []}', b"\x80\x81 not json \xff",
                                     b'{"entries": {"example_square_of_sum": 5}, "all_names": null}'])
def test_malformed_whole_result_file_is_ignored_and_rebuilt(content, capsys):
    from symbolic.verdicts import results_cache as rc

    path = rc._path(rc.fingerprint(), 0, 24)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    code, doc = _json_run(capsys, "example_square_of_sum")
    assert code == 0 and _verdicts(doc)["example_square_of_sum"] == {"1": "PROVED", "2": "REFUTED"}
    assert doc["cache"]["ignored"] == 1
    assert rc.load(rc.fingerprint(), 0, 24)[0] is not None  # rebuilt, and it verifies
    code, again = _json_run(capsys, "example_square_of_sum")
    assert code == 0 and _verdicts(again) == _verdicts(doc)
    assert again["cache"] == {"hits": len(again["derivations"][0]["steps"]), "ignored": 0}


@pytest.mark.parametrize("content", [b"", b"[]", b"\x00\x01garbage", b'{"kind": "step"}'])
def test_malformed_step_entry_is_ignored_and_rebuilt(tmp_path, content):
    cache = VerdictCache(tmp_path / "c")
    check(_two_steps(), cache=cache)
    for p in (tmp_path / "c").rglob("*.json"):
        p.write_bytes(content)
    again = check(_two_steps(), cache=VerdictCache(tmp_path / "c"))
    assert again.verdicts() == {"1": "PROVED", "2": "REFUTED"} and again.cache_ignored == 2
    assert check(_two_steps(), cache=VerdictCache(tmp_path / "c")).cache_ignored == 0


def test_secret_is_created_with_mode_0600_outside_the_cache(tmp_path, monkeypatch):
    secret = tmp_path / "config" / "stepcheck" / "cache-secret"
    monkeypatch.setenv("STEPCHECK_SECRET_FILE", str(secret))
    old = os.umask(0)  # the mode must not depend on the umask
    try:
        check(_two_steps(), cache=VerdictCache(tmp_path / "c"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert len(secret.read_bytes().strip()) >= 32
    assert not any(secret.name in str(p) for p in (tmp_path / "c").rglob("*"))


def test_a_secret_others_can_read_signs_nothing(tmp_path, monkeypatch):
    secret = tmp_path / "shared-secret"
    secret.write_text("0" * 64)
    secret.chmod(0o644)
    monkeypatch.setenv("STEPCHECK_SECRET_FILE", str(secret))
    check(_two_steps(), cache=VerdictCache(tmp_path / "c"))
    second = check(_two_steps(), cache=VerdictCache(tmp_path / "c"))
    assert not any(s.cached for s in second.steps)
    assert second.verdicts() == {"1": "PROVED", "2": "REFUTED"}


def test_default_cache_is_the_users_cache_dir_not_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("STEPCHECK_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    check(_two_steps())
    assert list(work.iterdir()) == []
    assert len(list((tmp_path / "xdg" / "stepcheck").rglob("*.json"))) == 2


def test_a_result_a_time_limit_touched_is_never_remembered(tmp_path, monkeypatch):
    """A symbolic attempt cut short by the clock (load-dependent) leaves no entry: the next run tries again."""
    import symbolic.checks.steps as steps
    from symbolic.budget import check_time

    real = steps.prove_equal
    state = {"spin": True}

    def stalls_while_loaded(*a, **k):
        while state["spin"]:  # a machine too busy to finish the proof inside the symbolic share
            check_time()
        return real(*a, **k)

    monkeypatch.setattr(steps, "prove_equal", stalls_while_loaded)
    cache = VerdictCache(tmp_path / "c")
    busy = check(with_budget(_two_steps(), 1.0), cache=cache)
    assert busy.step("1").verdict.value == "CONFIRMED"  # no proof in time, the numbers agree
    state["spin"] = False  # the machine is quiet again
    quiet = check(with_budget(_two_steps(), 1.0), cache=cache)
    assert quiet.step("1").verdict.value == "PROVED"
    assert not quiet.step("1").cached
