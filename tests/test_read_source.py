"""Reading a submission into math lines: environments, rows, labels, questions, macros, bad input."""

from __future__ import annotations

from symbolic.read.source import MAX_BYTES, read_file, read_text

TEX = r"""\documentclass{article}
\newcommand{\bx}{\mathbf{x}}
\def\sq#1{#1^2}
\begin{document}
\section{Question 1}
\begin{align*}
f(\bx) &= \sq{\|\bx\|} \\
       &= \bx^\top \bx \tag{3}
\end{align*}
\subsection{1.2}
Some prose with $a = b$ inline and $x$ alone.
\begin{equation}
y = 2 \label{eq:y}
\end{equation}
\[ z \le 1 \quad (7) \]
\end{document}
"""


def test_tex_rows_positions_labels_questions_and_macros():
    doc = read_text(TEX, "sub.tex")
    got = [(l.line, l.column, l.text, l.label, l.question, l.continues) for l in doc.lines]
    assert got == [
        (7, 1, r"f(\mathbf{x}) = \|\mathbf{x}\|^2", None, "1", False),
        (8, 8, r"= \mathbf{x}^\top \mathbf{x}", "3", "1", True),
        (11, 18, "a = b", None, "1.2", False),
        (13, 1, "y = 2", "eq:y", "1.2", False),
        (15, 4, "z \\le 1", "7", "1.2", False),
    ]
    assert doc.lines[1].latex == r"&= \bx^\top \bx \tag{3}"  # as the student wrote it
    assert doc.problems == ()


def test_markdown_blocks_bare_continuations_fences_and_headings():
    md = ("# Question 2\n\n$$\nL = a\n= b\n$$\n\n```python\nx = 1\n```\n\n"
          "```math\nc \\ge 0\n```\n\n(a) then $$ d = 1 $$\n")
    doc = read_text(md, "s.md")
    assert [(l.line, l.text, l.continues, l.question) for l in doc.lines] == [
        (4, "L = a", False, "2"), (5, "= b", True, "2"), (13, "c \\ge 0", False, "2"), (16, "d = 1", False, "2(a)")]


def test_unbalanced_end_without_begin_and_unclosed_math_are_reported_with_position():
    text = "ok $$ a = 1 $$\n\\end{itemize}\n$$ b = {2 $$\n\\[ c = 3\n"
    doc = read_text(text, "bad.tex")
    assert [str(p) for p in doc.problems] == [
        "bad.tex:2:1: \\end{itemize} without \\begin{itemize}",
        "bad.tex:4:1: unclosed \\[: reading stops at the end of the file",
    ]
    assert [l.text for l in doc.lines] == ["a = 1", "b = {2", "c = 3"]  # the rest is still read


def test_runaway_macro_is_a_problem_of_its_line_only():
    doc = read_text("\\def\\a{\\a\\a}\n$$ \\a = 1 $$\n$$ x = 2 $$\n", "m.tex")
    assert doc.lines[0].problem.startswith("macro \\a expands without end")
    assert doc.lines[1].text == "x = 2" and doc.lines[1].problem is None


