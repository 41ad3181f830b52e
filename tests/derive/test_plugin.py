"""The pytest plugin: one item per derivation, readable failures."""

from __future__ import annotations

from importlib import metadata

import pytest

# Imported here so that pytester's in-process runs find them loaded (it unloads
# modules first imported during a run, and numpy cannot be imported twice).
import derive
import derive._plugin  # noqa: F401
import numeric  # noqa: F401

PROOF = '''
import sympy as sp
from derive import Derivation, Source, Step

x = sp.Symbol("x", real=True)
SOURCE = Source("notes.txt", "Algebra", "quote")

square = Derivation(id="square-holds", title="t", source=SOURCE,
                    start=Step((x + 1) ** 2, "(x+1)^2"), steps=[Step(x**2 + 2*x + 1, "x^2+2x+1")])
wrong = Derivation(id="square-wrong", title="t", source=SOURCE,
                   start=Step((x + 1) ** 2, "(x+1)^2"), steps=[Step(x**2 + 1, "x^2+1")])
'''


def _plugin_args() -> list[str]:
    registered = any(ep.value == "derive._plugin"
                     for ep in metadata.entry_points(group="pytest11"))
    return [] if registered else ["-p", "derive._plugin"]


@pytest.fixture
def proofs(pytester: pytest.Pytester):
    pytester.makeini("[pytest]\ntestpaths = proofs\n")
    folder = pytester.mkdir("proofs")
    (folder / "algebra.py").write_text(PROOF)
    (folder / "_helpers.py").write_text("raise RuntimeError('helpers are not proofs')\n")
    return pytester


def test_each_derivation_is_one_item_and_failures_show_the_step(proofs):
    result = proofs.runpytest(*_plugin_args())
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*square-wrong: expected holds, verdict refuted*",
                                 "*step 1 refuted (random-points): x^2+1*",
                                 "*counterexample: {'x': *"])
    assert "sympy/" not in result.stdout.str()


def test_items_are_selected_by_id(proofs):
    result = proofs.runpytest(*_plugin_args(), "-k", "square-holds")
    result.assert_outcomes(passed=1, deselected=1)


def test_a_proof_file_that_fails_to_import_fails_and_the_others_still_run(proofs):
    (proofs.path / "proofs" / "broken.py").write_text("import not_a_module_anywhere\n")
    result = proofs.runpytest(*_plugin_args())
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(["*could not import*not_a_module_anywhere*"])


MARKDOWN_NOTES = r"""# Squares

<!-- derive: assume a, b real -->
<!-- derive: id square-expanded -->
$$
\begin{aligned}
(a + b)^2 &= a^2 + 2ab + b^2 \\
&= a^2 + b^2
\end{aligned}
$$

$$
\begin{aligned} a &= \foo \end{aligned}
$$
"""


def test_markdown_notes_under_the_proof_paths_are_items(proofs):
    (proofs.path / "proofs" / "notes.md").write_text(MARKDOWN_NOTES)
    result = proofs.runpytest(*_plugin_args(), "-k", "square-expanded or read")
    result.assert_outcomes(failed=2, deselected=2)
    result.stdout.fnmatch_lines(["*square-expanded: expected holds, verdict refuted*",
                                 r"*notes.md:13: cannot read '\foo'*"])
