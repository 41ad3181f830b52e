r"""The bias-variance decomposition of the expected squared test error.

Lecture notes, "Decomposing Generalization Error".  At a fixed input x the trained
model's prediction f_N(x) is a random variable: it depends on the training set X.  It
is modelled as a random variable with mean m = E_X[f_N(x) | x] and variance
v = Var_X[f_N(x) | x].  The test label is y = f*(x) + epsilon with noise epsilon of mean
0 and variance sigma^2, *independent of the training set* (and so of f_N(x)): this is
the assumption behind E[y f_N(x)] = E[y] E[f_N(x)].  Every line is an exact
expectation in the algebra of :mod:`derive` (independent families, known moments).

For E_X(C[f_N]) = E_x(...) the input x is given a discrete law: the values x_1, x_2, x_3
with probabilities q_k = u_k / (u_1 + u_2 + u_3).  The integral over P(x, y) is then
sum_k q_k E_y[. | x = x_k], and every line is linear in the per-point quantities, so only
the marginal moments of f_N(x_k) enter (the algebra treats f_N(x_1), f_N(x_2), f_N(x_3) as
independent families, which they are not, but no line depends on their joint law).  The
argument for a general P(x) is the same with integrals.

Cross-check: polynomial least squares of degrees 0..6 on a fixed design of N = 30 inputs,
y = f*(x) + noise with f*(x) = 1 / (1.25 + x) and sigma = 0.3, Monte Carlo over 20 000
training sets (the noise is redrawn; the fits of all training sets at one degree are one
least-squares solve with many right-hand sides).  The measured test error on fresh labels is
compared with the decomposition computed independently, in closed form: the fit is a linear
smoother f_N(x) = h(x)^T y, so E_X f_N(x) = h(x)^T f*(X), Bias = h(x)^T f*(X) - f*(x) and
Var = sigma^2 |h(x)|^2.  A wrong decomposition (a term missing, or counted twice) predicts
another value, which the simulation rejects.  With a fixed design the test inputs of the
integrated check are the design points (the empirical law of x); there the expected bias^2
is the squared projection residual of f*, which falls with the degree, and the variance is
sigma^2 (degree + 1) / N, which rises: the simulated terms are checked for that too.  (With
random training inputs the "variance" also holds the spread of the fit caused by the inputs,
which can fall with the degree at low degrees; the notes' monotone picture is the
fixed-design one.)
"""

from __future__ import annotations

import dataclasses

import numpy as np
import sympy as sp

from derive import (
    Comparison,
    CrossCheck,
    Derivation,
    E,
    Hypothesis,
    Source,
    Step,
    Var,
    random_variable,
)
from numeric.montecarlo import estimate

from ._notes import LECTURE_NOTES

SECTION = "Decomposing Generalization Error"

m = sp.Symbol("m", real=True)
v = sp.Symbol("v", positive=True)
sigma = sp.Symbol("sigma", positive=True)
f_star = sp.Symbol("f_star", real=True)
model = random_variable("f_N", mean=m, variance=v)
noise = random_variable("epsilon", mean=0, variance=sigma**2)
f_N, epsilon = model.symbol, noise.symbol
y = f_star + epsilon

AT_X_NOTATION = {"x": sp.Symbol("x", real=True), "f_N": lambda point: f_N,
                 "f^*": lambda point: f_star, "y": y, r"\text{loss}": lambda u: u**2,
                 r"\text{Bias}": lambda value: E(value, model) - f_star}
"""At a fixed input x: f_N(x) the model's random prediction, y = f*(x) + epsilon."""

INDEPENDENCE = ("E[y f_N(x)] = E[f_N(x)] E[y] because f_N(x) depends only on the training "
                "set X and the test noise epsilon is independent of it (independent "
                "families); Var = E[.^2] - E[.]^2 for each factor")


# ---------------------------------------------------------------- the discrete law of x

@dataclasses.dataclass(frozen=True)
class InputPoint:
    """x = x_k with probability ``weight``; f_N(x_k), its noise, its f*(x_k)."""

    weight: sp.Expr
    model: object
    noise: object
    f_star: sp.Symbol

    @property
    def f_N(self) -> sp.Symbol:
        return self.model.symbol

    @property
    def y(self) -> sp.Expr:
        return self.f_star + self.noise.symbol


