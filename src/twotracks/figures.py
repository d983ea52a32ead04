"""The house figure style, and publishing a figure with its source line, its plotted data and its files.

Colours are the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies. Figures
are drawn on an opaque white card so that they paste cleanly into a slide; for the book's dark theme
``publish_figure`` redraws each figure with dark-theme text, axes and background (the data colours stay
the palette's), and the site shows that variant in dark mode.

Legibility: the book shows a figure at most ``PAGE_FIGURE_WIDTH_IN`` wide, so a figure drawn wider is
scaled down. ``publish_figure`` raises any text smaller than ``MIN_DISPLAY_PT`` at that width to it
(the figure's author then fixes any overlap this causes, e.g. with a taller figure or fewer labels).

Chinese: the house style puts a CJK font (Debian's ``fonts-noto-cjk`` or ``fonts-wqy-microhei``, which
``make pdf`` installs) behind the Latin one, so hanzi render; ``CJK_FONT`` names the one found. Without
either, hanzi are drawn as empty boxes (install one of the two packages).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager
from matplotlib.colors import to_rgba
from matplotlib.transforms import Bbox

from .paths import FIGURE_DATA_DIR

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#7F7F7F",
}

TRACKS = ("blockchain-yes", "crypto-no", "other")
TRACK_COLOURS = {"blockchain-yes": OKABE_ITO["blue"], "crypto-no": OKABE_ITO["vermillion"], "other": OKABE_ITO["grey"]}
TRACK_LABELS = {"blockchain-yes": "Blockchain yes", "crypto-no": "Crypto no", "other": "Other"}
#: Marker shapes double the colour coding, so the tracks stay apart in greyscale print.
TRACK_MARKERS = {"blockchain-yes": "o", "crypto-no": "s", "other": "D"}

#: Where Debian's packages put the CJK fonts (looked up by path: matplotlib's font cache may predate them).
CJK_FONT_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)


def find_cjk_font() -> str | None:
    """The family name of the first installed CJK font (registered with matplotlib), or None."""
    for path in CJK_FONT_FILES:
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    return None


CJK_FONT = find_cjk_font()


def use_bundled_dejavu() -> None:
    """Draw Latin text with matplotlib's own DejaVu Sans, never a system copy of another version (Debian's
    fonts-dejavu, which the browser brings): which one matplotlib finds depends on when its font cache was
    built, and the two number their glyphs differently, so the SVGs (and the notebooks' stamps) differed
    between machines."""
    manager = font_manager.fontManager
    manager.ttflist = [f for f in manager.ttflist if not f.name.startswith("DejaVu Sans")]
    for path in sorted((Path(mpl.get_data_path()) / "fonts" / "ttf").glob("DejaVuSans*.ttf")):
        manager.addfont(str(path))
    font_manager.FontManager._findfont_cached.cache_clear()


use_bundled_dejavu()


class _NoBoldFallbackNotice(logging.Filter):
    """The CJK fonts have no bold face; matplotlib's notice about using the regular one would print into
    every notebook's output (and differ between machines with and without the font)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Failed to find font weight" not in record.getMessage()


logging.getLogger("matplotlib.font_manager").addFilter(_NoBoldFallbackNotice())

#: The widest a figure is shown in a chapter page (the text column, in inches at 96 CSS px per inch).
PAGE_FIGURE_WIDTH_IN = 7.5
#: The smallest text, in points, as a reader sees it at that width.
MIN_DISPLAY_PT = 9.0

#: Slide-size exports: PNG files exactly this many pixels, the figure centred on its background.
SLIDE_PX = (1600, 900)
SLIDE_DPI = 200

LIGHT = {"background": "#FFFFFF", "text": "#222222", "muted": "#555555", "tick": "#444444", "grid": "#DDDDDD"}
#: Dark-theme colours (the book theme's dark background and text), for the dark variant of every figure.
DARK = {"background": "#14181E", "text": "#E6E6E6", "muted": "#B8B8B8", "tick": "#C8C8C8", "grid": "#3A3F47"}

HOUSE_STYLE = {
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 110,
    "figure.facecolor": LIGHT["background"],
    "axes.facecolor": LIGHT["background"],
    "savefig.facecolor": LIGHT["background"],
    # a list of families: matplotlib takes each glyph from the first family that has it
    "font.family": ["DejaVu Sans", *([CJK_FONT] if CJK_FONT else [])],
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "xtick.labelsize": 10.5,
    "ytick.labelsize": 10.5,
    "legend.fontsize": 10.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": LIGHT["grid"],
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "text.color": LIGHT["text"],
    "axes.labelcolor": LIGHT["text"],
    "axes.edgecolor": LIGHT["tick"],
    "xtick.color": LIGHT["tick"],
    "ytick.color": LIGHT["tick"],
    "axes.prop_cycle": mpl.cycler(
        color=[
            OKABE_ITO[c]
            for c in ("blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue", "black")
        ]
    ),
    "svg.hashsalt": "twotracks",  # fixed ids, so an SVG export is byte-identical run to run
    "svg.fonttype": "path",
}

#: Metadata that would change run to run (dates, software strings) left out of every file written.
SVG_METADATA = {"Date": None, "Creator": None}
PNG_METADATA = {"Software": None}


def use_house_style() -> None:
    """Apply the house style to every figure drawn after this call."""
    mpl.rcParams.update(HOUSE_STYLE)


def _renderer(fig: mpl.figure.Figure):
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def add_source_line(fig: mpl.figure.Figure, source: str) -> mpl.text.Text:
    """Write 'Source: ...' in small grey type just under everything drawn (no empty band above it).

    The line is placed under the lowest axes, tick label, axis label or figure legend; the book saves
    figures with a tight bounding box, so the canvas grows to hold it.
    """
    renderer = _renderer(fig)
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_visible()]
    boxes += [legend.get_window_extent(renderer) for legend in fig.legends]
    boxes = [box for box in boxes if box is not None]
    lowest = min((box.y0 for box in boxes), default=0.0)
    gap_px = 0.6 * mpl.rcParams["font.size"] * fig.dpi / 72
    y = (lowest - gap_px) / fig.bbox.height
    return fig.text(
        0.01,
        y,
        f"Source: {source}",
        ha="left",
        va="top",
        fontsize=legible_font_pt(fig),
        color=LIGHT["muted"],
        wrap=True,
        gid="twotracks-source",
    )


