"""Stage 1: read article files and their metadata; clean the text and mark what is not narrative.

Reads .txt, .md (optional front matter), .html/.htm (main text extracted), .json (one record or a
list of records) and .jsonl (one record per line). Metadata comes from a `manifest.csv` beside the
files (file,title,outlet,published,url — extra columns ignored), then front matter / record fields.

Bad input never stops the others: each unreadable article becomes a `Problem` with a reason, and
a bad manifest date is reported (the article still loads, undated) rather than guessed.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import hashlib
import io
import json
import logging
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path, PurePosixPath

from data.clean import find_marked_spans
from data.schema import Article, Problem

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
# Files that sit beside articles in a corpus folder but are not articles.
NOT_ARTICLES = re.compile(r"^(readme|license|licence|changelog|notice)(\..*)?$", re.IGNORECASE)
# A news article is a few kB; a 5 MB file is a dump or a mistake, and would stall a worker.
# Checked before a file is read (a bigger one is never read whole).
MAX_ARTICLE_BYTES = 5_000_000
# The longest text one article may have (the longest of the development corpus: 28,000
# characters). Extraction grows linearly but a text dense with events costs ~8 microseconds a
# character, so this keeps the worst article within a few seconds.
MAX_ARTICLE_CHARS = 500_000
# Byte order marks of the wide encodings: a file that starts with one is text in that encoding,
# not binary for its NUL bytes (UTF-32 before UTF-16, whose little-endian mark begins UTF-32's).
# UTF-8's mark is read by the "utf-8-sig" decoding below.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of control characters above which a file is taken to be binary, not text.
MAX_CONTROL_SHARE = 0.05
# Control characters other than tab, newline, form feed and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")

TEXT_FIELDS = ("text", "body", "content", "article", "maintext")
TITLE_FIELDS = ("title", "headline")
OUTLET_FIELDS = ("outlet", "source", "publisher", "site", "source_name")
PUBLISHED_FIELDS = ("published", "date", "date_publish", "publish_date", "published_at", "pubdate")
URL_FIELDS = ("url", "link", "source_url")
ID_FIELDS = ("id", "article_id", "uid", "guid")


class ArticleError(ValueError):
    """An article that cannot be read; its message is shown to the user."""


def parse_published(value: object) -> date | None:
    """A publication date from metadata: ISO day (time part ignored); empty -> None.

    Raises ArticleError for text that is not a real calendar day, so it is reported, not guessed.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not match:
        raise ArticleError(f"publication date {text!r} is not YYYY-MM-DD")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        raise ArticleError(f"publication date {text!r} is not a calendar day ({error})") from None


def read_manifest(folder: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """The manifest rows of a folder keyed by file name, and problems found in the manifest:
    a row without a file name, for no file of the folder, repeating a file (the first row
    counts), or with fewer fields than the header (its metadata is kept, the rest blank).
    A manifest that is not UTF-8 is read as Windows-1252, with a problem."""
    path = folder / "manifest.csv"
    if not path.is_file():
        return {}, []
    problems: list[Problem] = []
    rows: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}

    def report(message: str) -> None:
        problems.append(Problem("manifest.csv", "manifest", message))

    try:
        try:
            raw = read_limited(path)
        except ArticleError as error:
            report(f"{error}; the manifest is ignored")
            return {}, problems
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
            report("not valid UTF-8; decoded as Windows-1252/Latin-1")
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [name.strip().lower() for name in next(reader, [])]
        if "file" not in header:
            report("no 'file' column in the header; the manifest is ignored")
            return {}, problems
        for row in reader:
            line_no = reader.line_num
            if not any(value.strip() for value in row):
                continue
            if len(row) < len(header):
                report(f"line {line_no}: {len(row)} fields where the header has {len(header)}")
            values = dict(zip(header, (value.strip() for value in row), strict=False))
            name = values.get("file", "")
            if not name:
                report(f"line {line_no}: no file name")
                continue
            if name in first_line:
                report(f"line {line_no}: {name} is listed again (first on line {first_line[name]}, which is used)")
                continue
            first_line[name] = line_no
            if Path(name).name != name or not (folder / name).is_file():
                report(f"line {line_no}: no file {name!r} in this folder")
                continue
            rows[name] = {key: value for key, value in values.items() if key}
    except (OSError, csv.Error) as error:
        report(f"cannot read manifest: {error}")
    return rows, problems


def iter_article_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path]]:
    """(file, root) for every article file under the given files and folders, sorted."""
    for given in paths:
        root = Path(given)
        if root.is_file():
            yield root, root.parent
            continue
        if not root.is_dir():
            raise FileNotFoundError(f"no such file or folder: {root}")
        for path in sorted(root.rglob("*")):
            if (
                path.is_file()
                and path.suffix.lower() in ARTICLE_SUFFIXES
                and not NOT_ARTICLES.match(path.name)
                and not any(part.startswith(".") for part in path.relative_to(root).parts)
            ):
                yield path, root