def _input_points(count: int = 3) -> tuple[InputPoint, ...]:
    u = sp.symbols(f"u1:{count + 1}", positive=True)
    points = []
    for k in range(1, count + 1):
        mean, spread = sp.Symbol(f"m{k}", real=True), sp.Symbol(f"v{k}", positive=True)
        points.append(InputPoint(
            u[k - 1] / sum(u),
            random_variable(f"f_N{k}", mean=mean, variance=spread),
            random_variable(f"epsilon{k}", mean=0, variance=sigma**2),
            sp.Symbol(f"f_star{k}", real=True)))
    return tuple(points)


POINTS = _input_points()
MODELS = [p.model for p in POINTS]
NOISES = [p.noise for p in POINTS]


def _over_x(term) -> sp.Expr:
    """E_x of a per-point quantity: sum_k q_k term(x_k)."""
    return sp.Add(*[p.weight * term(p) for p in POINTS])


def _cost_of_fixed_model() -> sp.Expr:
    """C[f_N] = int (y - f_N(x))^2 P(x, y) dx dy for a fixed f_N: E over x and the noise."""
    return _over_x(lambda p: E((p.y - p.f_N) ** 2, p.noise))


# ---------------------------------------------------------------- the Monte Carlo experiment

@dataclasses.dataclass(frozen=True)
class Experiment:
    """Polynomial least squares on a fixed design: N inputs, labels f*(x) + N(0, sigma^2)."""

    size: int = 30
    noise_sd: float = 0.3
    max_degree: int = 6
    replicates: int = 20_000
    chunk_size: int = 4096

    @property
    def inputs(self) -> np.ndarray:
        return np.linspace(-1.0, 1.0, self.size)

    @property
    def degrees(self) -> np.ndarray:
        return np.arange(self.max_degree + 1)


def true_function(x: np.ndarray) -> np.ndarray:
    """f*(x) = 1 / (1.25 + x): its Legendre coefficients fall geometrically, so the bias
    falls by a factor of about four per degree and stays measurable up to degree 6."""
    return 1.0 / (1.25 + x)


def _hat_matrices(setup: Experiment, test_inputs: np.ndarray) -> np.ndarray:
    """H[p] maps training labels to degree-p least-squares predictions at the test inputs."""
    design = np.polynomial.legendre.legvander(setup.inputs, setup.max_degree)
    at_test = np.polynomial.legendre.legvander(test_inputs, setup.max_degree)
    return np.stack([at_test[:, : p + 1] @ np.linalg.pinv(design[:, : p + 1])
                     for p in setup.degrees])


@dataclasses.dataclass(frozen=True)
class ClosedForm:
    """The exact terms at each (degree, test input) for the linear smoother f_N(x) = h(x)^T y:
    E f_N(x) = h(x)^T f*(X), so Bias = h(x)^T f*(X) - f*(x), and Var = sigma^2 |h(x)|^2."""

    bias2: np.ndarray
    variance: np.ndarray
    noise: float


def closed_form(setup: Experiment, test_inputs: np.ndarray) -> ClosedForm:
    """Bias^2 and variance of polynomial least squares at the test inputs, per degree."""
    hats = _hat_matrices(setup, test_inputs)
    bias = hats @ true_function(setup.inputs) - true_function(test_inputs)
    return ClosedForm(bias**2, setup.noise_sd**2 * np.sum(hats**2, axis=2), setup.noise_sd**2)


def _sampler(setup: Experiment, test_inputs: np.ndarray):
    """Per training set: [mean test loss, f_N (p, t), f_N^2 (p, t)], flattened; the test loss
    (f_N(x) - y)^2 on a fresh label y, averaged over the degrees p and test inputs t."""
    hats, truth = _hat_matrices(setup, test_inputs), true_function(test_inputs)
    clean = true_function(setup.inputs)

    def draw(rng: np.random.Generator, count: int) -> np.ndarray:
        labels = clean + setup.noise_sd * rng.standard_normal((count, setup.size))
        test_labels = truth + setup.noise_sd * rng.standard_normal((count, truth.size))
        fits = np.einsum("ptn,rn->rpt", hats, labels)
        loss = ((fits - test_labels[:, None, :]) ** 2).mean(axis=(1, 2))
        return np.hstack([loss[:, None], fits.reshape(count, -1), (fits**2).reshape(count, -1)])
    return draw


