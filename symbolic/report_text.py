r"""Every fixed string of the LaTeX report, in English and in French.

The strings are LaTeX fragments (already escaped); ``@key@`` marks a place
for an argument, which the caller escapes when it is user text.  The
mathematics is the same in both languages; only the words change.  French
is written without babel (texlive-lang-french is not a dependency), so
French spacing before ``:`` and ``;`` is written out as ``~``.

>>> T = texts("fr")
>>> T("question_heading", q="1.2")
'Question 1.2'
>>> texts("en")("version_title_submitted")
'Submitted version'
"""

from __future__ import annotations

from typing import Callable

__all__ = ["LANGS", "STRINGS", "MESSAGES", "texts"]

LANGS = ("en", "fr")

_EN: dict[str, str] = {
    "title": r"\textsf{stepcheck} report",
    "subtitle": "Derivations checked step by step",
    "contents": "Contents",
    "table": "Table",
    "figure": "Figure",
    "intro": (r"This report gives the verdict of \textsf{stepcheck} on every step of @n@ encoded "
              r"derivations (random seed @seed@, engine version @version@). Each question appears "
              r"in its submitted version, as it was handed in, and then in its corrected version, so "
              r"that the two can be read side by side."),
    "legend_title": "Verdicts",
    "legend_PROVED": "proved symbolically (simplification, lemma, induction or witness)",
    "legend_CONFIRMED": "confirmed numerically on random instances, without a proof",
    "legend_REFUTED": "refuted by a counterexample verified at high precision",
    "legend_UNDECIDED": "undecided: neither proved nor refuted (the reason is given)",
    "summary": "Summary",
    "summary_caption": "Verdict counts per derivation, and the first wrong (refuted) step of each.",
    "col_question": "Question",
    "col_version": "Version",
    "col_derivation": "Derivation",
    "col_first_wrong": "First wrong step",
    "col_step": "Step",
    "col_why": "Justification",
    "col_label": "Label",
    "col_submitted": "Submitted",
    "col_corrected": "Corrected",
    "none": "none",
    "error": "error",
    "version_submitted": "submitted",
    "version_corrected": "corrected",
    "version_example": "example",
    "version_title_submitted": "Submitted version",
    "version_title_corrected": "Corrected version",
    "version_title_example": "Example",
    "question_heading": "Question @q@",
    "examples_heading": "Examples",
    "source": "Source: @file@, question @q@.",
    "statement": "Statement",
    "declarations": "Declared symbols",
    "hypotheses": "Assumptions",
    "definitions": "Definitions",
    "cites": "Cites",
    "chain": "Steps",
    "continued": "continued on the next page",
    "counterexample": "Counterexample",
    "lhs_value": "left side",
    "rhs_value": "right side",
    "corrected_step": "Corrected step @label@",
    "no_corrected_step": "The corrected version has no step labelled @label@.",
    "samples": "samples",
    "max_error": r"max.\ rel.\ error",
    "note": "note",
    "witness": "witness",
    "parting": "Where the versions part",
    "parting_at": ("The submission's first wrong step is @label@. The table sets the verdicts "
                   "of both versions side by side, step by step."),
    "parting_none": ("No step of the submission is refuted. The table sets the verdicts of both "
                     "versions side by side, step by step."),
    "code_heading": "Code as mathematics",
    "code_intro": "Each function is rendered with latexify, next to the formula it should compute.",
    "code_col": "Code (latexify)",
    "formula_col": "Formula",
    "latexify_failed": "latexify could not render this function (@error@); its source:",
    "source_unavailable": "(source unavailable)",
    "check_error": "This derivation could not be checked: @error@",
    "figures": "Figures",
    "figures_intro": (r"Figures~\ref{fig:jacobian_norm} to~\ref{fig:weight_norm} illustrate, on "
                      r"small numerical experiments, the behaviour that the derivations establish."),
    "kind_dimension": "dimension",
    "kind_index": "index",
    "kind_scalar": "scalar",
    "kind_matrix": "matrix",
    "kind_vector": "vector",
    "kind_random": "random",
    "kind_function": "element-wise function",
    "kind_sequence": "sequence",
    "kind_free_sequence": "free sequence (random terms)",
    "matrix_symmetric": "symmetric",
    "matrix_diagonal": "diagonal",
    "matrix_invertible": "invertible",
    "matrix_identity": "identity",
    "matrix_orthogonal": "orthogonal",
    "matrix_spd": "symmetric positive definite",
    "caption_jacobian_norm": (
        r"Spectral norm of $\partial \mathbf{g}_T / \partial \mathbf{g}_0$ against $T$ for a random "
        r"recurrent network $\mathbf{g}_t = \tanh(\mathbf{W}\mathbf{g}_{t-1} + \mathbf{U}\mathbf{x}_t "
        r"+ \mathbf{b})$ ($\gamma = 1$, $n = 8$, log scale). With $\gamma\|\mathbf{W}\| = \delta = 0.9$ "
        r"the norm stays below $\delta^T$ and vanishes. With $\gamma\|\mathbf{W}\| = 1.5$ the bound "
        r"$(\gamma\|\mathbf{W}\|)^T$ grows, yet here the norm still vanishes, as $\tanh$ saturates: "
        r"$\gamma\|\mathbf{W}\| > 1$ allows the gradient to explode but does not cause it."),
    "caption_moving_average": (
        r"Exponential moving average $v_t = \beta v_{t-1} + (1-\beta) g_t$, $v_0 = 0$, $\beta = 0.9$, "
        r"of samples $g_t \sim \mathcal{N}(\mu, 1)$ with $\mu = 2$. Early on $v_t$ is biased towards "
        r"$0$, since $\mathbb{E}[v_t] = \mu(1-\beta^t)$; dividing by $1-\beta^t$ removes the bias."),
    "caption_taylor_step": (
        r"Second-order model $\hat f(\mathbf{x}_0 - \varepsilon \mathbf{g}) = f(\mathbf{x}_0) - "
        r"\varepsilon \mathbf{g}^\top\mathbf{g} + \frac{\varepsilon^2}{2}\mathbf{g}^\top\mathbf{H}"
        r"\mathbf{g}$ along a gradient step, for a fixed $\mathbf{g}$ and a positive definite "
        r"$\mathbf{H}$. The model decreases exactly when $0 < \varepsilon < 2\mathbf{g}^\top\mathbf{g}"
        r" / \mathbf{g}^\top\mathbf{H}\mathbf{g}$ (shaded) and is smallest at $\varepsilon^* = "
        r"\mathbf{g}^\top\mathbf{g} / \mathbf{g}^\top\mathbf{H}\mathbf{g}$."),
    "caption_weight_norm": (
        r"Weight normalization $\mathbf{w} = g\,\mathbf{u}/\|\mathbf{u}\|$ trained by gradient "
        r"descent on $L = \frac{1}{2}\|\mathbf{w} - \mathbf{w}^*\|^2$ at three learning rates "
        r"$\eta$. As $\nabla_{\mathbf{u}} L$ is orthogonal to $\mathbf{u}$, each step adds "
        r"$\eta^2\|\nabla_{\mathbf{u}} L\|^2$ to $\|\mathbf{u}\|^2$: $\|\mathbf{u}\|$ never "
        r"decreases, and grows more at larger rates."),
}

