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
_NOISE = re.compile(r"\\(?:nonumber|notag|displaystyle|textstyle|left\.|right\.|middle\.)(?![A-Za-z])")
CONNECTIVES = frozenset("if for and or where so but since with then thus hence otherwise when means let by is are of the "
                        "as st s.t. iff i.e. e.g. else because therefore all any some each every at on in to we have get "
                        "note that which from using also times here given assuming".split())
_PROSE = re.compile(r"\\(?:text|textrm|mathrm|textnormal|textit|mbox)\s*\{([^{}]*)\}")
_CASE_WORD = re.compile(r"\s*(?:\\[qs]?quad\s*)*\\(?:text|textrm|mbox)\s*\{\s*(?:if|si|for|when|whenever|pour|quand|lorsque)\s*\}",
                        re.I)
_SPACE = r"(?:\s|\\[qs]?quad(?![A-Za-z])|\\[,;:! ])*"


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
    body = open_array(body)
    for start, end in _row_spans(body):
        for a, b in statements(body[start:end]):
            raw = body[start + a:start + b]
            stripped = raw.strip()
            if not stripped or not _content(stripped):
                continue
            lead = start + a + (len(raw) - len(raw.lstrip()))
            text, label = clean(stripped)
            if not text or (label is None and _prose_only(text)):
                continue  # \text{Au final}: prose set in a math row is not a math line
            rows.append(Row(stripped, text, offset + lead, label, bool(RELATION_START.match(text))))
    return rows


_ARRAY = re.compile(r"^(\s*(?:\\left\s*(?:\\\{|\\lbrace|\.)\s*)?\\begin\s*\{array\}\s*\{(?:[^{}]|\{[^{}]*\})*\})"
                    r"(.*)(\\end\s*\{array\}\s*(?:\\right\s*\.\s*)?)$", re.S)


def open_array(body: str) -> str:
    r"""A display that is one ``array`` (a ``\left\{`` system too): its rows are the display's rows, as in ``align``;
    the environment's marks become blanks of the same length (offsets stay).  An array inside an expression (a
    matrix in parentheses) and a table (``{c|c}``, ``\hline``, more than three columns) are left as they are.

    >>> open_array(r"\begin{array}{l} a = b \\ c = d \end{array}").split()
    ['a', '=', 'b', '\\\\', 'c', '=', 'd']
    """
    m = _ARRAY.match(body)
    if m is None or re.search(r"\\begin\s*\{array\}|\\hline", m.group(2)):
        return body
    spec = re.sub(r"@\{[^{}]*\}|\s", "", m.group(1).rsplit("{", 1)[-1])
    if "|" in spec or len(re.findall(r"[lcrp]", spec)) > 3:  # a table (x & y \\ \hline ...), not equations
        return body
    return " " * len(m.group(1)) + m.group(2) + " " * len(m.group(3))


_REL_IN = re.compile(r"(?<![\\<>])=|<|>|\\(?:le|ge|leq|geq|leqslant|geqslant|neq|ne|approx|triangleq|coloneqq)(?![A-Za-z])")


