"""Pages read as a report: which code cells the build treats as plumbing (removed) or hides behind a toggle."""

from __future__ import annotations

import pytest

from bookbuild.sphinx_ext.reader import is_plumbing


@pytest.mark.parametrize(
    "source",
    [
        "import pandas as pd\nfrom twotracks import data",
        'glue_value("n_events", len(events), meaning="events")\nassert n > 0, "no events"',
        'publish_figure(fig, "fig-x", frame, source="CCAF")',
        "# only a comment\n",
        "numbers.glue_value('x', 1)\nuse_house_style()",
    ],
)
def test_imports_glue_asserts_and_publishing_are_plumbing(source):
    assert is_plumbing(source)


@pytest.mark.parametrize(
    "source",
    [
        "import pandas as pd\nevents = pd.read_csv('x.csv')",
        "fig, ax = plt.subplots()\npublish_figure(fig, 'fig-x', frame, source='s')",
        "glued_numbers()",
        "table.head()",
        "def f(:",  # not Python: shown behind the toggle, never silently dropped
    ],
)
def test_analysis_and_tables_are_not_plumbing(source):
    assert not is_plumbing(source)
