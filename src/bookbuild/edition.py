"""The report's edition: title, authors, version and release date from CITATION.cff, plus the build date.

Everything the site and the PDFs say about which version a reader holds comes from here, so a citation is
never typed by hand and never disagrees with CITATION.cff.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .toc import ROOT, TOC

CITATION = ROOT / "CITATION.cff"
CONFIG = ROOT / "_config.yml"
DATAPACKAGE = ROOT / "data" / "datapackage.json"
#: Set at build time to publish under another address (empty: no address configured).
BASEURL_ENV = "TWOTRACKS_BASEURL"
EPOCH_ENV = "SOURCE_DATE_EPOCH"


class SettingError(ValueError):
    """A build setting that cannot be used; the message is one line naming the setting and its value."""


def base_url(config: Path = CONFIG) -> str | None:
    """The published site's address: $TWOTRACKS_BASEURL if set, else ``html.baseurl`` in _config.yml.

    None when neither is set: citations then say that no address is configured, and the PDFs drop links
    that would lead out of themselves to another page of the site. Anything but an http(s) address (a
    ``javascript:`` or ``file:`` one, a relative path, a query) would be printed into every citation and
    PDF: it raises SettingError.
    """
    value = os.environ.get(BASEURL_ENV)
    where = f"${BASEURL_ENV}"
    if value is None:
        spec = yaml.safe_load(config.read_text(encoding="utf-8")) if config.is_file() else {}
        value = ((spec or {}).get("html") or {}).get("baseurl") or ""
        where = f"html.baseurl in {config.name}"
    value = str(value).strip()
    if not value:
        return None
    parts = urlsplit(value)
    unsafe = any(c.isspace() or c in "<>\"'`\\" or ord(c) < 32 for c in value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment or unsafe:
        raise SettingError(
            f"{where} is {value!r}: the site's address must be an http(s) address such as https://example.org/report/"
        )
    return value.rstrip("/") + "/"


def data_as_of(descriptor: Path = DATAPACKAGE) -> str:
    """The data package's one ``as_of`` date (ISO), as every chapter states it."""
    import json

    return str(json.loads(descriptor.read_text(encoding="utf-8")).get("as_of", ""))


@dataclass(frozen=True)
class Edition:
    title: str
    authors: tuple[str, ...]
    version: str
    released: str  # ISO date, as CITATION.cff's date-released
    url: str | None  # the site's stable address, if CITATION.cff gives one (never guessed)

    @property
    def year(self) -> str:
        return self.released[:4]

    @property
    def author_text(self) -> str:
        return " and ".join(self.authors)

    def address(self, docname: str) -> str:
        """The stable address of a page: under the site's URL if known, else its path in the site."""
        page = f"{docname}.html"
        return f"{self.url.rstrip('/')}/{page}" if self.url else page


def _author(entry: dict) -> str:
    if "name" in entry:
        return str(entry["name"])
    return " ".join(str(entry[k]) for k in ("given-names", "name-particle", "family-names") if entry.get(k))


def load_edition(path: Path = CITATION) -> Edition:
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Edition(
        title=str(cff["title"]),
        authors=tuple(_author(a) for a in cff.get("authors", [])),
        version=str(cff["version"]),
        released=str(cff["date-released"]),
        url=cff.get("url"),
    )


def build_date() -> str:
    """Today's date (UTC), or the date of $SOURCE_DATE_EPOCH for a reproducible build (SettingError if that is
    not a whole number of seconds since 1970 in ASCII digits: ``int()`` would take "١٧٠٠" or " 17_00 ")."""
    epoch = os.environ.get(EPOCH_ENV, "")
    if not epoch:
        return dt.datetime.now(dt.UTC).date().isoformat()
    try:
        if not (epoch.isascii() and epoch.isdigit()):
            raise ValueError
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        raise SettingError(
            f"${EPOCH_ENV} is {epoch!r}: it must be a whole number of seconds since 1970-01-01 (e.g. 1764806400)"
        ) from None


def settings() -> dict[str, str | None]:
    """The build settings that change what a page says, checked (SettingError names the first that is wrong)."""
    return {"baseurl": base_url(), EPOCH_ENV: build_date() if os.environ.get(EPOCH_ENV) else None}


def chapter_numbers(toc: Path = TOC) -> dict[str, int]:
    """Docname -> chapter number, counting the files of the numbered parts of _toc.yml in order."""
    spec = yaml.safe_load(toc.read_text(encoding="utf-8"))
    numbers: dict[str, int] = {}
    for part in spec.get("parts", []) or []:
        if not part.get("numbered"):
            continue
        for chapter in part.get("chapters", []) or []:
            if "file" in chapter:
                numbers[str(Path(chapter["file"]).with_suffix("").as_posix())] = len(numbers) + 1
    return numbers


NO_ADDRESS = "Web address not configured for this copy."


