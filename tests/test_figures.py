"""The house figure files: written, byte-reproducible, a dark variant that differs, legible text, hanzi."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from twotracks import figures  # noqa: E402


def draw(width: float = 9.0):
    figures.use_house_style()
    fig, ax = plt.subplots(figsize=(width, 4))
    ax.plot([2017, 2019, 2021], [1, 3, 2], color=figures.OKABE_ITO["blue"], marker="o", label="区块链 events")
    ax.bar([2018], [2], color=figures.OKABE_ITO["vermillion"])
    ax.axvline(2021, color="black")
    ax.text(2017.2, 2.5, "tiny label", fontsize=5)
    ax.set_title("A test figure 比特币")
    ax.legend()
    return fig


def publish(folder, name="fig-test", width=9.0):
    data = pd.DataFrame({"year": [2017, 2019, 2021], "n": [1, 3, 2]})
    # None, so a notebook cell ending with the call prints nothing
    assert figures.publish_figure(draw(width), name, data, source="test data", folder=folder, glue_it=False) is None
    return figures.figure_file_paths(name, folder)


def test_publish_figure_writes_csv_svg_slide_png_and_dark_png(tmp_path):
    paths = publish(tmp_path)
    written = {p.name for p in tmp_path.iterdir()}
    assert written == {"fig-test.csv", "fig-test.svg", "fig-test.png", "fig-test-dark.png", "fig-test-dark-page.png"}
    assert paths["svg"].read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for key in ("png", "dark_png"):
        with Image.open(paths[key]) as image:
            assert image.size == figures.SLIDE_PX


def test_the_dark_page_image_is_cropped_as_the_chapters_light_image_is(tmp_path):
    """In the dark theme the chapter swaps in this image: it must have the light one's shape, not the slide's."""
    import io

    fig = draw()
    figures.enforce_min_font(fig)
    figures.add_source_line(fig, "test data")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")  # as glue renders the light figure
    with Image.open(buffer) as light:
        light_size = light.size
    figures.write_dark_png(fig, "fig-test", tmp_path)
    plt.close(fig)
    with Image.open(tmp_path / "fig-test-dark-page.png") as dark:
        assert abs(dark.size[0] - light_size[0]) <= 2 and abs(dark.size[1] - light_size[1]) <= 2, (
            dark.size,
            light_size,
        )
        assert sum(dark.getpixel((2, 2))) < 3 * 40  # a dark background


def test_figure_files_are_byte_identical_when_drawn_again(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    publish(first)
    publish(second)
    for name in ("fig-test.svg", "fig-test.png", "fig-test-dark.png", "fig-test-dark-page.png", "fig-test.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    svg = (first / "fig-test.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg


def test_dark_variant_has_a_dark_background_and_light_text(tmp_path):
    paths = publish(tmp_path)
    with Image.open(paths["png"]) as light, Image.open(paths["dark_png"]) as dark:
        assert light.getpixel((2, 2)) == (255, 255, 255)
        assert sum(dark.getpixel((2, 2))) < 3 * 40
        assert light.tobytes() != dark.tobytes()
        # the dark figure has light pixels (text, axes) and keeps the palette's blue for the data
        colours = {c for _, c in dark.getcolors(maxcolors=1_000_000)}
        assert any(min(c) > 200 for c in colours)
        assert (0x00, 0x72, 0xB2) in colours


def test_the_dark_variant_keeps_every_mark_visible_and_every_label_readable():
    """What a review found in the dark figures: a notebook's grey ink (#333333) left near-black on black, a pale
    map tile's dark code turned white on it, an orange label turned white, faint spans fainter, a navy swatch
    lost on black."""
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    figures.use_house_style()
    fig, ax = plt.subplots(figsize=(6, 3))
    ink = Line2D([], [], linestyle="", marker="o", color="#333333", label="dated to the day")
    hollow = Line2D([], [], linestyle="", marker="o", markerfacecolor="white", markeredgecolor="#333333")
    span = ax.plot([0, 1], [0, 0], color=figures.OKABE_ITO["blue"], alpha=0.35)[0]
    pale = ax.add_patch(Rectangle((2, 0), 0.9, 0.9, facecolor="#C6DBEF"))
    navy = ax.add_patch(Rectangle((3, 0), 0.9, 0.9, facecolor="#08306B"))
    on_pale = ax.text(2.45, 0.45, "GS", color="#222222", ha="center", va="center")
    on_navy = ax.text(3.45, 0.45, "GD", color="white", ha="center", va="center")
    orange = ax.text(0.5, 0.5, "Politburo", color=figures.OKABE_ITO["vermillion"])
    ax.set_xlim(-0.5, 4.5)
    ax.set_ylim(-0.5, 1.5)
    legend = ax.legend(handles=[ink, hollow, Patch(facecolor="#08306B", label="2016")])
    figures.restyle_dark(fig)
    text_colour = to_rgba(figures.DARK["text"])
    drawn_ink, drawn_hollow = legend.legend_handles[:2]  # the legend draws copies of its handles
    assert to_rgba(drawn_ink.get_color()) == text_colour and to_rgba(drawn_hollow.get_markeredgecolor()) == text_colour
    assert to_rgba(drawn_hollow.get_markerfacecolor()) == to_rgba(figures.DARK["background"])  # still hollow
    assert span.get_alpha() == pytest.approx(0.6)
    assert to_rgba(pale.get_facecolor()) == to_rgba("#C6DBEF") and to_rgba(on_pale.get_color()) == to_rgba("#222222")
    assert to_rgba(navy.get_facecolor()) == to_rgba("#08306B") and to_rgba(on_navy.get_color()) == to_rgba("white")
    red, green, blue, _ = to_rgba(orange.get_color())
    assert red > green > blue and figures._luminance(orange.get_color()) > 0.5  # lighter, still orange
    assert all(swatch.get_edgecolor()[3] > 0 for swatch in legend.get_patches())
    plt.close(fig)


def test_text_is_raised_to_the_legible_minimum_for_the_page_width():
    fig = draw(width=11.0)
    raised = figures.enforce_min_font(fig)
    assert "tiny label" in raised
    floor = figures.MIN_DISPLAY_PT * 11.0 / figures.PAGE_FIGURE_WIDTH_IN
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    assert min(sizes) == pytest.approx(round(floor, 1))
    plt.close(fig)


def _stacked_labels(gap_pt: float, size: float):
    """Two labels over one mark, the second ``gap_pt`` above the first, on a figure wide enough that text
    below the legible size is raised."""
    figures.use_house_style()
    fig, ax = plt.subplots(figsize=(11.0, 4))
    ax.set_xlim(0, 10)
    ax.annotate("first label", (2, 1), va="bottom", fontsize=size)
    ax.annotate("second label", (2, 1), xytext=(0, gap_pt), textcoords="offset points", va="bottom", fontsize=size)
    return fig


def _publish(fig, name, folder):
    figures.publish_figure(fig, name, pd.DataFrame({"x": [1]}), source="test", folder=folder, glue_it=False)


LEGIBLE_AT_11_IN = round(figures.MIN_DISPLAY_PT * 11.0 / figures.PAGE_FIGURE_WIDTH_IN, 1)


def test_labels_that_cover_each_other_are_refused_naming_the_figure_and_the_labels(tmp_path):
    fig = _stacked_labels(gap_pt=4, size=LEGIBLE_AT_11_IN)
    assert figures.overlapping_labels(fig) == [("first label", "second label")]
    with pytest.raises(
        ValueError, match=r"figure fig-crowded: 1 label\(s\) cover another.*'first label' and 'second label'"
    ):
        _publish(fig, "fig-crowded", tmp_path)
    assert not list(tmp_path.iterdir()), "a refused figure wrote files"


def test_labels_placed_clear_at_a_small_size_are_refused_once_raised_to_the_legible_size(tmp_path):
    """The fault the check exists for: clear of each other at 6 pt, they collide when publish raises them."""
    fig = _stacked_labels(gap_pt=9, size=6)
    assert figures.overlapping_labels(fig) == []
    with pytest.raises(ValueError, match="fig-raised"):
        _publish(fig, "fig-raised", tmp_path)


def test_labels_placed_at_the_legible_size_and_clear_are_published(tmp_path):
    assert figures.legible_font_pt(plt.figure(figsize=(11.0, 4))) == LEGIBLE_AT_11_IN
    fig = _stacked_labels(gap_pt=2 * LEGIBLE_AT_11_IN, size=LEGIBLE_AT_11_IN)
    _publish(fig, "fig-clear", tmp_path)
    assert (tmp_path / "fig-clear.png").is_file()
    plt.close("all")


def test_bold_text_with_the_cjk_font_logs_nothing(caplog):
    figures.use_house_style()
    fig, ax = plt.subplots()
    ax.set_title("Bold title 区块链")
    figures.font_manager.fontManager._findfont_cached.cache_clear()  # else a lookup made earlier logs nothing
    with caplog.at_level("INFO", logger="matplotlib.font_manager"):
        fig.canvas.draw()
    plt.close(fig)
    assert not [r for r in caplog.records if "Failed to find font weight" in r.getMessage()]


def test_source_line_sits_just_under_the_plot_with_no_empty_band():
    fig = draw()
    source = figures.add_source_line(fig, "test data")
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    lowest_axes = min(ax.get_tightbbox(renderer).y0 for ax in fig.axes)
    top_of_source = source.get_window_extent(renderer).y1
    gap_pt = (lowest_axes - top_of_source) * 72 / fig.dpi
    assert 0 < gap_pt < 12, gap_pt
    plt.close(fig)


@pytest.mark.skipif(figures.CJK_FONT is None, reason="no CJK font installed (apt-get install fonts-wqy-microhei)")
def test_hanzi_are_drawn_with_the_cjk_font():
    import warnings

    assert figures.CJK_FONT in figures.HOUSE_STYLE["font.family"]
    figures.use_house_style()
    fig = plt.figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "区块链 Binance", fontsize=20)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    plt.close(fig)
    assert not [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_tick_labels_that_run_into_each_other_are_refused():
    """Chapter 5's publishers ran together under their bars ('Asia Times FinanciaBitcoin.com News')."""
    figures.use_house_style()
    fig, ax = plt.subplots(figsize=(6.0, 3))
    ax.bar(range(5), [1, 2, 3, 2, 1])
    ax.set_xticks(range(5), ["Asia Times Financial", "Bitcoin.com News", "BeInCrypto", "China Times", "BlockTribune"])
    assert ("Asia Times Financial", "Bitcoin.com News") in figures.overlapping_labels(fig)
    ax.set_xticks(range(5), ["Asia\nTimes", "Bitcoin\n.com", "BeIn\nCrypto", "China\nTimes", "Block\nTribune"])
    assert figures.overlapping_labels(fig) == []
    plt.close(fig)


