r"""Every fixed string of the LaTeX report, in English and in French.

The strings are LaTeX fragments (already escaped); ``@key@`` marks a place
for an argument, which the caller escapes with :func:`symbolic.emit.tex_text.tex_escape` when it
is user text.  The mathematics is the same in both languages; only the
words change.  French is written without babel (texlive-lang-french is not
a dependency), so French spacing before ``:`` and ``;`` is written out as
``~``.  :data:`PREAMBLE` is the main file's preamble (packages of
texlive-latex-base and -recommended only) and :data:`MESSAGES` the console
lines of :func:`symbolic.emit.report.build_report`.

>>> T = texts("fr")
>>> T("question_heading", q="1.2")
'Question 1.2'
>>> texts("en")("version_title_submitted")
'Submitted version'
"""

from __future__ import annotations

from typing import Callable

__all__ = ["LANGS", "STRINGS", "MESSAGES", "PREAMBLE", "texts", "message"]

LANGS = ("en", "fr")

#: key -> English and French (one string when both are the same).
_TABLE: dict[str, str | tuple[str, str]] = {
    "title": (r"\textsf{stepcheck} report", r"Rapport \textsf{stepcheck}"),
    "subtitle": ("Derivations checked step by step", "Dérivations vérifiées pas à pas"),
    "colon": (":", "~:"),
    "contents": ("Contents", "Table des matières"),
    "table": ("Table", "Tableau"),
    "figure": "Figure",
    "intro": (r"This report gives the verdict of \textsf{stepcheck} on every step of @n@ encoded "
              r"derivations (random seed @seed@, engine version @version@).",
              r"Ce rapport donne le verdict de \textsf{stepcheck} sur chaque pas de @n@ dérivations encodées "
              r"(graine aléatoire @seed@, version du moteur @version@)."),
    "intro_pairs": (r"Each question appears in its submitted version, as it was handed in, and then in its "
                    r"corrected version, so that the two can be read side by side.",
                    r"Chaque question figure dans sa version soumise, telle qu'elle a été rendue, puis dans sa "
                    r"version corrigée, pour que l'on puisse les lire côte à côte."),
    "legend_PROVED": ("proved symbolically (simplification, lemma, induction or witness)",
                      "démontré symboliquement (simplification, lemme, récurrence ou témoin)"),
    "legend_CONFIRMED": ("confirmed numerically on random instances, without a proof",
                         "confirmé numériquement sur des instances aléatoires, sans démonstration"),
    "legend_REFUTED": ("refuted by a counterexample verified at high precision",
                       "réfuté par un contre-exemple vérifié en haute précision"),
    "legend_UNDECIDED": ("undecided: neither proved nor refuted (the reason is given)",
                         "indécis~: ni démontré ni réfuté (la raison est donnée)"),
    "summary": ("Summary", "Résumé"),
    "summary_caption": ("Verdict counts per derivation, and the first wrong (refuted) step of each.",
                        "Nombre de verdicts par dérivation, et premier pas faux (réfuté) de chacune."),
    "col_question": "Question",
    "col_version": "Version",
    "col_derivation": ("Derivation", "Dérivation"),
    "col_first_wrong": ("First wrong step", "Premier pas faux"),
    "col_step": ("Step", "Pas"),
    "col_why": "Justification",
    "col_label": ("Label", "Réf."),
    "col_submitted": ("Submitted", "Soumise"),
    "col_corrected": ("Corrected", "Corrigée"),
    "none": ("none", "aucun"),
    "error": ("error", "erreur"),
    "version_submitted": ("submitted", "soumise"),
    "version_corrected": ("corrected", "corrigée"),
    "version_example": ("example", "exemple"),
    "version_title_submitted": ("Submitted version", "Version soumise"),
    "version_title_corrected": ("Corrected version", "Version corrigée"),
    "version_title_example": ("Example", "Exemple"),
    "version_textbook": ("identity", "identité"),
    "version_planted": ("planted", "plantée"),
    "version_title_textbook": ("Identity", "Identité"),
    "version_title_planted": ("Planted mistake", "Erreur plantée"),
    "textbook_tag": ("textbook", "manuel"),
    "textbook_heading": ("Textbook corpus", "Corpus d'identités de manuel"),
    "textbook_intro": ("Standard identities of machine-learning mathematics (The Matrix Cookbook, textbook "
                       "derivations), each written as a user would, one family per subsection. Each identity "
                       "is followed by a planted mistake (a dropped transpose, a swapped product, a missing "
                       "factor, a flipped sign or inequality), checked as a derivation under review: its "
                       "refuted step is shown beside the identity's step with the same label.",
                       "Des identités classiques des mathématiques de l'apprentissage automatique (The Matrix "
                       "Cookbook, dérivations de manuel), chacune écrite comme l'écrirait un utilisateur, une "
                       "famille par sous-section. Chaque identité est suivie d'une erreur plantée (une "
                       "transposée oubliée, un produit interverti, un facteur manquant, un signe ou une "
                       "inégalité inversés), vérifiée comme une dérivation en relecture~: son pas réfuté est "
                       "montré à côté du pas de même étiquette de l'identité."),
    "family_heading": ("Family: @family@", "Famille~: @family@"),
    "identity_step": ("Identity, step @label@", "Identité, pas @label@"),
    "question_heading": "Question @q@",
    "examples_heading": ("Examples", "Exemples"),
    "source": ("Source: @file@, question @q@.", "Source~: @file@, question @q@."),
    "statement": ("Statement", "Énoncé"),
    "declarations": ("Declared symbols", "Symboles déclarés"),
    "hypotheses": ("Assumptions", "Hypothèses"),
    "definitions": ("Definitions", "Définitions"),
    "cites": ("Cites", "Cite"),
    "chain": ("Steps", "Pas"),
    "continued": ("continued on the next page", "suite à la page suivante"),
    "counterexample": ("Counterexample", "Contre-exemple"),
    "lhs_value": ("left side", "membre de gauche"),
    "rhs_value": ("right side", "membre de droite"),
    "corrected_step": ("Corrected step @label@", "Pas corrigé @label@"),
    "no_corrected_step": ("The corrected version has no step labelled @label@.",
                          "La version corrigée n'a pas de pas étiqueté @label@."),
    "samples": ("samples", "échantillons"),
    "agree_within": ("@n@ samples agree within @tol@", "@n@ échantillons concordent à @tol@ près"),
    "max_error": (r"max.\ rel.\ error", r"erreur rel.\ max."),
    "witness": ("witness", "témoin"),
    "parting": ("Where the versions part", "Où les versions divergent"),
    "parting_at": ("The submission's first wrong step is @label@. The table sets the verdicts of both "
                   "versions side by side, step by step.",
                   "Le premier pas faux de la soumission est @label@. Le tableau met côte à côte les "
                   "verdicts des deux versions, pas à pas."),
    "parting_none": ("No step of the submission is refuted. The table sets the verdicts of both versions "
                     "side by side, step by step.",
                     "Aucun pas de la soumission n'est réfuté. Le tableau met côte à côte les verdicts des "
                     "deux versions, pas à pas."),
    "code_heading": ("Code as mathematics", "Le code en mathématiques"),
    "code_intro": ("Each function is rendered with latexify, next to the formula it should compute.",
                   "Chaque fonction est rendue par latexify, à côté de la formule qu'elle doit calculer."),
    "code_col": "Code (latexify)",
    "formula_col": ("Formula", "Formule"),
    "latexify_failed": ("latexify could not render this function (@error@); its source:",
                        "latexify n'a pas pu rendre cette fonction (@error@)~; son code source~:"),
    "source_unavailable": ("(source unavailable)", "(code source indisponible)"),
    "check_error": ("This derivation could not be checked: @error@",
                    "Cette dérivation n'a pas pu être vérifiée~: @error@"),
    "figures": "Figures",
    "figures_intro": (r"Figures~\ref{fig:jacobian_norm} to~\ref{fig:weight_norm} illustrate, on small "
                      r"numerical experiments, the behaviour that the derivations establish.",
                      r"Les figures~\ref{fig:jacobian_norm} à~\ref{fig:weight_norm} illustrent, sur de "
                      r"petites expériences numériques, le comportement qu'établissent les dérivations."),
    "kind_dimension": "dimension",
    "kind_index": ("index", "indice"),
    "kind_scalar": ("scalar", "scalaire"),
    "kind_matrix": ("matrix", "matrice"),
    "kind_vector": ("vector", "vecteur"),
    "kind_random": ("random", "aléatoire"),
    "kind_function": ("element-wise function", "fonction appliquée élément par élément"),
    "kind_sequence": ("sequence", "suite"),
    "kind_free_sequence": ("free sequence (random terms)", "suite libre (termes aléatoires)"),
    "matrix_symmetric": ("symmetric", "symétrique"),
    "matrix_diagonal": ("diagonal", "diagonale"),
    "matrix_invertible": ("invertible", "inversible"),
    "matrix_identity": ("identity", "identité"),
    "matrix_orthogonal": ("orthogonal", "orthogonale"),
    "matrix_spd": ("symmetric positive definite", "symétrique définie positive"),
    "matrix_pd": ("positive definite", "définie positive"),
    "matrix_psd": ("positive semidefinite", "semi-définie positive"),
    "matrix_upper_triangular": ("upper triangular", "triangulaire supérieure"),
    "matrix_lower_triangular": ("lower triangular", "triangulaire inférieure"),
    "matrix_unit": ("unit-norm", "de norme 1"),
    "matrix_binary": ("0/1-valued", "à valeurs dans {0, 1}"),
    "caption_jacobian_norm": (
        r"Spectral norm of $\partial \mathbf{g}_T / \partial \mathbf{g}_0$ against $T$ for a random "
        r"recurrent network $\mathbf{g}_t = \tanh(\mathbf{W}\mathbf{g}_{t-1} + \mathbf{U}\mathbf{x}_t "
        r"+ \mathbf{b})$ ($\gamma = 1$, $n = 8$, log scale). With $\gamma\|\mathbf{W}\| = \delta = 0.9$ "
        r"the norm stays below $\delta^T$ and vanishes. With $\gamma\|\mathbf{W}\| = 1.5$ the bound "
        r"$(\gamma\|\mathbf{W}\|)^T$ grows, yet here the norm still vanishes, as $\tanh$ saturates: "
        r"$\gamma\|\mathbf{W}\| > 1$ allows the gradient to explode but does not cause it.",

        r"Norme spectrale de $\partial \mathbf{g}_T / \partial \mathbf{g}_0$ en fonction de $T$ pour "
        r"un réseau récurrent aléatoire $\mathbf{g}_t = \tanh(\mathbf{W}\mathbf{g}_{t-1} + "
        r"\mathbf{U}\mathbf{x}_t + \mathbf{b})$ ($\gamma = 1$, $n = 8$, échelle logarithmique). Avec "
        r"$\gamma\|\mathbf{W}\| = \delta = 0.9$, la norme reste sous $\delta^T$ et tend vers~$0$. Avec "
        r"$\gamma\|\mathbf{W}\| = 1.5$, la borne $(\gamma\|\mathbf{W}\|)^T$ croît, mais ici la norme "
        r"tend encore vers~$0$, car $\tanh$ sature~: $\gamma\|\mathbf{W}\| > 1$ permet l'explosion du "
        r"gradient sans la provoquer."),
    "caption_moving_average": (
        r"Exponential moving average $v_t = \beta v_{t-1} + (1-\beta) g_t$, $v_0 = 0$, $\beta = 0.9$, "
        r"of samples $g_t \sim \mathcal{N}(\mu, 1)$ with $\mu = 2$. Early on $v_t$ is biased towards "
        r"$0$, since $\mathbb{E}[v_t] = \mu(1-\beta^t)$; dividing by $1-\beta^t$ removes the bias.",

        r"Moyenne mobile exponentielle $v_t = \beta v_{t-1} + (1-\beta) g_t$, $v_0 = 0$, "
        r"$\beta = 0.9$, d'échantillons $g_t \sim \mathcal{N}(\mu, 1)$ avec $\mu = 2$. Au début, "
        r"$v_t$ est biaisée vers~$0$, car $\mathbb{E}[v_t] = \mu(1-\beta^t)$~; diviser par "
        r"$1-\beta^t$ supprime le biais."),
    "caption_taylor_step": (
        r"Second-order model $\hat f(\mathbf{x}_0 - \varepsilon \mathbf{g}) = f(\mathbf{x}_0) - "
        r"\varepsilon \mathbf{g}^\top\mathbf{g} + \frac{\varepsilon^2}{2}\mathbf{g}^\top\mathbf{H}"
        r"\mathbf{g}$ along a gradient step, for a fixed $\mathbf{g}$ and a positive definite "
        r"$\mathbf{H}$. The model decreases exactly when $0 < \varepsilon < 2\mathbf{g}^\top\mathbf{g}"
        r" / \mathbf{g}^\top\mathbf{H}\mathbf{g}$ (shaded) and is smallest at $\varepsilon^* = "
        r"\mathbf{g}^\top\mathbf{g} / \mathbf{g}^\top\mathbf{H}\mathbf{g}$.",

        r"Modèle du second ordre $\hat f(\mathbf{x}_0 - \varepsilon \mathbf{g}) = f(\mathbf{x}_0) - "
        r"\varepsilon \mathbf{g}^\top\mathbf{g} + \frac{\varepsilon^2}{2}\mathbf{g}^\top\mathbf{H}"
        r"\mathbf{g}$ le long d'un pas de gradient, pour $\mathbf{g}$ fixé et $\mathbf{H}$ définie "
        r"positive. Le modèle décroît exactement quand $0 < \varepsilon < 2\mathbf{g}^\top\mathbf{g}"
        r" / \mathbf{g}^\top\mathbf{H}\mathbf{g}$ (zone grisée) et atteint son minimum en "
        r"$\varepsilon^* = \mathbf{g}^\top\mathbf{g} / \mathbf{g}^\top\mathbf{H}\mathbf{g}$."),
    "caption_weight_norm": (
        r"Weight normalization $\mathbf{w} = g\,\mathbf{u}/\|\mathbf{u}\|$ trained by gradient "
        r"descent on $L = \frac{1}{2}\|\mathbf{w} - \mathbf{w}^*\|^2$ at three learning rates "
        r"$\eta$. As $\nabla_{\mathbf{u}} L$ is orthogonal to $\mathbf{u}$, each step adds "
        r"$\eta^2\|\nabla_{\mathbf{u}} L\|^2$ to $\|\mathbf{u}\|^2$: $\|\mathbf{u}\|$ never "
        r"decreases, and grows more at larger rates.",

        r"Normalisation des poids $\mathbf{w} = g\,\mathbf{u}/\|\mathbf{u}\|$ entraînée par descente "
        r"de gradient sur $L = \frac{1}{2}\|\mathbf{w} - \mathbf{w}^*\|^2$ avec trois taux "
        r"d'apprentissage $\eta$. Comme $\nabla_{\mathbf{u}} L$ est orthogonal à $\mathbf{u}$, "
        r"chaque pas ajoute $\eta^2\|\nabla_{\mathbf{u}} L\|^2$ à $\|\mathbf{u}\|^2$~: "
        r"$\|\mathbf{u}\|$ ne décroît jamais, et croît davantage pour les grands taux."),
}