def legible_font_pt(fig: mpl.figure.Figure) -> float:
    """The smallest font size (pt) that shows at MIN_DISPLAY_PT once the figure is scaled to the page.

    Labels that a notebook places itself (clear of each other) are to be set at least this size from the
    start: publish_figure raises smaller text to it, and a label enlarged after placing can cover its neighbour.
    """
    width = fig.get_figwidth()
    return round(MIN_DISPLAY_PT * max(1.0, width / PAGE_FIGURE_WIDTH_IN), 1)


def _label_box(text: mpl.text.Text, renderer, dpi: float) -> Bbox:
    """A text's own box (an annotation's would include its leader line), less a margin for glyphs that touch:
    a tenth of the font size off each side across its lines, 1% off each end along them. The margin is taken in
    the text's own direction: a label rotated upright has its length in its box's height, and the margin that
    suits the height of a line would hide a collision with whatever its far end runs into (a title, say)."""
    box = mpl.text.Text.get_window_extent(text, renderer)
    across = 0.1 * text.get_fontsize() * dpi / 72
    angle = text.get_rotation() % 180
    if abs(angle - 90) < 1:
        dx, dy = across, 0.01 * box.height
    elif angle < 1 or angle > 179:
        dx, dy = 0.01 * box.width, across
    else:  # slanted: its box is mostly empty corners; no margin to add to that
        dx = dy = 0.0
    dx, dy = min(dx, box.width / 4), min(dy, box.height / 4)
    return Bbox.from_extents(box.x0 + dx, box.y0 + dy, box.x1 - dx, box.y1 - dy)