@dataclasses.dataclass(frozen=True)
class Simulation:
    """Per degree (averaged over the test inputs): the measured bias^2 and variance of f_N;
    and the measured test error averaged over degrees and inputs, with its standard error."""

    degrees: np.ndarray
    bias2: np.ndarray
    variance: np.ndarray
    test_error: float
    test_error_stderr: float


def simulate(setup: Experiment, test_inputs: np.ndarray, seed: int) -> Simulation:
    """Monte Carlo over ``setup.replicates`` training sets; see :func:`_sampler`."""
    result = estimate(_sampler(setup, test_inputs), setup.replicates, seed=seed,
                      chunk_size=setup.chunk_size)
    shape = (setup.degrees.size, test_inputs.size)
    mean, square = (result.mean[1:].reshape(2, *shape)[k] for k in range(2))
    count = setup.replicates
    variance = (square - mean**2) * count / (count - 1)
    bias2 = (mean - true_function(test_inputs)) ** 2 - variance / count
    return Simulation(setup.degrees, bias2.mean(axis=1), variance.mean(axis=1),
                      float(result.mean[0]), float(result.stderr[0]))


def _curves(simulation: Simulation, exact: ClosedForm) -> dict:
    curves = {"bias^2 (simulated)": simulation.bias2.tolist(),
              "bias^2 (closed form)": exact.bias2.mean(axis=1).tolist(),
              "variance (simulated)": simulation.variance.tolist(),
              "variance (closed form)": exact.variance.mean(axis=1).tolist(),
              "noise sigma^2": [exact.noise] * simulation.degrees.size}
    positive = all(value > 0 for values in curves.values() for value in values)
    return {"plot": "curves", "x": simulation.degrees.tolist(), "logy": positive,
            "curves": curves, "title": "Bias-variance decomposition against model complexity",
            "xlabel": "model complexity (polynomial degree)", "ylabel": "squared error"}


def _decomposition_comparison(setup: Experiment, test_inputs: np.ndarray, seed: int,
                              where: str) -> Comparison:
    """The simulated test error against sigma^2 + Var + Bias^2 computed in closed form."""
    simulation, exact = simulate(setup, test_inputs, seed), closed_form(setup, test_inputs)
    noise, variance, bias2 = exact.noise, float(exact.variance.mean()), float(exact.bias2.mean())
    return Comparison(
        estimate=simulation.test_error, stderr=simulation.test_error_stderr,
        expected=noise + variance + bias2,
        alternatives={"variance + bias^2 (no noise term)": variance + bias2,
                      "sigma^2 + bias^2 (no variance term)": noise + bias2,
                      "sigma^2 + variance (no bias term)": noise + variance},
        details=(f"test error (f_N(x) - y)^2 on fresh labels, {setup.replicates} training sets, "
                 f"mean over degrees 0..{setup.max_degree} {where}, against sigma^2 + "
                 f"sigma^2 |h(x)|^2 + (h(x)^T f*(X) - f*(x))^2 in closed form (f_N(x) = "
                 f"h(x)^T y); closed form: noise {noise:.4g}, variance {variance:.4g}, "
                 f"bias^2 {bias2:.4g}"),
        data=_curves(simulation, exact))


SETUP = Experiment()
FIXED_INPUT = np.array([0.5])


def decomposition_at_one_input(seed: int) -> Comparison:
    """E[(f_N(x) - y)^2 | x] = sigma^2 + Var + Bias^2 at x = 0.5."""
    return _decomposition_comparison(SETUP, FIXED_INPUT, seed, "at x = 0.5")


def decomposition_over_inputs(seed: int) -> Comparison:
    """E_X(C[f_N]) = E_x(sigma^2 + Var + Bias^2), x uniform over the design points."""
    return _decomposition_comparison(SETUP, SETUP.inputs, seed, "and over the 30 design inputs")


def _violations(values: np.ndarray, falling: bool) -> int:
    steps = np.diff(values)
    return int(np.sum(steps >= 0 if falling else steps <= 0))


def _monotone_comparison(simulation: Simulation, name: str, falling: bool) -> Comparison:
    values = getattr(simulation, name)
    steps = simulation.degrees.size - 1
    return Comparison(
        estimate=float(_violations(values, falling)), expected=0.0, tolerance=0.0,
        alternatives={f"{name} {'rises' if falling else 'falls'} at every step": float(steps)},
        details=(f"number of degrees p where the simulated E_x {name} at p + 1 is not "
                 f"{'below' if falling else 'above'} its value at p; values "
                 + ", ".join(f"{x:.3g}" for x in values)),
        data=_curves(simulation, closed_form(SETUP, SETUP.inputs)))


