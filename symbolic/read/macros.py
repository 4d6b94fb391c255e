"""The student's own macros: collected from the source, expanded with bounds.

Only ``\\newcommand``/``\\renewcommand``/``\\providecommand`` (with ``[n]``
arguments and an optional default), ``\\def\\name{body}`` (with ``#1``..
parameters) and ``\\DeclareMathOperator`` are understood.  Nothing is ever
executed: a macro is text replaced by text, at most ``MAX_DEPTH`` times in a
row and never past ``MAX_SIZE`` characters, so a macro that expands forever
ends in a :class:`MacroError` that names it.

>>> table = collect(r"\\newcommand{\\bx}{\\mathbf{x}} \\def\\sq#1{#1^2}")
>>> expand(r"\\bx + \\sq{y}", table)
'\\\\mathbf{x} + y^2'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..exceptions import InvalidInputError

MAX_DEPTH = 32
MAX_SIZE = 20000


class MacroError(InvalidInputError):
    """A macro could not be expanded (runaway, too large, missing argument)."""


@dataclass(frozen=True)
class Macro:
    """One macro: its name (without backslash), argument count, optional default and body."""

    name: str
    nargs: int
    body: str
    default: str | None = None
    offset: int = 0  # where it was defined in the source text


_NEW = re.compile(r"\\(?:re)?(?:newcommand|providecommand)\*?\s*(?:\{\s*\\([A-Za-z@]+)\s*\}|\\([A-Za-z@]+))"
                  r"\s*(?:\[(\d)\])?\s*(?:\[([^\]]*)\])?\s*\{")
_DEF = re.compile(r"\\g?def\s*\\([A-Za-z@]+)((?:#\d)*)\s*\{")
_OPERATOR = re.compile(r"\\DeclareMathOperator\*?\s*\{\s*\\([A-Za-z@]+)\s*\}\s*\{")
_CMD = re.compile(r"\\([A-Za-z@]+)")


def braced(text: str, start: int) -> int:
    """Index just past the group that opens with ``{`` at ``start`` (-1 when unbalanced).

    >>> braced("{a{b}c}d", 0)
    7
    >>> braced("{a", 0)
    -1
    """
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def collect(text: str) -> dict[str, Macro]:
    """The macros defined anywhere in ``text`` (a later definition wins).

    >>> sorted(collect(r"\\DeclareMathOperator{\\tr}{tr}\\newcommand\\R{\\mathbb{R}}"))
    ['R', 'tr']
    """
    found: list[Macro] = []
    for m in _NEW.finditer(text):
        end = braced(text, m.end() - 1)
        if end < 0:
            continue
        found.append(Macro(m.group(1) or m.group(2), int(m.group(3) or 0), text[m.end():end - 1],
                           m.group(4), m.start()))
    for m in _DEF.finditer(text):
        end = braced(text, m.end() - 1)
        if end < 0:
            continue
        found.append(Macro(m.group(1), len(m.group(2)) // 2, text[m.end():end - 1], None, m.start()))
    for m in _OPERATOR.finditer(text):
        end = braced(text, m.end() - 1)
        if end < 0:
            continue
        found.append(Macro(m.group(1), 0, r"\operatorname{" + text[m.end():end - 1] + "}", None, m.start()))
    return {mac.name: mac for mac in sorted(found, key=lambda x: x.offset)}


def _argument(text: str, i: int) -> tuple[str, int] | None:
    while i < len(text) and text[i] == " ":
        i += 1
    if i >= len(text):
        return None
    if text[i] == "{":
        end = braced(text, i)
        return (text[i + 1:end - 1], end) if end > 0 else None
    if text[i] == "\\":
        m = _CMD.match(text, i)
        if m:
            return m.group(0), m.end()
        return text[i:i + 2], i + 2
    return text[i], i + 1


def expand(text: str, macros: dict[str, Macro]) -> str:
    """Expand the ``macros`` in ``text``, bounded in depth and size.

    >>> expand(r"\\a", collect(r"\\def\\a{\\a\\a}"))
    Traceback (most recent call last):
    ...
    symbolic.read.macros.MacroError: symbol 'a': macro \\a expands without end (more than 32 levels or 20000 characters)
    """
    if not macros:
        return text
    for _ in range(MAX_DEPTH + 1):
        out, changed, last = _expand_once(text, macros)
        if not changed:
            return out
        if len(out) > MAX_SIZE:
            break
        text = out
    raise MacroError(f"macro \\{last} expands without end (more than {MAX_DEPTH} levels or {MAX_SIZE} characters)",
                     symbol=last)


def _expand_once(text: str, macros: dict[str, Macro]) -> tuple[str, bool, str]:
    parts: list[str] = []
    i = 0
    changed = False
    last = ""
    while i < len(text):
        m = _CMD.search(text, i)
        if m is None:
            parts.append(text[i:])
            break
        parts.append(text[i:m.start()])
        mac = macros.get(m.group(1))
        if mac is None:
            parts.append(m.group(0))
            i = m.end()
            continue
        j = m.end()
        args: list[str] = []
        n = mac.nargs
        if mac.default is not None and n:
            k = j
            while k < len(text) and text[k] == " ":
                k += 1
            if k < len(text) and text[k] == "[":
                close = text.find("]", k)
                args.append(text[k + 1:close] if close > 0 else mac.default)
                j = close + 1 if close > 0 else j
            else:
                args.append(mac.default)
            n -= 1
        for _ in range(n):
            got = _argument(text, j)
            if got is None:
                raise MacroError(f"macro \\{mac.name} needs {mac.nargs} argument(s)", symbol=mac.name)
            args.append(got[0])
            j = got[1]
        body = mac.body
        for k, a in enumerate(args, 1):
            body = body.replace(f"#{k}", a)
        if re.search(r"\\[A-Za-z]+$", body) and text[j:j + 1].isalpha():
            body += " "  # \bx y must not become \mathbfy: keep the command word ended
        if body[:1].isalpha() and re.search(r"\\[A-Za-z]+$", "".join(parts[-2:])):
            body = " " + body  # \sim\pdata must not become \simp_{data}: keep the command before ended
        parts.append(body)
        changed = True
        last = mac.name
        i = j
    return "".join(parts), changed, last