def _drawn_tick_labels(fig: mpl.figure.Figure) -> list[mpl.text.Text]:
    """The tick labels drawn: those of ticks inside their axis' view (the others exist but are not drawn)."""
    labels = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            slack = (hi - lo) * 1e-9
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if lo - slack <= tick.get_loc() <= hi + slack:
                    labels += [t for t in (tick.label1, tick.label2) if t.get_visible() and t.get_text().strip()]
    return labels


def _marks(fig: mpl.figure.Figure) -> list[tuple[str, Bbox]]:
    """The data marks (markers of lines and scatters) inside their axes, each as a name and its display box."""
    marks = []
    for ax in fig.axes:
        inside = ax.get_window_extent()
        found = []  # (display points, half-size of each in points)
        for line in ax.get_lines():
            if line.get_visible() and line.get_marker() not in (None, "", " ", "None", "none"):
                found.append((line.get_transform().transform(line.get_xydata()), [line.get_markersize() / 2]))
        for coll in ax.collections:
            if isinstance(coll, mpl.collections.PathCollection) and coll.get_visible() and len(coll.get_offsets()):
                sizes = coll.get_sizes()
                found.append(
                    (
                        coll.get_offset_transform().transform(coll.get_offsets()),
                        [s**0.5 / 2 for s in (sizes if len(sizes) else [36.0])],
                    )
                )
        for points, halves in found:
            for i, (x, y) in enumerate(points):
                half = halves[i % len(halves)] * fig.dpi / 72
                if inside.x0 <= x <= inside.x1 and inside.y0 <= y <= inside.y1:
                    xv, yv = ax.transData.inverted().transform((x, y))
                    marks.append(
                        (
                            f"the data mark at ({xv:.4g}, {yv:.4g})",
                            Bbox.from_extents(x - half, y - half, x + half, y + half),
                        )
                    )
    return marks


def overlapping_labels(fig: mpl.figure.Figure) -> list[tuple[str, str]]:
    """Pairs of texts that cover each other, and texts that cover a data mark.

    Texts are titles, labels, annotations, legend entries and the tick labels drawn (tick labels that run into
    each other, too). A label is judged by its own box, in its own direction; a multi-line label is one text,
    so the check cannot tell whose line is whose within it: write one item per line. A text (or the box drawn
    behind it) that covers a marker of a line or a scatter is reported with the mark's data coordinates.
    """
    fig.draw_without_rendering()  # legends and annotations take their places only when drawn
    renderer = fig.canvas.get_renderer()
    ticks = _drawn_tick_labels(fig)
    tick_ids = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis) for t in axis.get_ticklabels(which="both")}
    others = [
        t for t in fig.findobj(mpl.text.Text) if t.get_visible() and t.get_text().strip() and id(t) not in tick_ids
    ]
    boxes = [(t, _label_box(t, renderer, fig.dpi)) for t in [*others, *ticks]]
    pairs = [
        (a.get_text(), b.get_text())
        for i, (a, box) in enumerate(boxes)
        for b, other in boxes[i + 1 :]
        if box.overlaps(other)
    ]
    marks = _marks(fig)
    for text, box in boxes[: len(others)]:
        patch = text.get_bbox_patch()
        if patch is not None and patch.get_visible() and patch.get_facecolor()[3] > 0:
            box = Bbox.union([box, patch.get_window_extent(renderer)])  # an opaque box hides what it covers
        pairs += [(text.get_text(), name) for name, mark in marks if box.overlaps(mark)]
    return pairs


