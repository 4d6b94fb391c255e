"""The class's step store (symbolic/verdicts/shared_store.py): many writers at once lose nothing and break
nothing; an entry is used only when its signature is ours, and one a time limit touched only by its own run."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import tempfile

import pytest

os.environ.setdefault("STEPCHECK_SECRET_FILE", os.path.join(tempfile.mkdtemp(), "secret"))

from symbolic.model.results import Counterexample, StepResult, Verdict  # noqa: E402
from symbolic.verdicts.shared_store import SharedStepStore  # noqa: E402


def _result(i: int) -> StepResult:
    return StepResult(str(i), "=", Verdict.REFUTED, reason=f"step {i}",
                      counterexample=Counterexample({"x": [i, 0.5]}, 1.0, 2.0, "lhs - rhs = -1"))


def _writer(path: str, who: int, writers: int, n: int, errors) -> None:
    try:
        store = SharedStepStore(path, "run")
        for i in range(n):
            key = f"k{(i * writers + who) % (n * 2)}"  # writers overlap on half the keys
            store.put(key, _result(int(key[1:])), 1, 0)
            other = store.get(f"k{(i + 7) % (n * 2)}")  # read while others write
            if other is not None and other[0].reason != f"step {(i + 7) % (n * 2)}":
                errors.put(f"wrong entry for k{(i + 7) % (n * 2)}")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        errors.put(repr(exc))


@pytest.mark.parametrize("writers", [2, 8])
def test_many_writers_at_once_lose_no_entry_and_break_none(tmp_path, writers):
    path = str(tmp_path / "steps.sqlite")
    n = 60
    ctx = multiprocessing.get_context("fork")
    errors = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(path, w, writers, n, errors)) for w in range(writers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * writers
    assert errors.empty(), errors.get()
    written = {f"k{(i * writers + w) % (n * 2)}" for w in range(writers) for i in range(n)}
    fresh = SharedStepStore(path, "another run")
    for key in written:
        got = fresh.get(key)
        assert got is not None and got[0].reason == f"step {key[1:]}" and got[0].counterexample.values == {
            "x": [int(key[1:]), 0.5]}, key
    assert fresh.ignored == 0
    assert sqlite3.connect(path).execute("SELECT count(*) FROM steps").fetchone()[0] == len(written)


def test_an_entry_forged_edited_or_moved_is_ignored(tmp_path):
    path = str(tmp_path / "steps.sqlite")
    store = SharedStepStore(path, "run")
    store.put("wrong", _result(1), 0, 0)
    store.put("other", _result(2), 0, 0)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("UPDATE steps SET payload = replace(payload, 'REFUTED', 'PROVED') WHERE key = 'wrong'")
    payload, mac = db.execute("SELECT payload, mac FROM steps WHERE key = 'other'").fetchone()
    db.execute("INSERT INTO steps VALUES ('moved', ?, ?)", (payload, mac))  # a real entry under another key
    db.execute("INSERT INTO steps VALUES ('forged', ?, ?)", (payload, "0" * 64))
    fresh = SharedStepStore(path, "run")
    assert [fresh.get(k) for k in ("wrong", "moved", "forged")] == [None, None, None]
    assert fresh.ignored == 3
    assert fresh.get("other")[0].verdict is Verdict.REFUTED


def test_a_result_a_time_limit_touched_is_kept_for_its_own_run_only(tmp_path):
    path = str(tmp_path / "steps.sqlite")
    SharedStepStore(path, "first").put("k", StepResult("1", "=", Verdict.UNDECIDED, reason="timeout"), 0, 0,
                                        timed=True)
    assert SharedStepStore(path, "first").get("k")[0].reason == "timeout"
    assert SharedStepStore(path, "second").get("k") is None


def test_a_store_that_cannot_be_opened_only_costs_speed(tmp_path):
    store = SharedStepStore(tmp_path / "no" / "such" / "folder" / "steps.sqlite", "run")
    store.put("k", _result(1), 0, 0)
    assert store.get("k")[0].reason == "step 1"  # from memory
    assert SharedStepStore(tmp_path / "no" / "such" / "folder" / "steps.sqlite", "run").get("k") is None


def test_a_store_file_that_is_not_a_database_is_left_alone_and_costs_only_speed(tmp_path):
    path = tmp_path / "steps.sqlite"
    path.write_bytes(b"not a database at all" * 100)  # a file that came with the folder
    store = SharedStepStore(path, "run")
    store.put("k", _result(1), 0, 0)
    assert store.get("k")[0].reason == "step 1"  # from memory
    assert SharedStepStore(path, "run").get("k") is None
    assert path.read_bytes() == b"not a database at all" * 100
