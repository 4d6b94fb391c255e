r"""Split a submission (.tex, .md, .txt) into math lines with their positions.

Nothing in the document is compiled or executed.  Display math (``$$..$$``,
``\[..\]``, the equation/align/gather/multline/eqnarray environments, fenced
``math`` blocks) gives one :class:`Line` per row; inline math (``$..$``,
``\(..\)``) gives a line when it states a relation.  Question headings in
the prose between equations group the lines.  ``\input``/``\include`` of a
file in the submission's own folder is followed (bounded); absolute paths,
``..``, ``\write18`` and ``\openin`` are reported and not followed.
Whatever cannot be read is a :class:`Problem` with its position; the rest
of the file is still read.

>>> doc = read_text("Question 1\n\\begin{align*} a &= b \\\\ &= c \\end{align*}\n", "demo.tex")
>>> [(l.line, l.column, l.text, l.continues, l.question) for l in doc.lines]
[(2, 16, 'a = b', False, '1'), (2, 26, '= c', True, '1')]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .conditions import condition_row, inline_condition, states_case, trailing_condition
from .macros import MacroError, braced, collect, expand
from .rows import RELATION_START, drop_alignment, split_rows
from .siblings import sibling_macros

MAX_BYTES = 2_000_000
MAX_LINES = 5000
MAX_INPUT_DEPTH = 4
MATH_ENVS = ("equation", "align", "gather", "multline", "eqnarray", "flalign", "alignat", "displaymath", "math",
             "dmath")
_ENV_NAME = re.compile(r"(" + "|".join(MATH_ENVS) + r")\*?$")
_TOKEN = re.compile(r"(?P<fence>^[ \t]*(?:```+|~~~+)[^\n]*$)|(?P<dd>\$\$)|(?P<bracket>\\\[)|(?P<paren>\\\()"
                    r"|(?P<begin>\\begin\s*\{(?P<env>[^{}]*)\})|(?P<end>\\end\s*\{(?P<eenv>[^{}]*)\})"
                    r"|(?P<dollar>(?<!\\)\$)|(?P<input>\\(?:input|include)\s*\{(?P<path>[^{}]*)\})"
                    r"|(?P<define>\\(?:(?:re)?newcommand|providecommand|g?def|DeclareMathOperator)(?![A-Za-z]))"
                    r"|(?P<danger>\\(?:write18|openin|openout|immediate\\write)(?![A-Za-z]))|(?P<comment>(?<!\\)%)",
                    re.M)
_HEADING = re.compile(
    r"^[ \t>*_#]*(?:(?:Question|Exercice|Exercise|Problem|Probl[eè]me|Partie|Part)\s+(?P<q>\d+(?:\.\d+)*|[A-Z])"
    r"|(?P<num>\d+\.\d+)(?=[\s.)])|\((?P<sub>[a-z]|[ivx]+)\)(?=\s))", re.I | re.M)
_SECTION = re.compile(r"\\(?:sub)*section\*?\s*\{(?P<title>[^{}]*)\}|^#{1,6}[ \t]+(?P<md>[^\n]+)$", re.M)
_RELATION = re.compile(r"(?<![\\a-zA-Z])(=|<|>)|\\(le|ge|leq|geq|leqslant|geqslant|neq|ne|approx)(?![A-Za-z])")


@dataclass(frozen=True)
class Line:
    """One math line of a submission, where it is and what it says.

    ``latex`` is the row as the student wrote it; ``text`` the same row with
    the student's macros expanded and labels and alignment marks removed.
    ``continues`` says the row starts with a relation (it continues the
    previous row's chain).  ``problem`` is set when the row could not even
    be prepared (a runaway macro): such a line is reported UNREAD.

    >>> Line("a.tex", 3, 1, "x = y", None, "1").text
    'x = y'
    """

    file: str
    line: int
    column: int
    latex: str
    label: str | None
    question: str
    text: str = ""
    continues: bool = False
    display: bool = True
    problem: str | None = None
    intro: str = ""  # the last words of prose just before the math ("on pose", "let", "where", ...)
    condition: bool = False  # the row states a condition for the next rows of its display (\text{for } x > 0:)
    under: str = ""  # the condition this row holds under (a condition row before it, or its own trailing one)
    under_line: int = 0  # the line that states it

    def __post_init__(self) -> None:
        if not self.text and not self.problem:
            object.__setattr__(self, "text", self.latex)


@dataclass(frozen=True)
class Problem:
    """Something in the file that could not be read, with its position.

    >>> str(Problem("a.tex", 2, 5, "unbalanced braces"))
    'a.tex:2:5: unbalanced braces'
    """

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class Document:
    """The math lines of a submission, in order, and the problems met reading it."""

    file: str
    lines: tuple[Line, ...]
    problems: tuple[Problem, ...]

    @property
    def questions(self) -> list[str]:
        r"""The question names, in order of first appearance.

        >>> read_text("Question 2\n$$x = 1$$", "a.md").questions
        ['2']
        """
        seen: list[str] = []
        for ln in self.lines:
            if ln.question not in seen:
                seen.append(ln.question)
        return seen


def read_file(path: str | Path) -> Document:
    """Read the submission at ``path`` (bounded in size; never executed).

    >>> read_file("/no/such/file.tex").problems[0].message
    'cannot read the file: no such file'
    """
    path = Path(path)
    text, problems = _load(path, str(path))
    if text is None:
        return Document(str(path), (), tuple(problems))
    return read_text(text, str(path), folder=path.parent, problems=problems)


def _load(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None, [Problem(name, 0, 0, "cannot read the file: no such file")]
    except OSError as exc:
        return None, [Problem(name, 0, 0, f"cannot read the file: {exc.strerror or exc}")]
    problems = []
    if len(data) > MAX_BYTES:
        data = data[:MAX_BYTES]
        problems.append(Problem(name, data.count(b"\n") + 1, 1,
                                f"file larger than {MAX_BYTES // 1_000_000} MB: only its first "
                                f"{MAX_BYTES // 1_000_000} MB are read"))
    if not data.strip():
        problems.append(Problem(name, 1, 1, "the file is empty: no math to read"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        problems.append(Problem(name, line, col, f"not UTF-8 (byte 0x{data[exc.start]:02x}): "
                                "undecodable bytes are replaced by U+FFFD and the rest is read"))
        text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems


def read_text(text: str, file: str, *, folder: Path | None = None, problems: list | None = None) -> Document:
    r"""Read submission text; ``folder`` is where ``\input`` files are looked for.

    >>> read_text("$x$ and $y = 2$", "a.md").lines[0].text
    'y = 2'
    """
    state = _State(file, folder, list(problems or []))
    texts = state.gather(text, file, 0)
    macros = {}
    for _, t in texts:
        macros.update(collect(t))
    beside, notes = sibling_macros(folder, file, [t for _, t in texts], macros)  # read.siblings
    state.problems += [Problem(file, 1, 1, note) for note in notes]
    state.macros = {**beside, **macros}
    state.scan(text, file, 0)
    return Document(file, tuple(state.lines[:MAX_LINES]), tuple(state.problems))


class _State:
    def __init__(self, file: str, folder: Path | None, problems: list) -> None:
        self.file = file
        self.folder = folder
        self.problems: list[Problem] = problems
        self.lines: list[Line] = []
        self.macros: dict = {}
        self.question = ""
        self.top = ""
        self.pending: tuple[str, int, str] | None = None  # "for $k \\neq y$:": the case of the next display
        self.loaded: dict[str, str] = {}

    # -- \input ------------------------------------------------------------
    def resolve(self, target: str, where: tuple[str, int, int]) -> Path | None:
        target = target.strip()
        if self.folder is None:
            self.problem(where, f"\\input{{{target}}} not followed: no folder to look in")
            return None
        if target.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", target) or ".." in Path(target).parts:
            self.problem(where, f"\\input{{{target}}} not followed: only files in the submission's own folder are read")
            return None
        p = self.folder / target
        if not p.suffix:
            p = p.with_suffix(".tex")
        if not p.is_file():
            self.problem(where, f"\\input{{{target}}} not followed: no such file in the submission's folder")
            return None
        return p

    def gather(self, text: str, file: str, depth: int) -> list[tuple[str, str]]:
        out = [(file, text)]
        for m in re.finditer(r"\\(?:input|include)\s*\{([^{}]*)\}", _strip_comments(text, file)):
            if depth >= MAX_INPUT_DEPTH:
                break
            p = self.resolve_quiet(m.group(1))
            if p is not None and str(p) not in self.loaded and len(self.loaded) < 20:
                t, _ = _load(p, p.name)
                self.loaded[str(p)] = t or ""
                out += self.gather(t or "", p.name, depth + 1)
        return out

    def resolve_quiet(self, target: str) -> Path | None:
        if self.folder is None or target.strip().startswith(("/", "\\", "~")) or ".." in Path(target.strip()).parts:
            return None
        p = self.folder / target.strip()
        p = p if p.suffix else p.with_suffix(".tex")
        return p if p.is_file() else None

    # -- scanning ------------------------------------------------------------
    def problem(self, where: tuple[str, int, int], message: str) -> None:
        self.problems.append(Problem(where[0], where[1], where[2], message))

    def scan(self, text: str, file: str, depth: int) -> None:
        pos = _Positions(text, file)
        outer, self.text = getattr(self, "text", None), text
        try:
            self._scan(text, file, depth, pos)
        finally:
            self.text = outer

    def _scan(self, text: str, file: str, depth: int, pos: "_Positions") -> None:
        tex = file.endswith((".tex", ".sty", ".ltx"))
        envs: list[str] = []
        i = 0
        prose_start = 0
        while True:
            m = _TOKEN.search(text, i)
            if m is None:
                self.prose(text[prose_start:], prose_start, pos, tex)
                return
            kind = next(k for k in ("fence", "dd", "bracket", "paren", "begin", "end", "dollar", "input", "define", "danger",
                                    "comment") if m.group(k) is not None)
            if kind == "comment" and not tex:
                i = m.end()
                continue
            self.prose(text[prose_start:m.start()], prose_start, pos, tex)
            where = pos.at(m.start())
            if kind == "comment":
                nl = text.find("\n", m.start())
                i = len(text) if nl < 0 else nl
            elif kind == "fence":
                i = self.fence(text, m, pos)
            elif kind in ("dd", "bracket", "paren", "dollar"):
                close = {"dd": "$$", "bracket": "\\]", "paren": "\\)", "dollar": "$"}[kind]
                display = kind == "bracket" or (kind == "dd" and (tex or not _after_text(text, m.start())))
                i = self.delimited(text, m.end(), close, display, pos, tex, where)
            elif kind == "begin":
                env = m.group("env").strip()
                if _ENV_NAME.match(env):
                    i = self.environment(text, m, env, pos, tex, where)
                else:
                    envs.append(env)
                    i = m.end()
            elif kind == "end":
                env = m.group("eenv").strip()
                if env in envs:
                    while envs and envs.pop() != env:
                        pass
                else:
                    self.problem(where, f"\\end{{{env}}} without \\begin{{{env}}}")
                i = m.end()
            elif kind == "input":
                p = self.resolve(m.group("path"), where)
                if p is not None and depth < MAX_INPUT_DEPTH:
                    self.scan(self.loaded.get(str(p), ""), p.name, depth + 1)
                elif p is not None:
                    self.problem(where, f"\\input nested deeper than {MAX_INPUT_DEPTH}: not followed")
                i = m.end()
            elif kind == "define":
                i = _definition_end(text, m.start())
            else:
                self.problem(where, f"{m.group(0)} is never executed: reported, not followed")
                i = m.end()
            prose_start = i
            if len(self.lines) > MAX_LINES:
                self.problem(where, f"more than {MAX_LINES} math lines: the rest of the file is not read")
                return

    def prose(self, chunk: str, offset: int, pos: "_Positions", tex: bool) -> None:
        events = [(m.start(), m) for m in _HEADING.finditer(chunk)] + [(m.start(), m) for m in _SECTION.finditer(chunk)]
        for _, m in sorted(events, key=lambda e: e[0]):
            if m.re is _SECTION:
                title = (m.group("title") or m.group("md") or "").strip().strip("#*_ ")
                number = re.match(r"^(?:Question|Exercice|Exercise|Problem)?\s*(\d+(?:\.\d+)*)", title, re.I)
                name = number.group(1) if number else title[:60]
                if name:
                    self.top = self.question = name
            elif m.group("sub"):
                self.question = f"{self.top}({m.group('sub')})" if self.top else f"({m.group('sub')})"
            else:
                name = m.group("q") or m.group("num")
                self.question = name
                if m.group("q") or not self.top or not name.startswith(self.top.split(".")[0] + "."):
                    self.top = name

    def fence(self, text: str, m: re.Match, pos: "_Positions") -> int:
        opener = m.group(0).strip()
        mark = opener[:3]
        close = re.compile(r"^[ \t]*" + re.escape(mark) + r"[`~]*[ \t]*$", re.M)
        end = close.search(text, m.end())
        stop = len(text) if end is None else end.start()
        if re.match(r"^[`~]+\s*\{?\s*\.?math\b", opener):
            self.block(text[m.end():stop], m.end(), pos, True, True)
        return len(text) if end is None else end.end()

    def delimited(self, text: str, start: int, close: str, display: bool, pos, tex: bool, where) -> int:
        limit = len(text) if display else min(len(text), start + 4000)
        j = start
        while True:
            k = text.find(close, j, limit)
            if k < 0:
                opener = {"$": "$", "$$": "$$", "\\]": "\\[", "\\)": "\\("}[close]
                if not display:
                    self.problem(where, f"unclosed {opener}: the math that follows is not read")
                    return start
                self.problem(where, f"unclosed {opener}: reading stops at the end of the file")
                k = len(text)
            if k > 0 and text[k - 1] == "\\" and close == "$":
                j = k + 1
                continue
            break
        body = text[start:k]
        if not display and "\n\n" in body:
            self.problem(where, "unclosed $: the math that follows is not read")
            return start
        self.block(body, start, pos, display, tex)
        return min(len(text), k + len(close))

    def environment(self, text: str, m: re.Match, env: str, pos, tex: bool, where) -> int:
        end = re.compile(r"\\end\s*\{" + re.escape(env) + r"\}")
        e = end.search(text, m.end())
        if e is None:
            self.problem(where, f"\\begin{{{env}}} without \\end{{{env}}}: reading stops at the end of the file")
            self.block(text[m.end():], m.end(), pos, True, tex)
            return len(text)
        self.block(text[m.end():e.start()], m.end(), pos, True, tex)
        return e.end()

    def block(self, body: str, offset: int, pos: "_Positions", display: bool, tex: bool) -> None:
        if tex:
            body = _strip_comments(body, ".tex")
        if not display and not _RELATION.search(body):
            return
        current = self.pending[:2] if display and self.pending and self.pending[2] == self.question else None
        self.pending = None  # an inline case covers the one display after it
        for row in split_rows(body, offset) if display else split_rows(body.replace("\\\\", " "), offset):
            file, line, col = pos.at(row.offset)
            text, problem = row.text, None
            try:
                text = " ".join(expand(row.text, self.macros).split())
            except MacroError as err:
                problem, text = err.message, ""
            if not display and not _RELATION.search(text):
                continue
            intro = " ".join(self.text[max(0, offset - 60):offset].split()[-4:]) if self.text is not None else ""
            lead = _expanded(drop_alignment(row.raw), self.macros) if display and text else ""
            case, under = condition_row(lead) if lead else None, current
            if not display and text and self.text is not None:  # "for $k \\neq y$:" states the next display's case
                after = self.text[offset + len(body):offset + len(body) + 12].lstrip("$)\\")
                case = inline_condition(intro.rstrip("$([ "), text, after)
                self.pending = (case, line, self.question) if case is not None else None
            if case is not None:  # \text{for } x > 0: in force for the next rows of this display (or the next display)
                text, current, under = case, (case, line), None
            elif lead and states_case(lead):  # a case not read as a condition: the one before is no longer in force
                current = under = None
            elif text and trailing_condition(text) is not None:
                text, own = trailing_condition(text)
                under = (own, line)
            self.lines.append(Line(file, line, col, row.raw, row.label, self.question, text,
                                   bool(RELATION_START.match(text)) if text else row.continues, display, problem,
                                   intro.rstrip("$([ "), case is not None, under[0] if under else "",
                                   under[1] if under else 0))


def _expanded(text: str, macros) -> str:
    """``text`` with the macros expanded, or as it is when they do not expand."""
    try:
        return " ".join(expand(text, macros).split())
    except MacroError:
        return text


def _after_text(text: str, start: int) -> bool:
    r"""Whether prose stands before ``start`` on its line: a Markdown ``$$`` there is inline math (kramdown).

    >>> _after_text("so $$x$$ is", 3), _after_text("- $$x = 1$$", 2)
    (True, False)
    """
    before = text[text.rfind("\n", 0, start) + 1:start]
    return bool(re.sub(r"^[\s>*+\-]*(?:\d+[.)]\s*)?", "", before).strip())


def _definition_end(text: str, start: int) -> int:
    """Index past a macro definition starting at ``start`` (its body is not math to read)."""
    m = re.compile(r"\\[A-Za-z]+\*?\s*(?:\{[^{}]*\}|\\[A-Za-z@]+)?\s*(?:#\d)*(?:\[[^\]]*\])*\s*\{").match(text, start)
    if m is None:
        return start + 1
    end = braced(text, m.end() - 1)
    return m.end() if end < 0 else end


def _strip_comments(text: str, file: str) -> str:
    if not file.endswith((".tex", ".sty", ".ltx")):
        return text
    return re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)


class _Positions:
    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[str, int, int]:
        k = bisect.bisect_right(self.starts, offset) - 1
        return self.file, k + 1, offset - self.starts[k] + 1


def with_question(line: Line, question: str) -> Line:
    """A copy of ``line`` filed under another question.

    >>> with_question(Line("a", 1, 1, "x=1", None, ""), "2").question
    '2'
    """
    return replace(line, question=question)