def enforce_min_font(fig: mpl.figure.Figure) -> list[str]:
    """Raise every text smaller than the legible minimum to it; returns the texts raised (for the author)."""
    floor = legible_font_pt(fig)
    raised = []
    for ax in fig.axes:  # tick labels are re-created at draw time from the axis' own settings
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            ticks = axis.get_major_ticks()
            if ticks and ticks[0].label1.get_fontsize() < floor - 1e-6:
                ax.tick_params(axis=name, which="both", labelsize=floor)
                raised.append(f"{name} tick labels")
    for text in fig.findobj(mpl.text.Text):
        if text.get_text() and text.get_visible() and text.get_fontsize() < floor - 1e-6:
            raised.append(text.get_text())
            text.set_fontsize(floor)
    return raised


def figure_data_path(name: str, folder: Path | None = None) -> Path:
    return (folder or FIGURE_DATA_DIR) / f"{name}.csv"


def figure_file_paths(name: str, folder: Path | None = None) -> dict[str, Path]:
    """The files ``publish_figure`` writes for figure ``name``: csv, svg, png (slide, light), dark png (slide),
    and the dark page png (the chapter's image in the dark theme: cropped as the light one is, not padded to 16:9)."""
    folder = folder or FIGURE_DATA_DIR
    return {
        "csv": folder / f"{name}.csv",
        "svg": folder / f"{name}.svg",
        "png": folder / f"{name}.png",
        "dark_png": folder / f"{name}-dark.png",
        "dark_page_png": folder / f"{name}-dark-page.png",
    }