def test_tick_labels_of_ticks_outside_the_view_are_not_counted():
    figures.use_house_style()
    fig, ax = plt.subplots(figsize=(6.0, 3))
    ax.set_xticks(range(10), [f"long tick label {i}" for i in range(10)])
    ax.set_xlim(2.5, 3.5)  # one tick drawn; the others exist, off the axis, undrawn
    assert figures.overlapping_labels(fig) == []
    plt.close(fig)


def _upright(ax, x, y, text, **style):
    return ax.annotate(text, (x, y), rotation=90, rotation_mode="anchor", ha="left", va="bottom", fontsize=13, **style)


def test_an_upright_label_that_runs_into_the_title_is_refused():
    """Chapter 3's rotated event names: the margin meant for a line's height was taken off their length, so a
    name running a few points into the title passed."""
    figures.use_house_style()
    fig, ax = plt.subplots(figsize=(8.0, 6))
    ax.set_title("A title across the top of the plot")
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    title_bottom = ax.title.get_window_extent(renderer).y0
    label = _upright(ax, 0.4, 0.5, "24 Aug 2018: five-department alert")
    fig.draw_without_rendering()
    box = label.get_window_extent(renderer)
    shift = title_bottom + 0.06 * box.height - box.y1  # its end 6% of its length into the title's band
    label.set_position((0.4, ax.transData.inverted().transform((0, box.y0 + shift))[1]))
    assert ("24 Aug 2018: five-department alert", "A title across the top of the plot") in figures.overlapping_labels(
        fig
    )
    label.set_position((0.4, ax.transData.inverted().transform((0, box.y0 + shift - 0.1 * box.height))[1]))
    assert figures.overlapping_labels(fig) == []
    plt.close(fig)


