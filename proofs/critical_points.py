r"""Classifying critical points by the Hessian.

Lecture notes, "Examples": at a critical point (grad f = 0), H(f) > 0 gives a minimum, H(f) < 0
a maximum, and "H(f)(x) = O or indefinite" a plateau or saddle point.

- Definite and indefinite Hessians decide: f(x* + h) - f(x*) = 1/2 h^T H h + o(|h|^2), and the
  quadratic term dominates when H is non-singular (proved here for the sign of 1/2 h^T H h
  along the eigenvectors of an indefinite H; the definite cases are the completed square of
  newton-step-minimises-quadratic-model).
- "H = O: plateau or saddle" is an erratum.  H = O says only that the second-order term
  vanishes; higher orders decide.  f(x, y) = x^4 + y^4 has grad f(0) = 0 and H(f)(0) = O, yet
  f(h) - f(0) = h1^4 + h2^4 > 0 for every h != 0: a strict (global) minimum, neither flat nor a
  saddle.  (x^3 is a saddle-like inflection and 0 a plateau with H = O too: a zero Hessian is
  inconclusive.)  The classification also leaves out the singular semi-definite Hessians:
  x^2 + y^4 at 0 has H = diag(2, 0), neither definite, zero nor indefinite, and is a minimum.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import sympy as sp

from derive import Comparison, Correction, CrossCheck, Derivation, Hypothesis, Source, Step, erratum

from ._identity import projected_comparison
from ._notes import LECTURE_NOTES

SECTION = "Examples"
PLATEAU_QUOTE = (r"Plateau/Saddle Point: $\mathbf{C} = {x : \nabla f(x) = 0, H(f)(x) = "
                 r"\mathbf{O} \ \text{or} \text{ indefinite}}$")
SADDLE_QUOTE = PLATEAU_QUOTE
MINIMUM_QUOTE = r"Minima: $\mathbf{C} = {x : \nabla f(x) = 0, H(f)(x) \succ 0}$"

x, y = sp.symbols("x y", real=True)
h1, h2 = sp.symbols("h_1 h_2", real=True)
rho = sp.Symbol("rho", positive=True)
phi = sp.Symbol("phi", real=True)
QUARTIC = x**4 + y**4


def hessian_at_origin(f: sp.Expr) -> sp.Matrix:
    return sp.hessian(f, (x, y)).subs({x: 0, y: 0})


def _increment(f: sp.Expr, d1: sp.Expr, d2: sp.Expr) -> sp.Expr:
    """f(0 + h) - f(0)."""
    return f.subs({x: d1, y: d2}, simultaneous=True) - f.subs({x: 0, y: 0})


def _quadratic_term(f: sp.Expr, d1: sp.Expr, d2: sp.Expr) -> sp.Expr:
    h = sp.Matrix([d1, d2])
    return sp.Rational(1, 2) * (h.T * hessian_at_origin(f) * h)[0, 0]


def _notation(f: sp.Expr) -> dict[str, object]:
    """f, H(f) and the critical point x* = 0 of the lines' LaTeX."""
    def value(point: sp.Matrix) -> sp.Expr:
        return f.subs({x: point[0], y: point[1]}, simultaneous=True)

    def hessian(point: sp.Matrix) -> sp.Matrix:
        return sp.hessian(f, (x, y)).subs({x: point[0], y: point[1]}, simultaneous=True)
    return {"f": value, "H": lambda function: hessian, "x^*": sp.zeros(2, 1)}


# ------------------------------------------------------------ cross-check by sampling

FUNCTIONS = {
    "x^2 + y^2 (H > 0)": lambda u, v: u**2 + v**2,
    "-x^2 - y^2 (H < 0)": lambda u, v: -u**2 - v**2,
    "x^2 - y^2 (H indefinite)": lambda u, v: u**2 - v**2,
    "x^4 + y^4 (H = O)": lambda u, v: u**4 + v**4,
}


def _finite_difference_hessian(f, step: float = 1e-3) -> np.ndarray:
    def second(e1: np.ndarray, e2: np.ndarray) -> float:
        total = (f(*(step * (e1 + e2))) - f(*(step * (e1 - e2))) - f(*(step * (e2 - e1)))
                 + f(*(-step * (e1 + e2))))
        return float(total / (4 * step**2))
    basis = np.eye(2)
    return np.array([[second(basis[i], basis[j]) for j in range(2)] for i in range(2)])