def bias_falls_with_degree(seed: int) -> Comparison:
    """E_x Bias^2 decreases strictly from each degree to the next."""
    return _monotone_comparison(simulate(SETUP, SETUP.inputs, seed), "bias2", falling=True)


def variance_rises_with_degree(seed: int) -> Comparison:
    """E_x Var increases strictly from each degree to the next."""
    return _monotone_comparison(simulate(SETUP, SETUP.inputs, seed), "variance",
                                falling=False)


# ---------------------------------------------------------------- derivations

# ---------------------------------------------------------------- hypotheses

SQUARED_LOSS = Hypothesis(r"\text{loss}(u) = u^2", quote=r"$\text{loss}$ 是平方誤差")
NOISY_LABELS = Hypothesis(r"y = f^*(x) + \epsilon, \ \epsilon \sim \mathcal{N}(0, \sigma^2)",
                          quote=r"$y = f^*(x) + \epsilon$,其中 $\epsilon$ 是高斯雜訊,$\epsilon "
                                r"\sim \mathcal{N}(0, \sigma^2)$",
                          note="only the mean 0 and variance sigma^2 of epsilon enter")
TEST_NOISE_INDEPENDENT = Hypothesis(r"\epsilon \perp \mathbb{X}", quote=None,
                                    note="the test noise is independent of the training set "
                                         "(independent families): the notes use it in "
                                         "E[y f_N(x)] = E[y] E[f_N(x)] without stating it")
MODEL_MOMENTS = Hypothesis(r"\text{Var}_{\mathbb{X}}[f_N(x) | x] > 0", quote=None,
                           note="f_N(x) a random variable with mean m and variance v > 0")
DISCRETE_INPUTS = Hypothesis(r"P(x = x_k) = q_k, \ k = 1, 2, 3", quote=None,
                             note="a three-point law of x; for a general P(x) the argument is the "
                                  "same with integrals")


CONDITIONAL_QUOTE = (
    r"E_{\mathbb{X}, y}[\text{loss}(f_N(x) - y) | x] &= E_{\mathbb{X}, y}[(f_N(x) - y)^2 | x]"
    r" = \dots = \sigma^2 + Var_\mathbb{X}[f_N(x) | x] + \text{Bias}[f_N(x) | x]^2")

conditional_decomposition = Derivation(
    id="bias-variance-decomposition-at-x",
    title="E[(f_N(x) - y)^2 | x] = sigma^2 + Var[f_N(x) | x] + Bias[f_N(x) | x]^2",
    source=Source(LECTURE_NOTES, SECTION, CONDITIONAL_QUOTE),
    start=Step(E((f_N - y) ** 2, model, noise),
               r"E_{\mathbb{X}, y}[\text{loss}(f_N(x) - y) | x]",
               "loss(u) = u^2 (squared error); y = f*(x) + epsilon"),
    steps=[
        Step(E((f_N - y) ** 2, model, noise), r"E_{\mathbb{X}, y}[(f_N(x) - y)^2 | x]",
             "the loss is the squared error"),
        Step(E(y**2 + f_N**2 - 2 * y * f_N, model, noise),
             r"E_{\mathbb{X}, y}[y^2 + f_N(x)^2 - 2y f_N(x) | x]", "expand the square"),
        Step(E(f_N**2, model) + E(y**2, noise) - 2 * E(y * f_N, model, noise),
             r"E_{\mathbb{X}}[f_N(x)^2 | x] + E_y[y^2 | x] - 2 E_{\mathbb{X}, y}[yf_N(x) | x]",
             "linearity; f_N(x) depends on X only, y on the test noise only"),
        Step((Var(f_N, model) + E(f_N, model) ** 2) + (Var(y, noise) + E(y, noise) ** 2)
             - 2 * E(f_N, model) * E(y, noise),
             r"(Var_\mathbb{X}[f_N(x) | x] + (E_{\mathbb{X}}[f_N(x) | x])^2) + (Var_y[y|x] + "
             r"(E_y[y|x])^2) - 2 E_{\mathbb{X}}[f_N(x) | x] E_y[y|x]", INDEPENDENCE),
        Step(Var(y, noise) + Var(f_N, model) + (E(f_N, model) - E(y, noise)) ** 2,
             r"\text{Var}y[y|x] + Var_\mathbb{X}[f_N(x) | x] + (E{\mathbb{X}}[f_N(x) | x] - "
             r"E_y[y|x])^2", "a^2 + b^2 - 2ab = (a - b)^2"),
        Step(Var(y, noise) + Var(f_N, model) + E(f_N - f_star, model) ** 2,
             r"\text{Var}y[y|x] + Var_\mathbb{X}[f_N(x) | x] + (E{\mathbb{X}}[f_N(x) - "
             r"f^*(x) | x])^2", "E_y[y | x] = f*(x), a constant for E_X"),
        Step(sigma**2 + Var(f_N, model) + (E(f_N, model) - f_star) ** 2,
             r"\sigma^2 + Var_\mathbb{X}[f_N(x) | x] + \text{Bias}[f_N(x) | x]^2",
             "Var_y[y | x] = sigma^2; Bias[f_N(x) | x] = E_X[f_N(x) | x] - f*(x)"),
    ],
    crosschecks=[CrossCheck("Monte Carlo test error = noise + variance + bias^2 at x = 0.5",
                            decomposition_at_one_input)],
    hypotheses=[SQUARED_LOSS, NOISY_LABELS, TEST_NOISE_INDEPENDENT, MODEL_MOMENTS],
    notation=AT_X_NOTATION,
)