def statements(row: str) -> list[tuple[int, int]]:
    r"""The spans of the statements of one row: ``a = 1, \quad b = 2`` is two, a list ``x_1, x_2 > 0`` one.

    A row is also cut at a ``\quad`` outside any bracket, on the same terms.

    A row is cut at its commas outside any bracket when every piece states a
    relation or is prose only (``\text{and}``); otherwise it is one statement.

    >>> row = r"z = f(y), \text{ and } y = g(x, w),"
    >>> [row[a:b] for a, b in statements(row)]
    ['z = f(y)', 'y = g(x, w)']
    >>> len(statements(r"\lambda_1, \lambda_2 \ge 0"))
    1
    >>> len(statements(r"f = 1, \text{ if } x > 0"))
    1
    >>> row = r"a = 1 \quad b = 2"
    >>> [row[a:b] for a, b in statements(row)]
    ['a = 1 ', 'b = 2']
    """
    cuts, depth, i = [], 0, 0
    while i < len(row):
        c = row[i]
        if c == "\\":
            if depth == 0 and re.match(r"\\q?quad(?![A-Za-z])", row[i:]):  # a = 1 \quad b = 2: two statements
                cuts.append((i, 0))
            if row.startswith(("\\{", "\\langle"), i):
                depth += 1
            elif row.startswith(("\\}", "\\rangle"), i):
                depth -= 1
            i += 2
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif c == "," and depth == 0:
            cuts.append((i, 1))
        i += 1
    if not cuts:
        return [(0, len(row))]
    spans = [(a + w, b) for (a, w), (b, _) in zip([(0, 0)] + cuts, cuts + [(len(row), 0)])]
    kept, stated = [], 0
    for a, b in spans:
        piece = row[a:b]
        if kept and _CASE_WORD.match(piece):  # f = 1, \text{if } x > 0: the condition of the statement before it
            kept[-1] = (kept[-1][0], b)
            continue
        if _REL_IN.search(_PROSE.sub(" ", piece)):
            kept.append((a + _lead(piece), b))
            stated += 1
        elif not _prose_only(piece):
            return [(0, len(row))]
    return kept if stated >= 2 else [(0, len(row))]


def _lead(piece: str) -> int:
    """Length of the spacing and prose words (``\\quad``, ``\\text{and}``) that open a piece."""
    k = 0
    for _ in range(8):
        m = re.match(r"\s+|\\[qs]?quad(?![A-Za-z])|\\[,;:! ]|\\(?:text|textrm|mbox)\s*\{([^{}]*)\}", piece[k:])
        if m is None or (m.group(1) is not None and not _is_prose(m.group(1))):
            break
        k += m.end()
    return k


def _prose_only(piece: str) -> bool:
    rest = _PROSE.sub(lambda m: " " if _is_prose(m.group(1)) else m.group(0), piece)
    rest = re.sub(r"\\[qs]?quad(?![A-Za-z])|\\[,;:! ]|\\(?:nonumber|notag)(?![A-Za-z])|[.;:]", " ", rest)
    return not rest.strip() or rest.strip().lower() in CONNECTIVES


def _is_prose(words: str) -> bool:
    w = words.strip()
    return not w or w.lower() in CONNECTIVES or len(w.split()) > 1 or not w.isascii()


def _trim_prose(text: str) -> str:
    """Drop prose words (``\\text{where}``, ``\\text{ so}``) at the start and end of a row."""
    for _ in range(4):
        m = re.match(_SPACE + r"\\(?:text|textrm|mathrm|textnormal|textit|mbox)\s*\{([^{}]*)\}" + _SPACE, text)
        if m and _is_prose(m.group(1)) and _REL_IN.search(text[m.end():]):
            text = text[m.end():]
            continue
        m = re.search(_SPACE + r"\\(?:text|textrm|mathrm|textnormal|textit|mbox)\s*\{([^{}]*)\}" + _SPACE + r"[.,;]?\s*$", text)
        if m and _is_prose(m.group(1)) and _REL_IN.search(text[:m.start()]):
            text = text[:m.start()]
            continue
        break
    return text


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
    text = _trim_prose(drop_alignment(_NOISE.sub(" ", text)))
    text = re.sub(r"\s+", " ", text).strip().rstrip(",.;:").strip()
    return text, label


def drop_alignment(text: str) -> str:
    r"""The text without its alignment marks ``&``; those inside a matrix separate its columns and stay.

    >>> drop_alignment(r"a &= \begin{pmatrix} 1 & 2 \end{pmatrix}")
    'a  = \\begin{pmatrix} 1 & 2 \\end{pmatrix}'
    """
    out, depth, i = [], 0, 0
    for m in re.finditer(r"\\(begin|end)\s*\{([^{}]*)\}|&", text):
        out.append(text[i:m.start()])
        if m.group(0) == "&":
            out.append("&" if depth > 0 else " ")
        else:
            if m.group(2) not in WRAPPERS:
                depth += 1 if m.group(1) == "begin" else -1
            out.append(m.group(0))
        i = m.end()
    out.append(text[i:])
    return "".join(out)


def _has_body(s: str) -> bool:
    return bool(re.search(r"[=<>]|\\le|\\ge", s))