def article_id_for(path: Path, root: Path) -> str:
    """The path relative to the folder given, without extension, with forward slashes; with its
    extension when another article file of its folder has the same stem (report.md, report.txt),
    so the two never share an id."""
    relative = path.relative_to(root) if path.is_relative_to(root) else Path(path.name)
    if _shared_stem(path):
        return relative.as_posix()
    return relative.with_suffix("").as_posix()


def _shared_stem(path: Path) -> bool:
    """Whether another article file of path's folder has path's stem."""
    folder = path.parent
    try:
        listed = folder.stat().st_mtime_ns
    except OSError:
        return False
    return path.stem in _stems_shared(folder, listed)


@functools.lru_cache(maxsize=256)
def _stems_shared(folder: Path, listed: int) -> frozenset[str]:
    """Stems that more than one article file of `folder` has (`listed`: the folder's
    modification time, so a file added or removed makes a new entry)."""
    seen: set[str] = set()
    shared: set[str] = set()
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if entry.suffix.lower() in ARTICLE_SUFFIXES and not NOT_ARTICLES.match(entry.name):
                (shared if entry.stem in seen else seen).add(entry.stem)
    return frozenset(shared)


def outside_root(path: Path, root: Path) -> bool:
    """Whether `path` is, or links to, a file outside the folder it was found in (a symbolic link
    to /etc/passwd is not an article of the corpus)."""
    try:
        return not path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop
        return True


def too_big(size: int) -> str:
    """The reason a file of `size` bytes is not read."""
    return f"file is {size / 1e6:.1f} MB, over the {MAX_ARTICLE_BYTES / 1e6:.0f} MB limit for one article"


def read_limited(path: Path) -> bytes:
    """A file's bytes, never more than MAX_ARTICLE_BYTES of them read (the size is checked first,
    and the read bounded, for a file that grows meanwhile). Raises ArticleError when bigger."""
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise ArticleError(too_big(size))
    with open(path, "rb") as handle:
        raw = handle.read(MAX_ARTICLE_BYTES + 1)
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ArticleError(too_big(max(size, len(raw))))
    return raw


def decode_bytes(raw: bytes) -> tuple[str, str | None]:
    """Text of a file and a warning when it was not UTF-8. Raises ArticleError for binary data."""
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ArticleError(too_big(len(raw)))
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as error:
                raise ArticleError(
                    f"starts with a {encoding.upper()} byte order mark but is not {encoding.upper()} ({error.reason})"
                ) from None
            if not text.strip():
                raise ArticleError("empty file")
            return text, None
    if not raw.strip():
        raise ArticleError("empty file")
    sample = raw[:8192]
    if b"\x00" in sample:
        raise ArticleError("binary file (contains NUL bytes), not text")
    try:
        text, warning = raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        # cp1252 is a superset of Latin-1's printable range and what "Latin-1" news files usually are.
        text = raw.decode("cp1252", errors="replace")
        warning = "not valid UTF-8; decoded as Windows-1252/Latin-1"
    controls = len(CONTROL_CHARACTERS.findall(text, 0, 8192))
    if controls > MAX_CONTROL_SHARE * min(len(text), 8192):
        raise ArticleError("binary file (control characters), not text")
    return text, warning


def normalise_newlines(text: str) -> str:
    """Cleaned text keeps every character but turns CR/CRLF into LF, so offsets are stable."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """`---`-delimited `key: value` front matter of a Markdown file, and the body after it."""
    match = re.match(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", text, re.DOTALL)
    if not match:
        return {}, text
    meta = {}
    for line in match[1].splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().strip("'\"")
    return meta, text[match.end() :]


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Main text of a web page (boilerplate, scripts and markup dropped) and its metadata."""
    import trafilatura  # imported here: only HTML input pays for it

    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, favor_recall=True, with_metadata=True
    )
    text = ""
    meta: dict[str, str] = {}
    if document is not None:
        record = document.as_dict() if hasattr(document, "as_dict") else dict(document)
        text = record.get("text") or ""
        for key in ("title", "date", "url", "sitename"):
            if record.get(key):
                meta[key] = str(record[key])
    if not text.strip():
        # Pages trafilatura judges to have no main text: fall back to all visible text.
        from lxml import html as lxml_html

        tree = lxml_html.fromstring(html)
        for node in tree.xpath("//script|//style|//noscript|//template"):
            node.drop_tree()
        text = "\n".join(line.strip() for line in tree.text_content().splitlines() if line.strip())
    return text, meta


def _first(record: dict, fields: tuple[str, ...]) -> str:
    for name in fields:
        value = record.get(name)
        if value not in (None, ""):
            return str(value)
    return ""


def _metadata(manifest_row: dict[str, str], fallback: dict[str, str]) -> dict[str, str]:
    """Manifest first, then the file's own metadata."""
    merged = {
        k: _first(fallback, fields)
        for k, fields in (
            ("title", TITLE_FIELDS),
            ("outlet", OUTLET_FIELDS + ("sitename",)),
            ("published", PUBLISHED_FIELDS),
            ("url", URL_FIELDS),
        )
    }
    for key in ("title", "outlet", "published", "url"):
        if manifest_row.get(key):
            merged[key] = manifest_row[key]
    return merged


