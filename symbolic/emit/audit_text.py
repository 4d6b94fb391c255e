r"""The words of ``stepcheck audit``, in English and in French: its terminal table and its LaTeX report.

Verdict names stay PROVED, REFUTED... in the JSON; here they are words of
the language, as are headings and the summary.  :data:`TERMINAL` holds plain
text; :data:`REPORT` LaTeX fragments (already escaped; French spacing before
``:`` written as ``~``).  ``@key@`` marks a place for an argument.

>>> words("fr", "terminal")("summary", lines=3, read=2, checked=2, refuted=1, unread=1)
'lignes 3, lues 2, vérifiées 2, réfutées 1, non lues 1'
"""

from __future__ import annotations

from typing import Callable

__all__ = ["LANGS", "TERMINAL", "REPORT", "words"]

LANGS = ("en", "fr")
_VERDICTS = {"verdict_PROVED": ("PROVED", "DÉMONTRÉ"), "verdict_CONFIRMED": ("CONFIRMED", "CONFIRMÉ"),
             "verdict_REFUTED": ("REFUTED", "RÉFUTÉ"), "verdict_UNDECIDED": ("UNDECIDED", "INDÉCIS"),
             "verdict_UNREAD": ("UNREAD", "NON LU")}

#: key -> (English, French): the terminal table.
TERMINAL: dict[str, tuple[str, str]] = {
    **_VERDICTS,
    "audit_of": ("audit of @file@ (@context@)", "audit de @file@ (@context@)"),
    "context": ("context @file@", "contexte @file@"),
    "no_context": ("no context file: default conventions", "sans fichier de contexte : conventions par défaut"),
    "question": ("question @q@", "question @q@"),
    "before_heading": ("(before any heading)", "(avant tout titre)"),
    "first_wrong": (", first wrong line @n@", ", première ligne fausse @n@"),
    "col_label": ("label", "réf."),
    "col_line": ("line", "ligne"),
    "col_the_line": ("the line", "la ligne"),
    "col_verdict": ("verdict", "verdict"),
    "col_why": ("why / counterexample", "raison / contre-exemple"),
    "at": ("at", "en"),
    "summary": ("lines @lines@, read @read@, checked @checked@, refuted @refuted@, unread @unread@",
                "lignes @lines@, lues @read@, vérifiées @checked@, réfutées @refuted@, non lues @unread@"),
}

#: key -> (English, French): the LaTeX report.
REPORT: dict[str, tuple[str, str]] = {
    **_VERDICTS,
    "title": (r"\textsf{stepcheck} audit", r"Audit \textsf{stepcheck}"),
    "file": ("File", "Fichier"),
    "context": ("Context", "Contexte"),
    "no_context": ("none (default conventions)", "aucun (conventions par défaut)"),
    "seed": ("Random seed", "Graine aléatoire"),
    "intro": (r"Each math line of the submission is re-typeset from its own \LaTeX{}, with the verdict of "
              r"\textsf{stepcheck} beside it and, under a refuted line, its counterexample. A line whose "
              r"\LaTeX{} is outside the safe subset is shown as written, in typewriter type.",
              r"Chaque ligne mathématique de la copie est recomposée à partir de son propre \LaTeX{}, avec le "
              r"verdict de \textsf{stepcheck} à côté et, sous une ligne réfutée, son contre-exemple. Une ligne "
              r"dont le \LaTeX{} sort du sous-ensemble sûr est montrée telle qu'elle est écrite, en police "
              r"à chasse fixe."),
    "legend_UNREAD": ("unread: the line could not be read (its position and the reason are given)",
                      "non lue~: la ligne n'a pas pu être lue (sa position et la raison sont données)"),
    "summary": ("Summary", "Résumé"),
    "sum_lines": ("math lines", "lignes mathématiques"),
    "sum_read": ("read", "lues"),
    "sum_checked": ("checked (proved, confirmed or refuted)", "vérifiées (démontrées, confirmées ou réfutées)"),
    "sum_proved": ("proved", "démontrées"),
    "sum_confirmed": ("confirmed", "confirmées"),
    "sum_refuted": ("refuted", "réfutées"),
    "sum_undecided": ("undecided", "indécises"),
    "sum_unread": ("unread", "non lues"),
    "problems": ("Problems met reading the file", "Problèmes rencontrés à la lecture du fichier"),
    "more_problems": ("and @n@ more", "et @n@ autres"),
    "col_question": ("Question", "Question"),
    "col_lines": ("Lines", "Lignes"),
    "col_refuted": ("Refuted", "Réfutées"),
    "col_unread": ("Unread", "Non lues"),
    "col_first_wrong": ("First wrong line", "Première ligne fausse"),
    "col_line": ("Line", "Ligne"),
    "col_student": ("The line as written", "La ligne telle qu'écrite"),
    "col_verdict": ("Verdict", "Verdict"),
    "question_heading": ("Question @q@", "Question @q@"),
    "before_heading": ("Before any heading", "Avant tout titre"),
    "first_wrong": ("The first wrong line of this question is line @n@@label@.",
                    "La première ligne fausse de cette question est la ligne @n@@label@."),
    "no_wrong": ("No line of this question is refuted.", "Aucune ligne de cette question n'est réfutée."),
    "first_wrong_mark": ("first wrong line", "première ligne fausse"),
    "none": ("none", "aucune"),
}


def words(lang: str, kind: str = "terminal") -> Callable[..., str]:
    """The lookup ``W(key, **args)`` of ``kind`` (``"terminal"`` or ``"report"``) in ``lang``.

    >>> words("en", "report")("first_wrong", n=12, label=" (9)")
    'The first wrong line of this question is line 12 (9).'
    >>> words("de")
    Traceback (most recent call last):
    ...
    ValueError: lang must be one of ('en', 'fr'), not 'de'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    table = {"terminal": TERMINAL, "report": REPORT}[kind]
    i = LANGS.index(lang)

    def lookup(key: str, **kw: object) -> str:
        text = table[key][i]
        for name, value in kw.items():
            text = text.replace(f"@{name}@", str(value))
        return text

    return lookup
