"""A partial benchmark run replaces its own sections of docs/benchmarks.md and keeps the rest."""

from __future__ import annotations

from bench.run import splice

DOC = """# Benchmarks

Written by `make bench`.

## kill -9 during imports and writes

kill figures

## Adversarial pass

old adversarial figures

## Registry

registry figures
"""


def test_a_partial_run_keeps_the_other_sections():
    out = splice(DOC, [["## Adversarial pass", "", "new adversarial figures"]], note="- re-run")
    assert "kill figures" in out and "registry figures" in out
    assert "new adversarial figures" in out and "old adversarial figures" not in out
    assert out.index("## kill") < out.index("## Adversarial") < out.index("## Registry")
    assert out.count("## Adversarial pass") == 1
    assert "- re-run" in out.split("## kill", 1)[0]


def test_a_new_section_is_appended():
    out = splice(DOC, [["## Soak", "", "soak figures"]], note="- re-run")
    assert out.rstrip().endswith("soak figures")
    assert "registry figures" in out