def _rise_fraction(f, rng: np.random.Generator, radius: float = 1e-2) -> float:
    """The fraction of 20000 points h with 0 < |h| <= radius where f(h) > f(0)."""
    angle = rng.uniform(0, 2 * np.pi, 20000)
    distance = radius * np.sqrt(rng.uniform(1e-6, 1.0, 20000))
    values = f(distance * np.cos(angle), distance * np.sin(angle)) - f(0.0, 0.0)
    return float(np.mean(values > 0))


def quartic_rises_in_every_direction(seed: int) -> Comparison:
    """Sampled around 0: the fraction of h with f(h) > f(0) for x^4 + y^4 (1: a strict minimum),
    with the other three functions and their finite-difference Hessians in the details."""
    rng = np.random.default_rng(seed)
    rows = {name: (_rise_fraction(f, rng), np.linalg.eigvalsh(_finite_difference_hessian(f)))
            for name, f in FUNCTIONS.items()}
    fraction, eigen = rows["x^4 + y^4 (H = O)"]
    return Comparison(
        estimate=fraction, expected=1.0, tolerance=0.0,
        alternatives={"plateau: f(h) = f(0), fraction 0": 0.0,
                      "saddle: f rises and falls, fraction about 1/2 (as x^2 - y^2)":
                      rows["x^2 - y^2 (H indefinite)"][0]},
        details="; ".join(f"{name}: fraction of f(h) > f(0) {frac:.4f}, Hessian eigenvalues "
                          f"(finite differences) {np.round(values, 6).tolist()}"
                          for name, (frac, values) in rows.items())
        + f"; x^4 + y^4: Hessian eigenvalues {eigen.tolist()} (O) yet f rises everywhere")


