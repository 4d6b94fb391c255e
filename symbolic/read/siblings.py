r"""Macro files beside a submission: their definitions, for the commands it uses and never defines.

A write-up often uses macros its own file does not define: the book's or the course's preamble
defines them (``\vx`` for a bold x), and the submission ``\input``s that preamble, which is not
in its folder.  Only then (the submission says it loads definitions we do not have) a file in
the submission's own folder (never a
subfolder, never ``..``) whose name says it holds macros (``math_commands.tex``,
``macros.sty``, ``preamble.tex``, ``notation.tex``, ...) and which is not a document itself (no
``\begin{document}``) is read for its definitions only: ``\newcommand``, ``\def``,
``\DeclareMathOperator``, as :mod:`symbolic.read.macros` reads them, never executed.

Bounds and honesty: at most ``MAX_FILES`` such files, each read up to the submission size
limit; a definition is taken only for a command the submission uses (or a taken definition
uses) and does not define itself; two files that define one command differently give it to
neither; what was taken is said in one problem line naming the file(s).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "math_commands.tex").write_text(r"\def\vx{{\bm{x}}} \newcommand{\R}{\mathbb{R}}")
>>> table, notes = sibling_macros(d, "hw.tex", [r"\input{preamble_not_here} $\vx^T \vx$"], {})
>>> sorted(table), notes
(['vx'], ['macros \\vx taken from the definitions in math_commands.tex beside the submission (it does not \\input them)'])
"""

from __future__ import annotations

import re
from pathlib import Path

from .macros import Macro, collect

MAX_FILES = 8
MAX_BYTES = 10_000_000
_MACRO_FILE = re.compile(r"(?:^|[^a-z])(?:math_?)?(?:commands|macros|defs|definitions|preamble|notation)\.(?:tex|sty)$",
                         re.IGNORECASE)
_CMD = re.compile(r"\\([A-Za-z@]+)")


def macro_files(folder: Path, own: str) -> list[Path]:
    """The macro files of ``folder`` (by name, sorted; at most ``MAX_FILES``), without the submission ``own``.

    >>> macro_files(Path("/no/such/folder"), "a.tex")
    []
    """
    try:
        names = sorted(p for p in folder.iterdir() if p.is_file() and _MACRO_FILE.search(p.name))
    except OSError:
        return []
    return [p for p in names if p.name != Path(own).name][:MAX_FILES]


def _missing_input(folder: Path, text: str) -> bool:
    r"""Whether ``text`` ``\input``s (or ``\include``s) a file that is not in ``folder``.

    >>> _missing_input(Path("/no/such/folder"), r"\input{defs}")
    True
    """
    for m in re.finditer(r"\\(?:input|include)\s*\{([^{}]*)\}", re.sub(r"(?<!\\)%.*", "", text)):
        target = m.group(1).strip()
        if target.startswith(("/", "\\", "~")) or ".." in Path(target).parts:
            return True  # never followed, never looked at: the definitions are not ours to read
        p = folder / target
        if not (p if p.suffix else p.with_suffix(".tex")).is_file():
            return True
    return False


def sibling_macros(folder: Path | None, own: str, texts: list[str],
                   defined: dict[str, Macro]) -> tuple[dict[str, Macro], list[str]]:
    r"""The definitions to take from the macro files beside ``own``, and the notes saying so.

    ``texts`` are the submission's texts (with its ``\input`` files); ``defined`` its own macros.

    >>> sibling_macros(None, "a.tex", [r"\vx"], {})
    ({}, [])
    """
    if folder is None or not any(_missing_input(folder, t) for t in texts):
        return {}, []
    files = macro_files(folder, own)
    if not files:
        return {}, []
    offered: dict[str, tuple[Macro, str]] = {}
    clash: set[str] = set()
    for p in files:
        try:
            with open(p, "rb") as fh:
                text = fh.read(MAX_BYTES).decode("utf-8", errors="replace")
        except OSError:
            continue
        if re.search(r"\\begin\s*\{document\}", text):
            continue  # a document, not a macro file
        text = re.sub(r"(?<!\\)%.*", "", text)
        for name, mac in collect(text).items():
            seen = offered.get(name)
            if seen is not None and seen[1] != p.name and seen[0].body != mac.body:
                clash.add(name)
            offered[name] = (mac, p.name)
    wanted = {m.group(1) for t in texts for m in _CMD.finditer(t)}
    wanted |= {m.group(1) for mac in defined.values() for m in _CMD.finditer(mac.body)}
    taken: dict[str, Macro] = {}
    todo = sorted(wanted)
    while todo:
        name = todo.pop()
        if name in taken or name in defined or name in clash or name not in offered:
            continue
        taken[name] = offered[name][0]
        todo += sorted({m.group(1) for m in _CMD.finditer(taken[name].body)})
    notes = []
    if taken:
        sources = sorted({offered[n][1] for n in taken})
        shown = sorted(taken)
        listed = ", ".join("\\" + n for n in shown[:8]) + (f" ({len(shown)} in all)" if len(shown) > 8 else "")
        notes.append(f"macros {listed} taken from the definitions in {', '.join(sources)} beside the submission "
                     "(it does not \\input them)")
    used_clash = sorted(clash & wanted - set(defined))
    if used_clash:
        notes.append("macros " + ", ".join("\\" + n for n in used_clash) + " are defined differently by two macro "
                     "files beside the submission: neither definition is taken")
    return taken, notes
