"""Helpers shared by the tests that audit a small submission written for the test (issue 15's reader tests), or
a small class of them (issue 16's).

Each writes the submission (and its context, when given) into the test's own folder, audits it with the
public ``symbolic.app.audit.audit`` and hands back the lines of the JSON document, in order.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any


def audit_document(folder: Path, text: str, context: str | None = None, *, name: str = "sub.md",
                   dedent: bool = False, **options: Any) -> dict:
    """The audit's JSON document of ``text`` saved as ``folder/name`` (with ``context`` as ``folder/ctx.toml``).

    ``dedent`` strips the common indentation of both texts (for submissions written inside a test function);
    ``options`` go to ``audit`` (``seed``, ``budget``, ...).
    """
    from symbolic.app.audit import audit

    def prepare(s: str) -> str:
        return textwrap.dedent(s) if dedent else s

    sub = folder / name
    sub.write_text(prepare(text), encoding="utf-8")
    ctx = None
    if context is not None:
        ctx = folder / "ctx.toml"
        ctx.write_text(prepare(context), encoding="utf-8")
    return audit(sub, context=ctx, **options)


def lines_of(document: dict) -> list[dict]:
    """Every line of an audit's JSON document, question after question.

    >>> lines_of({"questions": [{"lines": [{"line": 1}]}, {"lines": [{"line": 3}]}]})
    [{'line': 1}, {'line': 3}]
    """
    return [x for q in document["questions"] for x in q["lines"]]


def audit_lines(folder: Path, text: str, context: str | None = None, **kw: Any) -> list[dict]:
    """The lines of the audit of a submission written for the test (see :func:`audit_document`)."""
    return lines_of(audit_document(folder, text, context, **kw))


def verdicts_and_reasons(folder: Path, text: str, context: str | None = None, **kw: Any) -> list[tuple[str, str]]:
    """``(verdict, reason)`` of each line of the audit of a submission written for the test."""
    return [(x["verdict"], x["reason"] or "") for x in audit_lines(folder, text, context, **kw)]


def class_folder(tmp_path: Path, files: dict[str, str]) -> Path:
    """``tmp_path/class`` holding each of ``files`` (name: text): a class to audit."""
    folder = tmp_path / "class"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