@dataclass(frozen=True)
class ChapterCitation:
    inline: str
    full: str
    bibtex: str
    address: str | None  # absolute, or None when no base URL is configured
    ris: str = ""
    csl: dict | None = None


def _page_address(edition: Edition, docname: str | None, base: str | None) -> str | None:
    root = base or (edition.url.rstrip("/") + "/" if edition.url else None)
    if root is None:
        return None
    return root if docname is None else f"{root}{docname}.html"


def _date_parts(iso: str) -> list[int]:
    return [int(part) for part in iso.split("-")]


def cite_chapter(
    edition: Edition, docname: str, title: str, number: int | None, base: str | None = None
) -> ChapterCitation:
    """A chapter's citation in every form; ``base`` is the site's address (default: ``base_url()``)."""
    address = _page_address(edition, docname, base if base is not None else base_url())
    where = f"ch. {number}" if number else title
    chapter = f"Chapter {number} of " if number else "In "
    full = (
        f"{edition.author_text} ({edition.year}). \u201c{title}.\u201d {chapter}{edition.title}, "
        f"version {edition.version}, released {edition.released}. {address or NO_ADDRESS}"
    )
    inline = f"({edition.author_text} {edition.year}, {where})"
    key = f"twotracks{edition.year}-{Path(docname).name}"
    return _citation(edition, _CHAPTER, key, title, number, address, inline, full)


def cite_report(edition: Edition, base: str | None = None) -> ChapterCitation:
    address = _page_address(edition, None, base if base is not None else base_url())
    full = (
        f"{edition.author_text} ({edition.year}). {edition.title}, version {edition.version}, "
        f"released {edition.released}. {address or NO_ADDRESS}"
    )
    inline = f"({edition.author_text} {edition.year})"
    return _citation(edition, _REPORT, f"twotracks{edition.year}", edition.title, None, address, inline, full)


@dataclass(frozen=True)
class _RecordType:
    """What a work is called in each citation format, and whether it stands inside the report."""

    bibtex: str
    ris: str
    csl: str
    issuer: str  # the BibTeX field that names who issued it
    in_report: bool


_CHAPTER = _RecordType("incollection", "CHAP", "chapter", "publisher", in_report=True)
# @techreport: plain BibTeX knows it (biblatex maps it to @report)
_REPORT = _RecordType("techreport", "RPRT", "report", "institution", in_report=False)


def _citation(
    edition: Edition,
    record: _RecordType,
    key: str,
    title: str,
    number: int | None,
    address: str | None,
    inline: str,
    full: str,
) -> ChapterCitation:
    """The BibTeX, RIS and CSL-JSON forms of one work of the report, with its in-line and full forms."""
    fields = [
        ("author", f"{{{edition.author_text}}}"),
        ("title", f"{{{_bib(title)}}}"),
        *([("booktitle", f"{{{_bib(edition.title)}}}")] if record.in_report else []),
        *([("chapter", str(number))] if number else []),
        (record.issuer, f"{{{edition.author_text}}}"),
        ("year", edition.year),
        ("date", edition.released),
        ("version", edition.version),
        ("note", f"Version {edition.version}, released {edition.released}"),
        *([("url", address)] if address else []),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    ris_lines = [
        ("TY", record.ris),
        ("AU", edition.author_text),
        ("TI", title),
        *([("T2", edition.title)] if record.in_report else []),
        ("PB", edition.author_text),
        ("PY", edition.year),
        ("DA", edition.released.replace("-", "/")),
        ("ET", f"version {edition.version}"),
        *([("SE", f"Chapter {number}")] if number else []),
        *([("UR", address)] if address else []),
        ("LA", "en"),
        ("ER", ""),
    ]
    csl = {
        "id": key,
        "type": record.csl,
        "title": title,
        **({"container-title": edition.title} if record.in_report else {}),
        "author": [{"literal": a} for a in edition.authors],
        "publisher": edition.author_text,
        "issued": {"date-parts": [_date_parts(edition.released)]},
        "version": edition.version,
        **({"chapter-number": str(number)} if number else {}),
        **({"URL": address} if address else {}),
        "language": "en",
    }
    bibtex = f"@{record.bibtex}{{{key},\n{body}\n}}"
    return ChapterCitation(inline, full, bibtex, address, _ris(ris_lines), csl)


def _ris(lines: list[tuple[str, str]]) -> str:
    return "".join(f"{tag}  - {value}".rstrip() + "\r\n" for tag, value in lines)


def _bib(value: str) -> str:
    """Escape BibTeX's special characters; the caller braces the whole value, so case is kept."""
    return (
        value.replace("\\", r"\textbackslash{}")
        .replace("&", r"\&")
        .replace("%", r"\%")
        .replace("#", r"\#")
        .replace("$", r"\$")
        .replace("_", r"\_")
        .replace("{", r"\{")
        .replace("}", r"\}")
    )