def save_figure_data(frame: pd.DataFrame, name: str, folder: Path | None = None) -> Path:
    """Write the data a figure plots as CSV beside the notebooks, for the reader to download."""
    path = figure_data_path(name, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def _svg_bytes(fig: mpl.figure.Figure) -> bytes:
    buffer = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": "twotracks", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata=SVG_METADATA)
    return buffer.getvalue()


def _render(fig: mpl.figure.Figure, dpi: float, background: str):
    """The figure drawn at ``dpi``, cropped to what is drawn (as glue renders it), as an RGB Pillow image."""
    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", facecolor=background)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def _png_bytes(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)  # Pillow writes no date or software chunk: reproducible
    return buffer.getvalue()


def _slide_png_bytes(fig: mpl.figure.Figure, background: str) -> bytes:
    """The figure as a SLIDE_PX PNG: drawn as large as fits, centred on its own background."""
    from PIL import Image

    probe = _render(fig, SLIDE_DPI, background)
    scale = min(SLIDE_PX[0] / probe.width, SLIDE_PX[1] / probe.height)
    image = _render(fig, SLIDE_DPI * scale * 0.995, background) if abs(scale - 1) > 1e-3 else probe
    image = image.crop((0, 0, min(image.width, SLIDE_PX[0]), min(image.height, SLIDE_PX[1])))
    canvas = Image.new("RGB", SLIDE_PX, background)
    canvas.paste(image, ((SLIDE_PX[0] - image.width) // 2, (SLIDE_PX[1] - image.height) // 2))
    return _png_bytes(canvas)


def _luminance(colour) -> float:
    r, g, b, _ = to_rgba(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _neutral(colour) -> bool:
    """A grey (black and white included): a notebook's ink or paper, not a data colour of the palette."""
    r, g, b, _ = to_rgba(colour)
    return max(r, g, b) - min(r, g, b) < 0.1


def DARK_SWAP(colour):  # noqa: N802 (used like a constant mapping)
    """One RGBA colour of a mark for a dark page: dark greys (the light page's ink) become the dark text colour,
    near-white (its paper) the background; the palette's colours stay, a faint one less faint (_less_faint)."""
    r, g, b, alpha = to_rgba(colour)
    if alpha == 0:
        return (r, g, b, alpha)
    if _neutral(colour) and _luminance(colour) < 0.4:
        return (*to_rgba(DARK["text"])[:3], alpha)
    if _neutral(colour) and _luminance(colour) > 0.92:
        return (*to_rgba(DARK["background"])[:3], alpha)
    return (r, g, b, _less_faint(alpha))


def _less_faint(alpha: float) -> float:
    """A faint mark (alpha under 0.5, a span drawn behind its markers, say) was faint against white, not black."""
    return min(1.0, alpha + 0.25) if alpha < 0.5 else alpha


def _dark_text(colour, source_line: bool) -> tuple:
    """A text's colour on a dark page: dark grey becomes light; a dark data colour (a label in the palette's
    vermillion, say) is lightened, keeping its hue, rather than turned white."""
    if _neutral(colour) and _luminance(colour) < 0.5:
        return to_rgba(DARK["muted"] if source_line else DARK["text"])
    if _luminance(colour) < 0.45:
        r, g, b, alpha = to_rgba(colour)
        return (r + (1 - r) * 0.45, g + (1 - g) * 0.45, b + (1 - b) * 0.45, alpha)
    return to_rgba(colour)


def _light_patch_under(text: mpl.text.Text, renderer) -> mpl.patches.Patch | None:
    """The light patch of its axes that ``text`` is written on (a pale tile of a map, say), if any: the two keep
    their light-page colours, where light text would vanish on the tile, or dark text on a darkened one."""
    ax = text.axes
    if ax is None or not text.get_text().strip():
        return None
    box = text.get_window_extent(renderer)
    centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    under = [p for p in ax.patches if p.get_visible() and p.contains_point(centre)]
    if not under:
        return None
    top = max(under, key=lambda p: p.get_zorder())
    face = top.get_facecolor()
    return top if face[3] > 0.5 and _luminance(face) > 0.55 else None


def restyle_dark(fig: mpl.figure.Figure) -> None:
    """Redraw ``fig`` for a dark page: dark background, light text, axes and grid; data colours kept
    (greys and white swapped for the dark theme's text and background, see DARK_SWAP and _dark_text)."""
    background = DARK["background"]
    renderer = _renderer(fig)
    tiles = {t: _light_patch_under(t, renderer) for t in fig.findobj(mpl.text.Text)}
    keep = {id(artist) for text, tile in tiles.items() if tile is not None for artist in (text, tile)}
    kept_faces = {tuple(tile.get_facecolor()) for tile in tiles.values() if tile is not None}  # and their key's
    fig.set_facecolor(background)
    for ax in fig.axes:
        ax.set_facecolor(background)
        for spine in ax.spines.values():
            spine.set_edgecolor(DARK["tick"])
        ax.tick_params(colors=DARK["tick"], which="both")
        for line in ax.get_xgridlines() + ax.get_ygridlines():
            line.set_color(DARK["grid"])
    for legend in [*fig.legends, *(ax.get_legend() for ax in fig.axes)]:
        if legend is None:
            continue
        if legend.get_frame() is not None:
            legend.get_frame().set_facecolor(background)
            legend.get_frame().set_edgecolor(DARK["grid"])
        for swatch in legend.get_patches():  # a dark swatch (the palette's navy) needs an outline on black
            if swatch.get_edgecolor()[3] == 0 or swatch.get_linewidth() == 0:
                swatch.set_edgecolor(DARK["muted"])
                swatch.set_linewidth(0.6)
    grid = {id(g) for ax in fig.axes for g in ax.get_xgridlines() + ax.get_ygridlines()}
    for text in fig.findobj(mpl.text.Text):
        if id(text) not in keep:
            text.set_color(_dark_text(text.get_color(), text.get_gid() == "twotracks-source"))
        patch = text.get_bbox_patch()  # a label's box: white paper becomes the dark page, anything else stays
        if patch is not None and _luminance(patch.get_facecolor()) > 0.8:
            patch.set_facecolor(background)
        if patch is not None and patch.get_edgecolor()[3] > 0 and _luminance(patch.get_edgecolor()) > 0.8:
            patch.set_edgecolor(background)
    for line in fig.findobj(mpl.lines.Line2D):
        if id(line) in grid:
            continue
        if line.get_alpha() is not None:
            line.set_alpha(_less_faint(line.get_alpha()))
        for getter, setter in (
            (line.get_color, line.set_color),
            (line.get_markerfacecolor, line.set_markerfacecolor),
            (line.get_markeredgecolor, line.set_markeredgecolor),
        ):
            colour = getter()
            if not (isinstance(colour, str) and colour in ("none", "auto")):
                r, g, b, _ = DARK_SWAP(to_rgba(colour))
                setter((r, g, b))
    for patch in fig.findobj(mpl.patches.Patch):
        if patch is fig.patch or any(patch is ax.patch for ax in fig.axes) or id(patch) in keep:
            continue
        if tuple(patch.get_facecolor()) in kept_faces:  # a legend's swatch for kept tiles: drawn as they are
            continue
        patch.set_facecolor(DARK_SWAP(patch.get_facecolor()))
        patch.set_edgecolor(DARK_SWAP(patch.get_edgecolor()))
    for collection in fig.findobj(mpl.collections.Collection):
        faces = collection.get_facecolor()
        if len(faces):
            collection.set_facecolor([DARK_SWAP(c) for c in faces])
        edges = collection.get_edgecolor()
        if len(edges):
            collection.set_edgecolor([DARK_SWAP(c) for c in edges])


def write_figure_files(fig: mpl.figure.Figure, name: str, folder: Path | None = None) -> dict[str, Path]:
    """Write the light SVG and slide PNG of ``fig``; the dark PNG is written by ``write_dark_png``."""
    paths = figure_file_paths(name, folder)
    paths["svg"].parent.mkdir(parents=True, exist_ok=True)
    _write_if_changed(paths["svg"], _svg_bytes(fig))
    _write_if_changed(paths["png"], _slide_png_bytes(fig, LIGHT["background"]))
    return paths


def _page_png_bytes(fig: mpl.figure.Figure, background: str) -> bytes:
    """The figure as the chapter shows it: at the figure's own dpi, as glue renders the light one."""
    return _png_bytes(_render(fig, fig.dpi, background))


def write_dark_png(fig: mpl.figure.Figure, name: str, folder: Path | None = None) -> Path:
    """Restyle ``fig`` for the dark theme (in place) and write its slide PNG and its page PNG."""
    paths = figure_file_paths(name, folder)
    restyle_dark(fig)
    _write_if_changed(paths["dark_png"], _slide_png_bytes(fig, DARK["background"]))
    _write_if_changed(paths["dark_page_png"], _page_png_bytes(fig, DARK["background"]))
    return paths["dark_png"]


def publish_figure(
    fig: mpl.figure.Figure, name: str, data: pd.DataFrame, source: str, folder: Path | None = None, glue_it: bool = True
) -> None:
    """Finish a figure for the book: legible text (refused if a label then covers another), source line, plotted data saved as CSV, the figure
    saved as SVG, a slide PNG and a dark-theme slide PNG, and the light figure glued under ``name``.

    The book places it with a ``glue:figure`` directive that gives its caption, alt text and label.
    Returns None, so a cell ending with it shows nothing; ``figure_file_paths(name)`` names the files.
    """
    enforce_min_font(fig)
    if overlaps := overlapping_labels(fig):
        plt.close(fig)
        shown = "; ".join(f"{' '.join(a.split())!r} and {' '.join(b.split())!r}" for a, b in overlaps[:5])
        raise ValueError(
            f"figure {name}: {len(overlaps)} label(s) cover another label or a data mark, at their legible size: {shown}"
        )
    add_source_line(fig, source)
    save_figure_data(data, name, folder)
    write_figure_files(fig, name, folder)
    if glue_it:
        from myst_nb import glue

        glue(name, fig, display=False)  # the light figure, rendered now, before the dark restyle
    write_dark_png(fig, name, folder)
    plt.close(fig)
    return None
