import datetime as dt
import json

import pandas as pd
import pytest

from twotracks.present import NOT_STATED, as_of, format_date, format_dates, reader_table


@pytest.mark.parametrize(
    "value, precision, expected",
    [
        ("2017-09-04", None, "4 Sep 2017"),
        ("2017-09", None, "Sep 2017"),
        ("2017", None, "2017"),
        ("2017-09-04", "month", "Sep 2017"),
        ("2017-09-04", "year", "2017"),
        (dt.date(2026, 2, 6), "day", "6 Feb 2026"),
        (pd.Timestamp("2021-05-21"), None, "21 May 2021"),
        (None, None, NOT_STATED),
        (pd.NA, "day", NOT_STATED),
    ],
)
def test_format_date_shows_only_the_known_precision(value, precision, expected):
    assert format_date(value, precision) == expected


@pytest.mark.parametrize(
    "value, precision", [("2017", "day"), ("2017-09", "day"), ("٢٠١٧", None), ("17/09/2017", None)]
)
def test_format_date_refuses_more_precision_than_known_or_non_iso_text(value, precision):
    with pytest.raises(ValueError):
        format_date(value, precision)


def test_format_dates_pairs_each_date_with_its_precision():
    out = format_dates(pd.Series(["2021-09-24", "2019-04-08"]), pd.Series(["day", "month"]))
    assert list(out) == ["24 Sep 2021", "Apr 2019"]


def test_as_of_reads_the_descriptor(data_copy):
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    (data_copy / "datapackage.json").write_text(json.dumps({**descriptor, "as_of": "2026-11-23"}))
    assert as_of(data_copy) == "2026-11-23"
    del descriptor["as_of"]
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor))
    with pytest.raises(ValueError, match="as_of"):
        as_of(data_copy)


def test_reader_table_labels_codes_hides_index_and_says_not_stated():
    frame = pd.DataFrame({"track": ["crypto-no", "blockchain-yes"], "n": [1200, pd.NA], "junk": [1, 2]}, index=[7, 9])
    frame["n"] = frame["n"].astype("Int64")
    html = reader_table(
        frame,
        columns={"track": "Track", "n": "Events"},
        labels={"track": {"crypto-no": "Crypto no", "blockchain-yes": "Blockchain yes"}},
        units={"n": "count"},
        caption="Events by track",
    ).to_html()
    assert "Crypto no" in html and "crypto-no" not in html
    assert "Events (count)" in html and "1,200" in html and NOT_STATED in html
    assert "junk" not in html and ">7<" not in html


def test_reader_table_refuses_a_code_without_a_label():
    with pytest.raises(KeyError, match="other"):
        reader_table(pd.DataFrame({"track": ["other"]}), labels={"track": {"crypto-no": "Crypto no"}}, caption="Tracks")


def test_reader_table_html_is_the_same_on_every_call():
    """Re-executing a notebook must reproduce its outputs: no random table id."""
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", None]})
    first, second = reader_table(frame, caption="A and B").to_html(), reader_table(frame, caption="A and B").to_html()
    assert first == second and "T_rt" in first
    assert reader_table(frame.assign(a=[3, 4]), caption="A and B").to_html() != first
    assert repr(reader_table(frame, caption="A and B")) == "<reader table: 2 rows, 2 columns>"  # no memory address


def test_reader_table_shows_markup_in_the_data_as_text():
    html = reader_table(
        pd.DataFrame({"title": ['<script>alert("x")</script> & <b>bold</b>']}), caption="Titles"
    ).to_html()
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html


def test_reader_table_requires_a_caption_saying_what_it_shows():
    frame = pd.DataFrame({"a": [1]})
    with pytest.raises(TypeError, match="caption"):
        reader_table(frame, columns={"a": "A"})
    for empty in ("", "   "):
        with pytest.raises(ValueError, match="caption"):
            reader_table(frame, caption=empty)
    assert "<caption>Counts of A</caption>" in reader_table(frame, caption="Counts of A").to_html()
