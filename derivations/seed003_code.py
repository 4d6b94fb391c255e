"""Seed 003: the report's numpy snippets, as written and corrected, run against the derived mathematics.

Each snippet of the report (1.6 pseudocode, 1.8, 1.10, 1.12, 1.14, 1.16) is transcribed
AS WRITTEN (``*_submitted``), beside a corrected version (``*_corrected``) and the
reference (``*_reference``): the formula derived in :mod:`derivations.seed003_backprop`
and :mod:`derivations.seed003_backprop2`, with numpy on 1-D vectors, in a style that
latexify-py renders.  The checks (``code_1_8_submitted`` ...) are :class:`~symbolic.codecheck.CodeCheck`
objects, registered like derivations.

>>> from derivations import get
>>> r = get("code_1_8_submitted").check(seed=0)
>>> r.step("1.8 value (1-D)").verdict.value, r.step("1.8 inputs unchanged (1-D)").verdict.value
('CONFIRMED', 'REFUTED')
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from symbolic import Source
from symbolic.codecheck import CodeCheck, Input, Output, array_check, descent_check

from ._registry import register
from .seed003_backprop import SEED_FILE


def onehot(y: int, m: int) -> np.ndarray:
    """onehot_m(y): the 1-D vector of size m with a one at (0-based) position y.

    >>> onehot(1, 3).tolist()
    [0.0, 1.0, 0.0]
    """
    return np.eye(m)[y]


# -- 1.6: gradient descent (pseudocode) -------------------------------------------------
def gradient_descent_submitted(theta, ensemble_donne, derivation_lost, learningRate, epsilon):  # noqa: N803
    """1.6 as written; the pseudocode reads theta as a global, here it is passed to ``derivation_lost``."""
    def gradient():
        somme = 0
        for x in ensemble_donne:
            sum += derivation_lost(theta, x)  # noqa: F821 (as written: `sum`, not `somme`)
        return somme

    while learningRate * gradient() < epsilon:  # (the report warns of infinite loops here)
        theta = theta + learningRate * gradient()
    return theta


def gradient_descent_submitted_somme(theta, ensemble_donne, derivation_lost, learningRate, epsilon):  # noqa: N803
    """1.6 as written with only the name slip repaired (``somme`` for ``sum``), to check the loop itself."""
    def gradient():
        somme = 0
        for x in ensemble_donne:
            somme += derivation_lost(theta, x)
        return somme

    while learningRate * gradient() < epsilon:
        theta = theta + learningRate * gradient()
    return theta


def gradient_descent_corrected(theta, dataset, derivation_lost, learning_rate, epsilon):
    """1.6 corrected: step against the gradient, stop when the step is smaller than epsilon.

    >>> from symbolic.codecheck import half_square_gradient
    >>> theta = gradient_descent_corrected(np.array([4.0]), [np.array([0.0]), np.array([2.0])],
    ...                                    half_square_gradient, 0.25, 1e-12)
    >>> round(float(theta[0]), 9)
    1.0
    """
    def gradient(theta):
        total = 0
        for x in dataset:
            total = total + derivation_lost(theta, x)
        return total

    g = gradient(theta)
    while np.linalg.norm(learning_rate * g) >= epsilon:
        theta = theta - learning_rate * g
        g = gradient(theta)
    return theta


def descent_step_reference(theta, gradient, learning_rate):
    """One step of gradient descent: theta - eta * gradient (stop once |eta * gradient| < epsilon)."""
    return theta - learning_rate * gradient


# -- 1.8: dL/do^a -------------------------------------------------------------------------------
def grad_oa_submitted(os, y):
    """1.8 as written: ``grad_oa = os`` aliases the outputs, then the subtraction modifies them."""
    grad_oa = os  # os: the outputs
    grad_oa[y] = grad_oa[y] - 1  # the onehot part
    return grad_oa


def grad_oa_corrected(os, y):
    """1.8 corrected: work on a copy of the outputs."""
    grad_oa = os.copy()
    grad_oa[y] = grad_oa[y] - 1
    return grad_oa


def grad_oa_reference(os, y, m):
    """dL/do^a = o^s - onehot_m(y) (1.7)."""
    return os - onehot(y, m)


# -- 1.10: dL/db2, dL/dW2 --------------------------------------------------------------------------
def grads_layer2_submitted(grad_oa, h_s):
    """1.10 as written: ``*`` is element-wise; it broadcasts to the outer product only for columns."""
    grad_b2 = grad_oa
    grad_w2 = grad_oa * np.transpose(h_s)
    return grad_b2, grad_w2


def grads_layer2_corrected(grad_oa, h_s):
    """1.10 corrected: an explicit outer product (and a copy, so that grad_b2 does not alias grad_oa)."""
    grad_b2 = np.copy(grad_oa)
    grad_w2 = np.outer(grad_oa, h_s)
    return grad_b2, grad_w2


def grads_layer2_reference(grad_oa, h_s):
    """dL/db2 = dL/do^a and dL/dW2 = dL/do^a h^s^T (1.9-1.10)."""
    return grad_oa, np.outer(grad_oa, h_s)


# -- 1.12: dL/dh^s ----------------------------------------------------------------------------------
def grad_hs_submitted(w_2, grad_oa):
    """1.12 as written: an element-wise product where W2^T times a vector belongs."""
    grad_hs = np.transpose(w_2) * grad_oa
    return grad_hs


def grad_hs_corrected(w_2, grad_oa):
    """1.12 corrected: a matrix product."""
    grad_hs = np.transpose(w_2) @ grad_oa
    return grad_hs


def grad_hs_reference(w_2, grad_oa):
    """dL/dh^s = W2^T dL/do^a (1.11-1.12)."""
    return np.transpose(w_2) @ grad_oa


# -- 1.14: dL/dh^a -----------------------------------------------------------------------------------
def grad_ha_submitted(grad_hs):
    """1.14 as written: keeps the positive gradients instead of masking by h^a > 0."""
    grad_ha = (grad_hs + np.abs(grad_hs)) / 2  # (the report: a trick to keep only the positive numbers)
    return grad_ha


def grad_ha_corrected(grad_hs, h_a):
    """1.14 corrected: mask by the activation pattern 1[h^a > 0]."""
    grad_ha = grad_hs * (h_a > 0)
    return grad_ha


def grad_ha_reference(grad_hs, h_a):
    """dL/dh^a = dL/dh^s * 1[h^a > 0] (1.13-1.14; heaviside(0, 0) = 0 is the convention relu'(0) = 0)."""
    return grad_hs * np.heaviside(h_a, 0)


# -- 1.16: dL/db1, dL/dW1 ----------------------------------------------------------------------------
def grads_layer1_submitted(grad_ha, x):
    """1.16 as written: the same element-wise ``*`` as in 1.10."""
    grad_b1 = grad_ha
    grad_w1 = grad_ha * np.transpose(x)
    return grad_b1, grad_w1


def grads_layer1_corrected(grad_ha, x):
    """1.16 corrected: an explicit outer product (and a copy for grad_b1)."""
    grad_b1 = np.copy(grad_ha)
    grad_w1 = np.outer(grad_ha, x)
    return grad_b1, grad_w1


def grads_layer1_reference(grad_ha, x):
    """dL/db1 = dL/dh^a and dL/dW1 = dL/dh^a x^T (1.15-1.16)."""
    return grad_ha, np.outer(grad_ha, x)


#: question -> (submitted, corrected, reference, inputs, outputs, statement)
SNIPPETS: dict[str, tuple] = {
    "1.8": (grad_oa_submitted, grad_oa_corrected, grad_oa_reference,
            [Input("os", ("m",), "prob"), Input("y", ("m",), "label")], [Output("grad_oa", ("m",))],
            "grad_oa from the outputs os = o^s and the label y"),
    "1.10": (grads_layer2_submitted, grads_layer2_corrected, grads_layer2_reference,
             [Input("grad_oa", ("m",)), Input("h_s", ("d_h",), "nonneg")],
             [Output("grad_b2", ("m",)), Output("grad_w2", ("m", "d_h"))], "grad_b2 and grad_w2 from grad_oa and h_s"),
    "1.12": (grad_hs_submitted, grad_hs_corrected, grad_hs_reference,
             [Input("w_2", ("m", "d_h")), Input("grad_oa", ("m",))], [Output("grad_hs", ("d_h",))],
             "grad_hs from W2 and grad_oa"),
    "1.14": (grad_ha_submitted, grad_ha_corrected, grad_ha_reference,
             [Input("grad_hs", ("d_h",)), Input("h_a", ("d_h",), "nonzero")], [Output("grad_ha", ("d_h",))],
             "grad_ha from grad_hs (and h_a, never 0: the kink is bp_relu_kink_corrected)"),
    "1.16": (grads_layer1_submitted, grads_layer1_corrected, grads_layer1_reference,
             [Input("grad_ha", ("d_h",)), Input("x", ("d",))],
             [Output("grad_b1", ("d_h",)), Output("grad_w1", ("d_h", "d"))], "grad_b1 and grad_w1 from grad_ha and x"),
}


def snippet_check(question: str, version: str) -> CodeCheck:
    """The code check of one snippet of the report, as submitted or corrected.

    >>> snippet_check("1.12", "corrected").name
    'code_1_12_corrected'
    """
    sub, cor, ref, inputs, outputs, statement = SNIPPETS[question]
    return array_check(f"code_{question.replace('.', '_')}_{version}", sub if version == "submitted" else cor, ref,
                       inputs, outputs, question=question, source=Source(SEED_FILE, question, version),
                       statement=f"{question}: {statement}, checked against the derived formula.")


def descent(version: str) -> CodeCheck:
    """The code check of the 1.6 pseudocode on a small convex problem.

    >>> descent("corrected").source.question
    '1.6'
    """
    sub = version == "submitted"
    fn: Callable = gradient_descent_submitted if sub else gradient_descent_corrected
    return descent_check(f"code_1_6_{version}", fn, question="1.6",
                         logic=gradient_descent_submitted_somme if sub else None,
                         logic_note="with `sum` read as `somme`" if sub else "",
                         reference=descent_step_reference, source=Source(SEED_FILE, "1.6", version),
                         statement="1.6: the gradient-descent loop, run on R(theta) = sum_i ||theta - x_i||^2 / 2.")


@register
def code_1_6_submitted() -> CodeCheck:
    """1.6 as written: `sum`/`somme` slip, gradient ascent, inverted stopping test."""
    return descent("submitted")


@register
def code_1_6_corrected() -> CodeCheck:
    """1.6 corrected."""
    return descent("corrected")


@register
def code_1_8_submitted() -> CodeCheck:
    """1.8 as written: modifies the outputs in place."""
    return snippet_check("1.8", "submitted")


@register
def code_1_8_corrected() -> CodeCheck:
    """1.8 corrected."""
    return snippet_check("1.8", "corrected")


@register
def code_1_10_submitted() -> CodeCheck:
    """1.10 as written: right for columns only."""
    return snippet_check("1.10", "submitted")


@register
def code_1_10_corrected() -> CodeCheck:
    """1.10 corrected."""
    return snippet_check("1.10", "corrected")


@register
def code_1_12_submitted() -> CodeCheck:
    """1.12 as written: element-wise product."""
    return snippet_check("1.12", "submitted")


@register
def code_1_12_corrected() -> CodeCheck:
    """1.12 corrected."""
    return snippet_check("1.12", "corrected")


@register
def code_1_14_submitted() -> CodeCheck:
    """1.14 as written: keeps positive gradients."""
    return snippet_check("1.14", "submitted")


@register
def code_1_14_corrected() -> CodeCheck:
    """1.14 corrected."""
    return snippet_check("1.14", "corrected")


@register
def code_1_16_submitted() -> CodeCheck:
    """1.16 as written: right for columns only."""
    return snippet_check("1.16", "submitted")


@register
def code_1_16_corrected() -> CodeCheck:
    """1.16 corrected."""
    return snippet_check("1.16", "corrected")
