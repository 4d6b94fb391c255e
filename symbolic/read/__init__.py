"""The read stage: a submission as written (LaTeX, Markdown) into lines, trees and expressions.

``source`` splits a file into math lines with positions, ``rows`` and ``macros`` help it;
``grammar.lark`` + ``latex`` + ``build`` (its mixins in ``notation`` and ``postfix``, its shape
helpers in ``shapes``) read one line into the engine's nodes under a
``scope`` (``scope``) that the symbol table of ``context`` drives.  ``symbolic.app.audit``
(the app layer, with ``audit_question`` and ``audit_kinds``) turns the lines into Derivation steps and checks them.

>>> from symbolic.read.source import read_text
>>> [l.text for l in read_text("$$ a = b $$", "x.md").lines]
['a = b']
"""