def _saddle(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """f = exp(q) - 1, q = u^2 + u w - 2 w^2: grad f(0) = 0, H(f)(0) = [[2, 1], [1, -4]]."""
    value: np.ndarray = np.expm1(u * u + u * w - 2 * w * w)
    return value


def along_hessian_eigenvector(sign: float) -> Callable[[int], Comparison]:
    """f(t v) - f(0) along the eigenvector v of the finite-difference Hessian whose eigenvalue
    has the sign ``sign``, at 30 small t, against lambda t^2 / 2 with the exact eigenvalue
    lambda = -1 + sign sqrt(10) of [[2, 1], [1, -4]]."""
    def run(seed: int) -> Comparison:
        rng = np.random.default_rng(seed)
        values, vectors = np.linalg.eigh(_finite_difference_hessian(_saddle))
        vector = vectors[:, int(np.argmax(sign * values))]
        steps = rng.uniform(1e-3, 4e-3, 30) * rng.choice([-1.0, 1.0], 30)
        origin = np.zeros_like(steps)
        measured = _saddle(steps * vector[0], steps * vector[1]) - _saddle(origin, origin)
        eigenvalue = -1.0 + sign * math.sqrt(10.0)
        claimed = eigenvalue * steps**2 / 2
        return projected_comparison(
            measured, claimed, {"lambda t^2 (without the 1/2)": 2 * claimed,
                                "0 (a plateau)": np.zeros_like(claimed),
                                "-lambda t^2 / 2 (the other sign)": -claimed},
            seed=seed, relative_tolerance=1e-4,
            details=f"f = exp(x^2 + x y - 2 y^2) - 1 at 0; eigenvector of the finite-difference "
                    f"Hessian (eigenvalues {np.round(values, 6).tolist()}); |t| in [1e-3, 4e-3]")
    return run


# ------------------------------------------------------------ derivations

zero_hessian_minimum = Derivation(
    id="critical-point-zero-hessian-is-not-plateau-or-saddle",
    notation={**_notation(QUARTIC), "h": rho * sp.Matrix([sp.cos(phi), sp.sin(phi)]),
              "h_1": rho * sp.cos(phi), "h_2": rho * sp.sin(phi)},
    title="H(f) = O does not make a critical point a plateau or saddle: x^4 + y^4 at 0",
    source=Source(LECTURE_NOTES, SECTION, PLATEAU_QUOTE),
    hypotheses=[Hypothesis(r"\nabla f(x^*) = 0, \ H(f)(x^*) = \mathbf{O}", quote=PLATEAU_QUOTE),
                Hypothesis(r"h \ne 0", quote=None, note="h = rho (cos phi, sin phi), rho > 0")],
    start=Step(_increment(QUARTIC, rho * sp.cos(phi), rho * sp.sin(phi)),
               r"f(x^* + h) - f(x^*)",
               "f(x, y) = x^4 + y^4: grad f(0) = 0 and H(f)(0) = O; h = rho (cos phi, sin "
               "phi), every non-zero h"),
    steps=[
        Step(_quadratic_term(QUARTIC, rho * sp.cos(phi), rho * sp.sin(phi)),
             r"\frac{1}{2} h^\top H(f)(x^*) h = 0",
             "the notes: with H = O the point is a plateau (f flat to the order that decides)"),
        Step(sp.S.Zero, r"0", "f(x* + h) > f(x*) for every h != 0 would make x* a strict "
                              "minimum, neither a plateau nor a saddle", relation=">"),
    ],
    expected=erratum(Correction(
        1, Step(rho**4 * (1 + sp.cos(2 * phi) ** 2) / 2,
                r"h_1^4 + h_2^4 = \frac{\rho^4}{2} \left(1 + \cos^2 2\phi\right)",
                "the quartic term decides where the quadratic one vanishes"),
        "H = O makes the second-order test inconclusive: x^4 + y^4 has H(f)(0) = O and rises "
        "in every direction (cos^4 + sin^4 = (1 + cos^2 2 phi) / 2 >= 1/2): a strict minimum, "
        "neither a plateau nor a saddle")),
    crosschecks=[CrossCheck("sampling f around the critical point",
                            quartic_rises_in_every_direction)],
)

a_pos, b_pos = sp.symbols("a b", positive=True)
INDEFINITE = (a_pos * x**2 - b_pos * y**2) / 2           # H = diag(a, -b), a, b > 0
t = sp.Symbol("t", nonzero=True, real=True)

indefinite_rises = Derivation(
    id="critical-point-indefinite-hessian-rises-along-positive-eigenvector",
    notation={**_notation(INDEFINITE), "e_1": sp.Matrix([1, 0])},
    title="An indefinite H: the quadratic model rises along one eigenvector (and falls along the "
          "other): a saddle",
    source=Source(LECTURE_NOTES, SECTION, SADDLE_QUOTE),
    hypotheses=[Hypothesis(r"\nabla f(x^*) = 0, \ H(f)(x^*) \text{ indefinite}",
                           quote=SADDLE_QUOTE,
                           note="in the eigenbasis of H: H = diag(a, -b), a, b > 0; f its "
                                "quadratic model")],
    start=Step(_increment(INDEFINITE, t, 0), r"f(x^* + t e_1) - f(x^*)",
               "along the eigenvector of the positive eigenvalue a, t != 0"),
    steps=[Step(a_pos * t**2 / 2, r"\frac{a}{2} t^2"),
           Step(sp.S.Zero, r"0", "a > 0", relation=">")],
    crosschecks=[CrossCheck("f(x* + t v) - f(x*) along the positive eigenvector of a saddle",
                            along_hessian_eigenvector(1.0))],
)

indefinite_falls = Derivation(
    id="critical-point-indefinite-hessian-falls-along-negative-eigenvector",
    notation={**_notation(INDEFINITE), "e_2": sp.Matrix([0, 1])},
    title="... and falls along the eigenvector of the negative eigenvalue",
    source=Source(LECTURE_NOTES, SECTION, SADDLE_QUOTE),
    hypotheses=indefinite_rises.hypotheses,
    start=Step(_increment(INDEFINITE, 0, t), r"f(x^* + t e_2) - f(x^*)",
               "along the eigenvector of the negative eigenvalue -b, t != 0"),
    steps=[Step(-b_pos * t**2 / 2, r"-\frac{b}{2} t^2"),
           Step(sp.S.Zero, r"0", "b > 0", relation="<")],
    crosschecks=[CrossCheck("f(x* + t v) - f(x*) along the negative eigenvector of a saddle",
                            along_hessian_eigenvector(-1.0))],
)