def test_upright_labels_whose_lines_interleave_are_refused():
    """Two rotated two-line labels side by side, the second's lines falling between the first's."""
    figures.use_house_style()
    fig, ax = plt.subplots(figsize=(8.0, 6))
    ax.set_xlim(0, 100)
    _upright(ax, 50, 0.1, "18 May 2021: financial\nassociations' ban", linespacing=2.2)
    _upright(ax, 50.6, 0.1, "21 May 2021: then FSDC vows\ncrackdown", linespacing=2.2)
    assert len(figures.overlapping_labels(fig)) == 1
    plt.close(fig)


def test_a_label_box_that_covers_a_data_mark_is_refused():
    """Chapter 4's Politburo label: its white box hid Guangdong's hollow marker."""
    figures.use_house_style()
    fig, ax = plt.subplots(figsize=(8.0, 4))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.scatter([3], [8], s=48, marker="<", c="white", edgecolors="blue")
    ax.plot([6], [2], marker="o", linestyle="")
    box = dict(boxstyle="square,pad=0.15", facecolor="white", edgecolor="none", alpha=0.85)
    label = ax.annotate("Politburo study session", (3.05, 8), ha="left", va="center", bbox=box)
    found = figures.overlapping_labels(fig)
    assert found == [("Politburo study session", "the data mark at (3, 8)")], found
    label.set_position((5.5, 2))
    assert [mark for _, mark in figures.overlapping_labels(fig)] == ["the data mark at (6, 2)"]
    label.set_position((4, 5))  # clear of both marks
    assert figures.overlapping_labels(fig) == []
    plt.close(fig)


def test_the_refusal_names_a_covered_mark(tmp_path):
    figures.use_house_style()
    fig, ax = plt.subplots(figsize=(8.0, 4))
    ax.set_xlim(0, 10)
    ax.scatter([3], [0.5], s=48)
    ax.annotate("covering label", (2.9, 0.5), va="center")
    with pytest.raises(
        ValueError,
        match=r"fig-covered: 1 label\(s\) cover another label or a data mark.*'covering label' and 'the data mark at \(3, 0.5\)'",
    ):
        _publish(fig, "fig-covered", tmp_path)
