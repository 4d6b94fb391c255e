"""Emit: the terminal, LaTeX and PDF reports, figures, notebook math."""
