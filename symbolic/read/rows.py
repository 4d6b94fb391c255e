r"""Split one display-math block into rows, and take the labels off each row.

A row ends at a ``\\`` outside braces and outside inner environments
(``cases``, ``pmatrix``, ...), or at a newline followed by a relation (the
bare ``= ...`` continuation lines of Markdown).  ``aligned``/``split``/
``gathered`` wrappers are seen through.  ``\tag{9}``, ``\tag 9``,
``\label{..}``, ``{#eq:..}``, a trailing ``(9)`` or ``\quad (9)`` become the
row's label.

>>> [(r.text, r.label, r.continues) for r in split_rows(r"a &= b \\ &= c \tag{2}", 0)]
[('a = b', None, False), ('= c', '2', True)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WRAPPERS = ("aligned", "alignedat", "split", "gathered", "eqnarray", "eqnarray*", "align", "align*",
            "gather", "gather*", "multline", "multline*", "flalign", "flalign*", "alignat", "alignat*")
RELATION_START = re.compile(r"^\s*(=|<|>|\\le(q|qslant)?(?![A-Za-z])|\\ge(q|qslant)?(?![A-Za-z])|\\approx|"
                            r"\\neq|\\ne(?![A-Za-z])|\\leqslant|\\geqslant|\\equiv|\\triangleq|\\propto)")
_TAG = re.compile(r"\\tag\*?\s*(?:\{([^{}]*)\}|(\S+))")
_LABEL = re.compile(r"\\label\s*\{([^{}]*)\}")
_PANDOC = re.compile(r"\{#([^{}\s]+)\}")
_TRAILING = re.compile(r"(?:,|\.|;)?\s*(?:\\[qs]?quad|\\[,;:! ]|~|\\hfill|\s)*\(\s*(\d+(?:\.\d+)*[a-z]?)\s*\)\s*[.,;]?\s*$")
_NOISE = re.compile(r"\\(?:nonumber|notag|displaystyle|textstyle|boxed(?=\s*\{)|left\.|right\.|middle\.)(?![A-Za-z])")


@dataclass(frozen=True)
class Row:
    """A row of a display block: its text as written, cleaned text, offset, label, continuation."""

    raw: str
    text: str
    offset: int  # offset of the row's first non-blank character in the source
    label: str | None
    continues: bool


def split_rows(body: str, offset: int) -> list[Row]:
    """The rows of the display block ``body`` that starts at ``offset`` in the source.

    >>> [r.text for r in split_rows("x\\n= y\\n= z", 10)]
    ['x', '= y', '= z']
    >>> split_rows("x\\n= y", 10)[1].offset
    12
    """
    rows: list[Row] = []
    for start, end in _row_spans(body):
        raw = body[start:end]
        stripped = raw.strip()
        if not stripped or not _content(stripped):
            continue
        lead = start + (len(raw) - len(raw.lstrip()))
        text, label = clean(stripped)
        if not text:
            continue
        rows.append(Row(stripped, text, offset + lead, label, bool(RELATION_START.match(text))))
    return rows


def _content(s: str) -> bool:
    return bool(re.sub(r"\\(begin|end)\s*\{[^}]*\}|\\(label|tag)\s*\{[^}]*\}|[&\s.,;]|\\[qs]?quad|\\nonumber|\\notag", "", s))


def _row_spans(body: str) -> list[tuple[int, int]]:
    spans = []
    depth = 0  # braces
    envs = 0  # inner environments that keep their rows (cases, matrices)
    start = 0
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c == "\\":
            m = re.match(r"\\(begin|end)\s*\{([^}]*)\}", body[i:])
            if m:
                if m.group(2) not in WRAPPERS:
                    envs += 1 if m.group(1) == "begin" else -1
                i += m.end()
                continue
            if body.startswith("\\\\", i) and depth == 0 and envs <= 0:
                spans.append((start, i))
                i += 2
                if i < n and body[i] == "[":  # \\[2pt]
                    close = body.find("]", i)
                    i = close + 1 if 0 < close < i + 12 else i
                start = i
                continue
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif c == "\n" and depth == 0 and envs <= 0 and RELATION_START.match(body[i + 1:i + 40]) \
                and body[start:i].strip() and not body[start:i].rstrip().endswith(("=", "+", "-", "\\le")):
            spans.append((start, i))
            start = i + 1
        i += 1
    spans.append((start, n))
    return spans


def clean(row: str) -> tuple[str, str | None]:
    r"""The row without alignment marks, wrappers and labels, and its label.

    >>> clean(r"&= \frac{a}{b} \quad (9)")
    ('= \\frac{a}{b}', '9')
    >>> clean(r"x = y \label{eq:xy}")
    ('x = y', 'eq:xy')
    """
    label = None
    m = _TAG.search(row)
    if m:
        label = (m.group(1) or m.group(2) or "").strip()
    text = _TAG.sub(" ", row)
    m = _LABEL.search(text)
    if m and label is None:
        label = m.group(1).strip()
    text = _LABEL.sub(" ", text)
    m = _PANDOC.search(text)
    if m and label is None:
        label = m.group(1)
    text = _PANDOC.sub(" ", text)
    m = _TRAILING.search(text)
    if m and label is None and _has_body(text[:m.start()]):
        label = m.group(1)
        text = text[:m.start()]
    text = re.sub(r"\\(begin|end)\s*\{(" + "|".join(re.escape(w) for w in WRAPPERS) + r")\}(\{[^}]*\})?", " ", text)
    text = _NOISE.sub(" ", text).replace("&", " ")
    text = re.sub(r"\s+", " ", text).strip().rstrip(",.;").strip()
    return text, label


def _has_body(s: str) -> bool:
    return bool(re.search(r"[=<>]|\\le|\\ge", s))
