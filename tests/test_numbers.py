"""Glue helpers: plain Python values, formatted once, never a missing number."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from twotracks import numbers


def test_plain_turns_numpy_scalars_into_python_values():
    assert type(numbers.plain(np.float64(1.5))) is float
    assert type(numbers.plain(np.int64(3))) is int
    assert numbers.plain("text") == "text"


@pytest.mark.parametrize(
    "value, fmt, text",
    [
        (1821, None, "1,821"),
        (np.int64(1821), None, "1,821"),
        (34.25, None, "34.2"),
        (np.float64(75.53), "{:.1f}%", "75.5%"),
        ("2021-09-24", None, "2021-09-24"),
        (True, None, "True"),
    ],
)
def test_format_value(value, fmt, text):
    assert numbers.format_value(value, fmt) == text


@pytest.mark.parametrize(
    "value, fmt, shown",
    [
        (np.int64(1234), None, "1,234"),
        (3779, None, "3,779"),
        (0.1, "{:.2f}", "0.10"),
        (2013, "{}", "2013"),
        (75.53, "{:.2f}%", "75.53%"),
        ("23-29 March 2020", None, "23-29 March 2020"),
        ("True", None, "True"),
    ],
)
def test_glued_text_prints_exactly_as_formatted_and_is_listed(monkeypatch, value, fmt, shown):
    # What the book prints is MyST-NB's {glue:text} rendering of the stored text/plain, not the raw text.
    from myst_nb.core.variables import format_plain_text

    captured = {}
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: captured.update({name: repr(value)}))
    assert numbers.glue_value("n_events", value, fmt=fmt, meaning="events") is None
    assert format_plain_text(captured["n_events"], "s") == shown
    listed = numbers.glued_numbers()
    assert listed.set_index("name").loc["n_events", "as printed"] == shown


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
def test_a_missing_number_is_refused(missing):
    with pytest.raises(ValueError, match="missing"):
        numbers.glue_value("nothing", missing)


def test_the_chapters_numbers_table_shows_every_meaning_whole_under_reader_headers(monkeypatch):
    """pandas cuts a plain DataFrame's cells at 50 characters ('... (2...'): the closing table must not."""
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: None)
    meaning = "Binance: an investment with no named target, pledged in 2019 and reported in 2020 " * 2
    numbers.glue_value("n_long", 12345, meaning=meaning)
    html = numbers.numbers_table().to_html()
    assert meaning.strip() in html and "..." not in html
    assert "<caption>" in html and ">What it is<" in html and ">As printed<" in html and "12,345" in html
    assert ">0<" not in html.replace("> 0<", "")  # no index column