STRINGS: dict[str, dict[str, str]] = {
    lang: {k: v if isinstance(v, str) else v[i] for k, v in _TABLE.items()} for i, lang in enumerate(LANGS)
}

#: The preamble of the main file: packages of texlive-latex-base/recommended only.
PREAMBLE = r"""\documentclass[11pt,a4paper]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb,mathtools}
\usepackage[table]{xcolor}
\usepackage{graphicx,longtable,booktabs,array,caption}
\usepackage[colorlinks,linkcolor=blue!50!black,urlcolor=blue!50!black]{hyperref}
\definecolor{vproved}{rgb}{0.0,0.5,0.15}
\definecolor{vconfirmed}{rgb}{0.0,0.4,0.6}
\definecolor{vrefuted}{rgb}{0.75,0.05,0.05}
\definecolor{vundecided}{rgb}{0.8,0.45,0.0}
\definecolor{refutedbg}{rgb}{1.0,0.94,0.94}
\newcommand{\vPROVED}{\textcolor{vproved}{$\checkmark$}}
\newcommand{\vCONFIRMED}{\textcolor{vconfirmed}{$\boldsymbol{\sim}$}}
\newcommand{\vREFUTED}{\textcolor{vrefuted}{$\boldsymbol{\times}$}}
\newcommand{\vUNDECIDED}{\textcolor{vundecided}{\textbf{?}}}
\newcommand{\vNONE}{--}
\newsavebox{\fitbox}
\newcommand{\fitmath}[1]{\leavevmode\sbox{\fitbox}{$\displaystyle #1$}%
  \ifdim\wd\fitbox>\linewidth\sbox{\fitbox}{\resizebox{\linewidth}{!}{\usebox{\fitbox}}}\fi%
  \usebox{\fitbox}\rule[-\dimexpr\dp\fitbox+1.5pt\relax]{0pt}{\dimexpr\ht\fitbox+3pt\relax}}
\newcommand{\cxbox}[1]{\colorbox{refutedbg}{\begin{minipage}{\dimexpr\linewidth-2\fboxsep\relax}%
  \small #1\end{minipage}}}
\newenvironment{facts}{\begin{itemize}\setlength{\itemsep}{1pt}\setlength{\parskip}{0pt}%
  \setlength{\topsep}{2pt}}{\end{itemize}}
\setlength{\LTleft}{0pt}
\setlength{\LTright}{0pt plus 1fill}
\setlength{\tabcolsep}{4pt}
\setlength{\parindent}{0pt}
\setlength{\parskip}{3pt}
\captionsetup{font=small,labelfont=bf}
\renewcommand{\arraystretch}{1.25}
"""