def make_article(
    article_id: str,
    text: str,
    meta: dict[str, str],
    *,
    source_path: str,
    problems: list[Problem],
) -> Article:
    """An Article from raw text and metadata: newlines normalised, non-narrative parts marked."""
    text = normalise_newlines(text)
    if not text.strip():
        raise ArticleError("no text")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(f"text is {len(text):,} characters, over the {MAX_ARTICLE_CHARS:,} limit for one article")
    try:
        published = parse_published(meta.get("published"))
    except ArticleError as error:
        problems.append(Problem(article_id, "metadata", f"{error}; loaded without a publication date"))
        published = None
    title = meta.get("title", "")
    return Article(
        article_id=article_id,
        text=text,
        title=title,
        outlet=meta.get("outlet", ""),
        url=meta.get("url", ""),
        published=published,
        source_path=source_path,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
        marked=tuple(find_marked_spans(text, title=title)),
    )


def _records(path: Path, text: str) -> Iterator[tuple[str, object]]:
    """(record key, record) of a .json or .jsonl file. A bad line of a .jsonl file is an
    ArticleError in the record's place, and the lines after it still load."""
    if path.suffix.lower() == ".jsonl":
        # Lines end at "\n" only: JSON strings may hold U+2028, U+0085 or a form feed, at which
        # str.splitlines would cut a record in two.
        for line_no, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                try:
                    yield str(line_no), json.loads(line)
                except json.JSONDecodeError as error:
                    yield str(line_no), ArticleError(f"line {line_no}: invalid JSON ({error.msg})")
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ArticleError(f"invalid JSON ({error.msg} at line {error.lineno})") from None
    items = data if isinstance(data, list) else data.get("articles", [data]) if isinstance(data, dict) else None
    if items is None:
        raise ArticleError("JSON is neither a record nor a list of records")
    for index, record in enumerate(items, start=1):
        yield str(index), record


def read_file(path: Path, root: Path, manifest_row: dict[str, str]) -> tuple[list[Article], list[Problem]]:
    """Every article in one file, and the problems met; raises nothing for bad content."""
    base_id = article_id_for(path, root)
    problems: list[Problem] = []
    articles: list[Article] = []
    try:
        if outside_root(path, root):
            raise ArticleError("a link to a file outside the folder; not read")
        text, warning = decode_bytes(read_limited(path))
        if warning:
            problems.append(Problem(base_id, "read", warning))
        suffix = path.suffix.lower()
        if suffix in (".json", ".jsonl"):
            for key, record in _records(path, text):
                if isinstance(record, ArticleError):
                    problems.append(Problem(f"{base_id}:{key}", "read", str(record)))
                    continue
                if not isinstance(record, dict):
                    problems.append(Problem(f"{base_id}:{key}", "read", "record is not a JSON object"))
                    continue
                record = {str(k).lower(): v for k, v in record.items()}
                record_id = f"{PurePosixPath(base_id).name}:{_first(record, ID_FIELDS) or key}"
                if path.parent != root:
                    record_id = f"{path.parent.relative_to(root).as_posix()}/{record_id}"
                body = _first(record, TEXT_FIELDS)
                if not body.strip():
                    problems.append(Problem(record_id, "read", "record has no text field (text/body/content)"))
                    continue
                try:
                    articles.append(
                        make_article(record_id, body, _metadata({}, record), source_path=str(path), problems=problems)
                    )
                except ArticleError as error:
                    problems.append(Problem(record_id, "read", str(error)))
            return articles, problems
        meta: dict[str, str] = {}
        if suffix in (".html", ".htm"):
            text, meta = html_to_text(text)
        elif suffix == ".md":
            meta, text = split_front_matter(text)
        articles.append(
            make_article(base_id, text, _metadata(manifest_row, meta), source_path=str(path), problems=problems)
        )
    except ArticleError as error:
        problems.append(Problem(base_id, "read", str(error)))
    except OSError as error:
        problems.append(Problem(base_id, "read", f"cannot read file: {error.strerror or error}"))
    except Exception as error:  # noqa: BLE001 - one malformed file must not stop the corpus
        log.exception("unexpected error reading %s", path)
        problems.append(Problem(base_id, "read", f"unexpected error: {type(error).__name__}: {error}"))
    return articles, problems


def read_articles(paths: Iterable[str | Path]) -> tuple[list[Article], list[Problem]]:
    """All articles under the given files/folders (with their manifests), and every problem met."""
    articles: list[Article] = []
    problems: list[Problem] = []
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    for path, root in iter_article_files(paths):
        folder = path.parent
        if folder not in manifests:
            manifests[folder], manifest_problems = read_manifest(folder)
            problems.extend(manifest_problems)
        found, trouble = read_file(path, root, manifests[folder].get(path.name, {}))
        articles.extend(found)
        problems.extend(trouble)
    return articles, problems