def test_non_utf8_empty_and_huge_files(tmp_path):
    p = tmp_path / "latin1.md"
    p.write_bytes("$$ a = 1 $$\nd\xe9j\xe0\n$$ b = 2 $$\n".encode("latin-1"))
    doc = read_file(p)
    assert str(doc.problems[0]).startswith(f"{p}:2:2: not UTF-8 (byte 0xe9)")
    assert [l.text for l in doc.lines] == ["a = 1", "b = 2"]
    e = tmp_path / "empty.tex"
    e.write_bytes(b"")
    assert [p.message for p in read_file(e).problems] == ["the file is empty: no math to read"]
    big = tmp_path / "big.md"
    big.write_bytes(b"$$ x = 1 $$\n" + b"word " * (MAX_BYTES // 5 + 10))
    doc = read_file(big)
    assert "only its first 2 MB are read" in doc.problems[0].message
    assert [l.text for l in doc.lines] == ["x = 1"]


def test_input_is_followed_only_inside_the_submission_folder(tmp_path):
    (tmp_path / "macros.tex").write_text("\\newcommand{\\bW}{\\mathbf{W}}\n$$ q = 1 $$\n", encoding="utf-8")
    main = tmp_path / "main.tex"
    main.write_text("\\input{macros}\n\\input{/etc/passwd}\n\\input{../x}\n\\immediate\\write18{rm -rf /}\n"
                    "$$ \\bW = 1 $$\n", encoding="utf-8")
    doc = read_file(main)
    assert [(l.file, l.text) for l in doc.lines] == [("macros.tex", "q = 1"), (str(main), "\\mathbf{W} = 1")]
    messages = [p.message for p in doc.problems]
    assert messages[0].startswith("\\input{/etc/passwd} not followed")
    assert messages[1].startswith("\\input{../x} not followed")
    assert messages[2].startswith("\\immediate\\write is never executed")


def test_statements_separated_by_commas_are_lines_and_prose_is_trimmed():
    doc = read_text("$$ z = f(y), \\quad y = g(x, w), \\text{ and } x > 0 $$\n"
                    "$$ \\lambda_1, \\lambda_2 \\ge 0 $$\n$$ \\text{where } r = 1 \\text{ so} $$\n", "c.md")
    assert [(l.line, l.column, l.text) for l in doc.lines] == [
        (1, 4, "z = f(y)"), (1, 20, "y = g(x, w)"), (1, 46, "x > 0"),
        (2, 4, "\\lambda_1, \\lambda_2 \\ge 0"), (3, 4, "r = 1")]


def test_kramdown_inline_double_dollars_are_inline_math():
    doc = read_text("The state $$h_t$$ and $$h_t = W h_{t-1}$$ here.\n\n$$\nh_0\n$$\n", "k.md")
    assert [(l.text, l.display) for l in doc.lines] == [("h_t = W h_{t-1}", False), ("h_0", True)]
    tex = read_text("The state $$h_t$$ here.\n", "k.tex")  # in TeX, $$ is display math wherever it is
    assert [l.text for l in tex.lines] == ["h_t"]


def test_a_10_mb_file_is_cut_with_its_position_and_the_start_is_still_read(tmp_path):
    big = tmp_path / "ten.md"
    big.write_bytes(b"$$ a = 1 $$\n" + b"$$ b = 2 $$\n" * (10_000_000 // 12))
    doc = read_file(big)
    assert str(doc.problems[0]).startswith(f"{big}:{MAX_BYTES // 12 + 1}:1: file larger than 2 MB")
    assert doc.lines[0].text == "a = 1" and len(doc.lines) == 5000  # bounded, never the whole 10 MB


def test_bad_lines_are_unread_with_their_position_and_the_rest_is_audited(tmp_path):
    from symbolic.app.audit import audit

    p = tmp_path / "bad.tex"
    p.write_text("\\end{proof}\n$$ \\foo{x} = 1 $$\n$$ \\frac{a}{b = 1 $$\n\\def\\r{\\r x}\n$$ \\r = 1 $$\n"
                 "$$ (a + b)^2 = a^2 + 2 a b + b^2 $$\n", encoding="utf-8")
    report = audit(p)
    got = [(x["line"], x["verdict"], x["reason"]) for q in report["questions"] for x in q["lines"]]
    assert [g[:2] for g in got] == [(2, "UNREAD"), (3, "UNREAD"), (5, "UNREAD"), (6, "PROVED")]
    assert got[0][2].startswith("line 2, column 4: unknown command \\foo")
    assert "unbalanced braces" in got[1][2] and got[1][2].startswith("line 3, column 4")
    assert "expands without end" in got[2][2]
    assert report["summary"]["problems"][0] == f"{p}:1:1: \\end{{proof}} without \\begin{{proof}}"


def test_a_row_of_prose_set_in_math_is_not_a_math_line():
    from symbolic.read.source import read_text

    doc = read_text("$$\\begin{aligned} &\\text{Au final}: \\\\ &a + a = 2a \\\\ &\\text{Sous forme matricielle, on obtient:}"
                    " \\\\ &b = b \\end{aligned}$$\n", "p.md")
    assert [ln.text for ln in doc.lines] == ["a + a = 2a", "b = b"]