#: Console messages (one line each), in English like the rest of the command line.
MESSAGES: dict[str, str] = {
    "no_tex": ("@what@ not found: wrote the .tex files into @dir@ but no PDF; install TeX Live and poppler "
               "with `apt-get install -y --no-install-recommends texlive-latex-base "
               "texlive-latex-recommended latexmk lmodern poppler-utils` (or run `bash scripts/run.sh report` "
               "as root)"),
    "latex_error": "LaTeX error@where@: @message@ (see @log@)",
    "undefined_refs": "LaTeX: undefined reference(s) @refs@ (see @log@)",
    "overfull": "LaTeX: a line runs @pt@pt off the page@where@ (see @log@ line @line@)",
    "timeout": "latexmk did not finish within @seconds@ s (see @log@)",
    "check_failed": "@n@ derivation(s) could not be checked: @names@ (see @log@)",
    "built": "wrote @pdf@ (@n@)",
    "tex_only": "wrote @tex@ (@n@; PDF not requested)",
}


def _fill(template: str, kw: dict) -> str:
    for key, value in kw.items():
        template = template.replace(f"@{key}@", str(value))
    return template


def texts(lang: str) -> Callable[..., str]:
    """The string lookup for ``lang``: ``T(key, **args)`` fills ``@arg@`` places.

    >>> texts("en")("corrected_step", label="(2)")
    'Corrected step (2)'
    >>> texts("de")
    Traceback (most recent call last):
    ...
    ValueError: lang must be one of ('en', 'fr'), not 'de'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    table = STRINGS[lang]

    def lookup(key: str, **kw: object) -> str:
        return _fill(table[key], kw)

    return lookup


def message(key: str, **kw: object) -> str:
    """A console message with its places filled.

    >>> message("built", pdf="report/stepcheck-report.pdf", n="3 derivations")
    'wrote report/stepcheck-report.pdf (3 derivations)'
    """
    return _fill(MESSAGES[key], kw)


# -- user text to LaTeX ---------------------------------------------------------
