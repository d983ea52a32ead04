"""The benchmark's own judgements (its timings are measured by `make bench`, never asserted here)."""

from __future__ import annotations

from bench import executed, grows_at_most_linearly


def test_linear_and_sublinear_growth_pass_and_quadratic_growth_fails():
    rows = [500, 5_000, 50_000]
    assert grows_at_most_linearly([(n, 0.05 + n * 1e-5) for n in rows])
    assert grows_at_most_linearly([(n, 2.0 + 0.1 * (n > 500)) for n in rows])  # a constant step is noise
    assert not grows_at_most_linearly([(n, 0.05 + (n / 1000) ** 2 * 1e-3) for n in rows])


def test_which_notebooks_a_build_executed_is_read_from_its_output():
    out = (
        "notebooks: executing 2 of 5 on 2 process(es):\n  notebooks/01_a.ipynb (its code changed)\n"
        "  notebooks/02_b.ipynb (data/events.csv changed)\n"
        "executed notebooks/02_b.ipynb in 1.0 s; reads data/events.csv\n"
        "executed notebooks/01_a.ipynb in 2.5 s; reads data/events.csv; wrote fig-a.csv\n"
    )
    assert executed(out) == {"notebooks/01_a.ipynb": 2.5, "notebooks/02_b.ipynb": 1.0}
    assert executed("notebooks: all 2 up to date, nothing executed\n") == {}