INTEGRATED_QUOTE = (
    r"E_\mathbb{X}(C[f_N]) &= E_\mathbb{X}\left( \int (y - f_N(x))^2 P(x, y) dx dy \right) = "
    r"E_{\mathbb{X}, x, y}[\text{loss}(f_N(x) - y)] = E_{x}(E_{\mathbb{X}, y}[\text{loss}"
    r"(f_N(x) - y) | x = x]); \quad E_\mathbb{X}(C[f_N]) = E_x\left( \sigma^2 + "
    r"Var_\mathbb{X}[f_N(x) | x] + \text{Bias}[f_N(x) | x]^2 \right)")

integrated_decomposition = Derivation(
    id="bias-variance-decomposition-expected-cost",
    title="E_X(C[f_N]) = E_x(sigma^2 + Var + Bias^2), x with a three-point law",
    source=Source(LECTURE_NOTES, SECTION, INTEGRATED_QUOTE),
    start=Step(E(_cost_of_fixed_model(), *MODELS), r"E_\mathbb{X}(C[f_N])",
               "C[f_N] is the expected loss of a fixed f_N over P(x, y); x = x_k with "
               "probability q_k"),
    steps=[
        Step(E(_cost_of_fixed_model(), *MODELS),
             r"E_\mathbb{X}\left( \int (y - f_N(x))^2 P(x, y) dx dy \right)",
             "definition of C[f_N]: the integral over P(x, y) = P(x) P(y | x) is "
             "sum_k q_k E_y[. | x = x_k]"),
        Step(E(_over_x(lambda p: (p.f_N - p.y) ** 2), *MODELS, *NOISES),
             r"E_{\mathbb{X}, x, y}[\text{loss}(f_N(x) - y)]",
             "one expectation over the training set and the test pair (x, y)"),
        Step(_over_x(lambda p: E((p.f_N - p.y) ** 2, p.model, p.noise)),
             r"E_{x}(E_{\mathbb{X}, y}[\text{loss}(f_N(x) - y) | x = x])",
             "tower property: condition on x"),
        Step(_over_x(lambda p: sigma**2 + Var(p.f_N, p.model)
                     + (E(p.f_N, p.model) - p.f_star) ** 2),
             r"E_x\left( \sigma^2 + Var_\mathbb{X}[f_N(x) | x] + \text{Bias}[f_N(x) | x]^2 "
             r"\right)", "the decomposition at each x (bias-variance-decomposition-at-x)"),
    ],
    crosschecks=[
        CrossCheck("Monte Carlo test error = noise + variance + bias^2 over the inputs",
                   decomposition_over_inputs),
        CrossCheck("E_x Bias^2 falls with the degree", bias_falls_with_degree),
        CrossCheck("E_x Var rises with the degree", variance_rises_with_degree),
    ],
    hypotheses=[SQUARED_LOSS, NOISY_LABELS, TEST_NOISE_INDEPENDENT, MODEL_MOMENTS, DISCRETE_INPUTS],
)