_FR: dict[str, str] = {
    "title": r"Rapport \textsf{stepcheck}",
    "subtitle": "Dérivations vérifiées pas à pas",
    "contents": "Table des matières",
    "table": "Tableau",
    "figure": "Figure",
    "intro": (r"Ce rapport donne le verdict de \textsf{stepcheck} sur chaque pas de @n@ dérivations "
              r"encodées (graine aléatoire @seed@, version du moteur @version@). Chaque question "
              r"figure dans sa version soumise, telle qu'elle a été rendue, puis dans sa version "
              r"corrigée, pour que l'on puisse les lire côte à côte."),
    "legend_title": "Verdicts",
    "legend_PROVED": "démontré symboliquement (simplification, lemme, récurrence ou témoin)",
    "legend_CONFIRMED": "confirmé numériquement sur des instances aléatoires, sans démonstration",
    "legend_REFUTED": "réfuté par un contre-exemple vérifié en haute précision",
    "legend_UNDECIDED": "indécis~: ni démontré ni réfuté (la raison est donnée)",
    "summary": "Résumé",
    "summary_caption": "Nombre de verdicts par dérivation, et premier pas faux (réfuté) de chacune.",
    "col_question": "Question",
    "col_version": "Version",
    "col_derivation": "Dérivation",
    "col_first_wrong": "Premier pas faux",
    "col_step": "Pas",
    "col_why": "Justification",
    "col_label": "Réf.",
    "col_submitted": "Soumise",
    "col_corrected": "Corrigée",
    "none": "aucun",
    "error": "erreur",
    "version_submitted": "soumise",
    "version_corrected": "corrigée",
    "version_example": "exemple",
    "version_title_submitted": "Version soumise",
    "version_title_corrected": "Version corrigée",
    "version_title_example": "Exemple",
    "question_heading": "Question @q@",
    "examples_heading": "Exemples",
    "source": "Source~: @file@, question @q@.",
    "statement": "Énoncé",
    "declarations": "Symboles déclarés",
    "hypotheses": "Hypothèses",
    "definitions": "Définitions",
    "cites": "Cite",
    "chain": "Pas",
    "continued": "suite à la page suivante",
    "counterexample": "Contre-exemple",
    "lhs_value": "membre de gauche",
    "rhs_value": "membre de droite",
    "corrected_step": "Pas corrigé @label@",
    "no_corrected_step": "La version corrigée n'a pas de pas étiqueté @label@.",
    "samples": "échantillons",
    "max_error": r"erreur rel.\ max.",
    "note": "remarque",
    "witness": "témoin",
    "parting": "Où les versions divergent",
    "parting_at": ("Le premier pas faux de la soumission est @label@. Le tableau met côte à côte "
                   "les verdicts des deux versions, pas à pas."),
    "parting_none": ("Aucun pas de la soumission n'est réfuté. Le tableau met côte à côte les "
                     "verdicts des deux versions, pas à pas."),
    "code_heading": "Le code en mathématiques",
    "code_intro": "Chaque fonction est rendue par latexify, à côté de la formule qu'elle doit calculer.",
    "code_col": "Code (latexify)",
    "formula_col": "Formule",
    "latexify_failed": "latexify n'a pas pu rendre cette fonction (@error@)~; son code source~:",
    "source_unavailable": "(code source indisponible)",
    "check_error": "Cette dérivation n'a pas pu être vérifiée~: @error@",
    "figures": "Figures",
    "figures_intro": (r"Les figures~\ref{fig:jacobian_norm} à~\ref{fig:weight_norm} illustrent, sur "
                      r"de petites expériences numériques, le comportement qu'établissent les "
                      r"dérivations."),
    "kind_dimension": "dimension",
    "kind_index": "indice",
    "kind_scalar": "scalaire",
    "kind_matrix": "matrice",
    "kind_vector": "vecteur",
    "kind_random": "aléatoire",
    "kind_function": "fonction appliquée élément par élément",
    "kind_sequence": "suite",
    "kind_free_sequence": "suite libre (termes aléatoires)",
    "matrix_symmetric": "symétrique",
    "matrix_diagonal": "diagonale",
    "matrix_invertible": "inversible",
    "matrix_identity": "identité",
    "matrix_orthogonal": "orthogonale",
    "matrix_spd": "symétrique définie positive",
    "caption_jacobian_norm": (
        r"Norme spectrale de $\partial \mathbf{g}_T / \partial \mathbf{g}_0$ en fonction de $T$ pour "
        r"un réseau récurrent aléatoire $\mathbf{g}_t = \tanh(\mathbf{W}\mathbf{g}_{t-1} + "
        r"\mathbf{U}\mathbf{x}_t + \mathbf{b})$ ($\gamma = 1$, $n = 8$, échelle logarithmique). Avec "
        r"$\gamma\|\mathbf{W}\| = \delta = 0.9$, la norme reste sous $\delta^T$ et tend vers~$0$. Avec "
        r"$\gamma\|\mathbf{W}\| = 1.5$, la borne $(\gamma\|\mathbf{W}\|)^T$ croît, mais ici la norme "
        r"tend encore vers~$0$, car $\tanh$ sature~: $\gamma\|\mathbf{W}\| > 1$ permet l'explosion du "
        r"gradient sans la provoquer."),
    "caption_moving_average": (
        r"Moyenne mobile exponentielle $v_t = \beta v_{t-1} + (1-\beta) g_t$, $v_0 = 0$, "
        r"$\beta = 0.9$, d'échantillons $g_t \sim \mathcal{N}(\mu, 1)$ avec $\mu = 2$. Au début, "
        r"$v_t$ est biaisée vers~$0$, car $\mathbb{E}[v_t] = \mu(1-\beta^t)$~; diviser par "
        r"$1-\beta^t$ supprime le biais."),
    "caption_taylor_step": (
        r"Modèle du second ordre $\hat f(\mathbf{x}_0 - \varepsilon \mathbf{g}) = f(\mathbf{x}_0) - "
        r"\varepsilon \mathbf{g}^\top\mathbf{g} + \frac{\varepsilon^2}{2}\mathbf{g}^\top\mathbf{H}"
        r"\mathbf{g}$ le long d'un pas de gradient, pour $\mathbf{g}$ fixé et $\mathbf{H}$ définie "
        r"positive. Le modèle décroît exactement quand $0 < \varepsilon < 2\mathbf{g}^\top\mathbf{g}"
        r" / \mathbf{g}^\top\mathbf{H}\mathbf{g}$ (zone grisée) et atteint son minimum en "
        r"$\varepsilon^* = \mathbf{g}^\top\mathbf{g} / \mathbf{g}^\top\mathbf{H}\mathbf{g}$."),
    "caption_weight_norm": (
        r"Normalisation des poids $\mathbf{w} = g\,\mathbf{u}/\|\mathbf{u}\|$ entraînée par descente "
        r"de gradient sur $L = \frac{1}{2}\|\mathbf{w} - \mathbf{w}^*\|^2$ avec trois taux "
        r"d'apprentissage $\eta$. Comme $\nabla_{\mathbf{u}} L$ est orthogonal à $\mathbf{u}$, "
        r"chaque pas ajoute $\eta^2\|\nabla_{\mathbf{u}} L\|^2$ à $\|\mathbf{u}\|^2$~: "
        r"$\|\mathbf{u}\|$ ne décroît jamais, et croît davantage pour les grands taux."),
}

STRINGS: dict[str, dict[str, str]] = {"en": _EN, "fr": _FR}

#: Console messages (one line each), in English like the rest of the command line.
MESSAGES: dict[str, str] = {
    "no_tex": ("@what@ not found: wrote the .tex files into @dir@ but no PDF; install TeX Live with "
               "`apt-get install -y --no-install-recommends texlive-latex-base "
               "texlive-latex-recommended latexmk lmodern`"),
    "latex_error": "LaTeX error@where@: @message@ (see @log@)",
    "undefined_refs": "LaTeX: undefined reference(s) @refs@ (see @log@)",
    "overfull": "LaTeX: a line runs @pt@pt off the page@where@ (see @log@ line @line@)",
    "timeout": "latexmk did not finish within @seconds@ s (see @log@)",
    "check_failed": "@n@ derivation(s) could not be checked: @names@ (see @log@)",
    "built": "wrote @pdf@ (@n@ derivations)",
    "tex_only": "wrote @tex@ (@n@ derivations; PDF not requested)",
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

    >>> message("built", pdf="report/stepcheck-report.pdf", n=3)
    'wrote report/stepcheck-report.pdf (3 derivations)'
    """
    return _fill(MESSAGES[key], kw)
