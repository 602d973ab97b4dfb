"""Shared passages across a corpus too large for memory, from an index on disk.

`fazhi.corpus.find_shared_passages` holds every text and every LSH band key
in memory: five national years (700,000 reports of 15,000 characters) would
need about 78 GB. This index keeps them in one SQLite file instead, and new
reports are added to it without touching the ones already there.

- `reports` and `texts`: per report its name, path, a digest of its cleaned
  text (a report is indexed once), the text (zlib) and its layout: sentence
  offsets and each window's first and last sentence (zlib, int32).
- `band_keys`: for every band, the (LSH bucket key, window id) records,
  split into PARTS partitions by the key's top bits. Window ids run on from
  report to report in the order they were added. Each add writes one row per
  band and partition per batch of about FLUSH_RECORDS records; small batches
  are merged as they accumulate, so many small adds do not leave many rows.

Finding the shared passages reads one band partition at a time (a bucket
never spans two partitions) and collects the candidate window pairs (eight
bytes each). Each report with candidates is then read once, in order, for
the text of the sentences in its candidate windows (kept compactly, UTF-16),
and the pairs are checked exactly as `find_shared_passages` does; the
confirmed matches are extended and trimmed from their reports' texts, read
through a small cache. Memory therefore grows with the number of windows
(one byte each, for the common-wording marks), of candidate pairs and of the
sentences they cover, not with the text of the corpus.

The results are those of `find_shared_passages` over the indexed texts in
the order they were added (same candidates, same order of verification).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import multiprocessing
import sqlite3
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import lru_cache, partial
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from fazhi.corpus import (
    NUM_PERM,
    SEED,
    SHINGLE,
    SKETCH_VERSION,
    SharedPassage,
    WindowPairs,
    _bucket_pairs,
    _distinct,
    _params,
    _Sentences,
    _sketch_doc,
    common_docs_default,
    kept_chars,
    shared_passages,
)
from fazhi.processes import default_workers, fork_is_safe

FORMAT = 1
PARTS = 64
_PART_SHIFT = np.uint64(64 - 6)  # PARTS == 2 ** 6
# Band records buffered before they are written as one batch (12 bytes each).
FLUSH_RECORDS = 16_000_000
# Reports handed to the worker processes at a time.
_CHUNK = 256
# Reports whose text and layout stay cached while candidates are checked.
_CACHED_DOCS = 256
# Candidate pairs handled at a time (16 bytes each in the temporary arrays).
_CHUNK_PAIRS = 1 << 20
# Sentences whose shingles stay cached while candidates are checked.
_CACHED_SENTENCES = 4_096
_ZLIB_LEVEL = 1  # level 6 saves 15% of the text's space and costs 3x the time
_MAX_WINDOWS = 2**32 - 1  # window ids are uint32
_SQLITE_HEADER = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE reports(
    id INTEGER PRIMARY KEY,  -- 0, 1, 2 ... in the order added
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    digest BLOB NOT NULL UNIQUE,  -- SHA-256 of the cleaned text
    sentences INTEGER NOT NULL,
    first_window INTEGER NOT NULL,  -- window ids first_window .. + windows - 1
    windows INTEGER NOT NULL
);
CREATE TABLE texts(
    id INTEGER PRIMARY KEY REFERENCES reports(id),
    text BLOB NOT NULL,  -- zlib, UTF-8
    layout BLOB NOT NULL  -- zlib, int32: sentence starts, ends, window firsts, lasts
);
CREATE TABLE batches(id INTEGER PRIMARY KEY, records INTEGER NOT NULL);
CREATE TABLE band_keys(
    band INTEGER NOT NULL,
    part INTEGER NOT NULL,
    batch INTEGER NOT NULL REFERENCES batches(id),
    keys BLOB NOT NULL,  -- uint64
    windows BLOB NOT NULL  -- uint32
);
CREATE INDEX band_keys_by_part ON band_keys(band, part, batch);
"""

T = TypeVar("T")


class IndexFileError(Exception):
    """The index file cannot be used; the message is Chinese and says what to do."""


class Unreadable(Exception):
    """Raised by a report loader: the report is skipped; the message is Chinese."""


@dataclass(frozen=True)
class Report:
    name: str
    path: str
    text: str  # cleaned, as compared


@dataclass
class Added:
    added: int = 0
    duplicates: int = 0  # already in the index (same text)
    unreadable: int = 0


@dataclass
class _Prepared:
    name: str
    path: str
    digest: bytes
    text: bytes  # zlib
    layout: bytes  # zlib
    sentences: int
    windows: int
    keys: np.ndarray  # (windows, bands) uint64


def _prepare(
    load: Callable[[T], Report], min_chars: int, threshold: float, item: T
) -> _Prepared | str:
    """Load and sketch one report (in a worker process); a message if unreadable."""
    try:
        report = load(item)
    except Unreadable as exc:
        return str(exc)
    p = _params(min_chars, threshold)
    raw = report.text.encode("utf-8", "surrogatepass")
    sk = _sketch_doc(report.text, p)
    if sk is None:
        e = np.empty(0, dtype=np.int32)
        layout, keys = e, np.empty((0, p.bands), dtype=np.uint64)
        sentences = windows = 0
    else:
        layout = np.concatenate((sk.sent_start, sk.sent_end, sk.win_first, sk.win_last))
        keys = sk.keys
        sentences, windows = len(sk.sent_start), len(sk.win_first)
    return _Prepared(
        report.name,
        report.path,
        hashlib.sha256(raw).digest(),
        zlib.compress(raw, _ZLIB_LEVEL),
        zlib.compress(layout.astype(np.int32).tobytes(), _ZLIB_LEVEL),
        sentences,
        windows,
        keys,
    )


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _fingerprint(min_chars: int, threshold: float) -> str:
    """What band keys depend on: an index is usable only by code that agrees."""
    p = _params(min_chars, threshold)
    h = hashlib.sha256()
    h.update(json.dumps([FORMAT, SKETCH_VERSION, NUM_PERM, SEED, SHINGLE, PARTS]).encode())
    h.update(json.dumps([min_chars, threshold, p.bands, p.rows]).encode())
    for values in (p.perm_a, p.perm_b, p.band_mix):
        h.update(values.tobytes())
    return h.hexdigest()


def _sqlite_problem(path: Path, exc: sqlite3.Error) -> IndexFileError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return IndexFileError(f"索引“{path}”正被另一个程序写入，请等它结束后再试。")
    if "full" in text:
        return IndexFileError(f"磁盘空间不足，无法写入索引“{path}”；已收录的报告不受影响。")
    if "readonly" in text or "read-only" in text:
        return IndexFileError(f"没有写入索引“{path}”的权限。")
    if "malformed" in text or "not a database" in text or "no such table" in text:
        return IndexFileError(f"“{path}”不是 fazhi 比对索引，或者已经损坏。")
    return IndexFileError(f"无法读写索引“{path}”（SQLite 错误：{type(exc).__name__}）。")


class CorpusIndex(AbstractContextManager["CorpusIndex"]):
    """An index file of sketched reports; use `open_index` to get one."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        self.min_chars = int(meta["min_chars"])
        self.threshold = float(meta["threshold"])
        if meta.get("format") != str(FORMAT) or meta.get("fingerprint") != _fingerprint(
            self.min_chars, self.threshold
        ):
            raise IndexFileError(
                f"索引“{path}”由另一版本的 fazhi 建立，与当前版本不兼容，请删除后重新建立。"
            )
        self.bands = _params(self.min_chars, self.threshold).bands
        self._counts()

    def _counts(self) -> None:
        """Where each report's sentence and window ids start, from the stored counts."""
        rows = self.conn.execute("SELECT sentences, windows FROM reports ORDER BY id").fetchall()
        counts = np.array(rows, dtype=np.int64).reshape(-1, 2)
        zero = np.zeros((1, 2), dtype=np.int64)
        starts = np.concatenate((zero, np.cumsum(counts, axis=0)))
        self.first_sentence = starts[:, 0]  # (reports + 1,): the last is the total
        self.first_window = starts[:, 1]

    def __len__(self) -> int:
        return len(self.first_window) - 1

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _sql(self, sql: str, args: Iterable[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, tuple(args))
        except sqlite3.Error as exc:
            raise _sqlite_problem(self.path, exc) from exc

    # -- reading -------------------------------------------------------------

    def _unpack(self, blob: bytes) -> bytes:
        try:
            return zlib.decompress(blob)
        except zlib.error as exc:
            raise IndexFileError(f"索引“{self.path}”已经损坏，请删除后重新建立。") from exc

    def report(self, doc: int) -> tuple[str, str]:
        """Name and path of report `doc`."""
        name, path = self._sql("SELECT name, path FROM reports WHERE id = ?", (doc,)).fetchone()
        return name, path

    def text(self, doc: int) -> str:
        (blob,) = self._sql("SELECT text FROM texts WHERE id = ?", (doc,)).fetchone()
        return self._unpack(blob).decode("utf-8", "surrogatepass")

    def layout(self, doc: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Sentence starts and ends, and window first and last sentences (local)."""
        (blob,) = self._sql("SELECT layout FROM texts WHERE id = ?", (doc,)).fetchone()
        flat = np.frombuffer(self._unpack(blob), dtype=np.int32)
        n_sent = int(self.first_sentence[doc + 1] - self.first_sentence[doc])
        n_win = int(self.first_window[doc + 1] - self.first_window[doc])
        return np.split(flat, np.cumsum([n_sent, n_sent, n_win]))  # type: ignore[return-value]

    def _band_records(self, band: int, part: int) -> tuple[np.ndarray, np.ndarray]:
        rows = self._sql(
            "SELECT keys, windows FROM band_keys WHERE band = ? AND part = ? ORDER BY batch",
            (band, part),
        ).fetchall()
        keys = [np.frombuffer(k, dtype=np.uint64) for k, _ in rows]
        wins = [np.frombuffer(w, dtype=np.uint32) for _, w in rows]
        if not keys:
            return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint32)
        return np.concatenate(keys), np.concatenate(wins)

    # -- adding ----------------------------------------------------------------

    def add(
        self,
        items: Iterable[T],
        load: Callable[[T], Report],
        *,
        workers: int | None = None,
        on_skip: Callable[[str], None] = lambda message: None,
        on_progress: Callable[[int], None] = lambda done: None,
    ) -> Added:
        """Sketch and store the reports `load` makes of `items`.

        `load` runs in worker processes (`workers`, default all cores) and
        raises `Unreadable` for a report to skip; `on_skip` gets its message,
        `on_progress` the number of items done after each.
        A report whose text is already indexed is counted, not stored again.
        Each batch is committed with its reports, so an interrupted add keeps
        the batches before it.
        """
        workers = workers or default_workers()
        prepare = partial(_prepare, load, self.min_chars, self.threshold)
        pool: AbstractContextManager[Pool | None] = nullcontext()
        if workers > 1:
            context = multiprocessing.get_context("fork" if fork_is_safe() else None)
            pool = context.Pool(workers)
        added = Added()
        batch = _Batch(self)
        try:
            with pool as running:
                prepared_reports = self._prepared(_chunks(items, _CHUNK), prepare, running)
                for seen, prepared in enumerate(prepared_reports, 1):
                    if isinstance(prepared, str):
                        added.unreadable += 1
                        on_skip(prepared)
                    elif batch.put(prepared):
                        added.added += 1
                    else:
                        added.duplicates += 1
                    if batch.records >= FLUSH_RECORDS:
                        batch.write()
                        batch = _Batch(self)
                    on_progress(seen)
            batch.write()
            self._merge_small_batches()
        except sqlite3.Error as exc:
            self.conn.rollback()
            raise _sqlite_problem(self.path, exc) from exc
        except BaseException:
            self.conn.rollback()
            raise
        finally:
            self._counts()
        return added

    @staticmethod
    def _prepared(
        chunks: Iterator[list[T]],
        prepare: Callable[[T], _Prepared | str],
        pool: Pool | None,
    ) -> Iterator[_Prepared | str]:
        """Prepared reports in input order; the workers prepare one chunk ahead."""
        if pool is None:
            for chunk in chunks:
                yield from map(prepare, chunk)
            return
        pending = None
        for chunk in chunks:
            job = pool.map_async(prepare, chunk, chunksize=max(1, len(chunk) // 32))
            if pending is not None:
                yield from pending.get()
            pending = job
        if pending is not None:
            yield from pending.get()

    def _merge_small_batches(self) -> None:
        """Merge the newest batch into the one before while that is no more than twice its size.

        Batches written full are never rewritten; small adds merge like a
        binary counter, so an index keeps few rows per partition.
        """
        while True:
            self._sql("BEGIN IMMEDIATE")
            newest = self._sql(
                "SELECT id, records FROM batches ORDER BY id DESC LIMIT 2"
            ).fetchall()
            if len(newest) < 2 or newest[1][1] >= FLUSH_RECORDS or newest[1][1] > 2 * newest[0][1]:
                self._sql("COMMIT")
                return
            (last, last_n), (prev, prev_n) = newest
            for band in range(self.bands):
                for part in range(PARTS):
                    rows = self._sql(
                        "SELECT keys, windows FROM band_keys"
                        " WHERE band = ? AND part = ? AND batch IN (?, ?) ORDER BY batch",
                        (band, part, prev, last),
                    ).fetchall()
                    if len(rows) < 2:
                        self._sql(
                            "UPDATE band_keys SET batch = ? WHERE band = ? AND part = ? AND batch = ?",
                            (prev, band, part, last),
                        )
                        continue
                    self._sql(
                        "DELETE FROM band_keys WHERE band = ? AND part = ? AND batch IN (?, ?)",
                        (band, part, prev, last),
                    )
                    self._sql(
                        "INSERT INTO band_keys VALUES (?, ?, ?, ?, ?)",
                        (
                            band,
                            part,
                            prev,
                            b"".join(k for k, _ in rows),
                            b"".join(w for _, w in rows),
                        ),
                    )
            self._sql("UPDATE batches SET records = ? WHERE id = ?", (prev_n + last_n, prev))
            self._sql("DELETE FROM batches WHERE id = ?", (last,))
            self._sql("COMMIT")

    # -- finding shared passages -------------------------------------------------

    def find_shared_passages(self, *, common_docs: int | None = None) -> list[SharedPassage]:
        """`fazhi.corpus.find_shared_passages` over the indexed texts, in the order added."""
        # One read transaction: reports another process adds meanwhile wait.
        self._sql("BEGIN")
        try:
            self._counts()
            return self._find_shared_passages(common_docs)
        finally:
            self._sql("COMMIT")

    def _find_shared_passages(self, common_docs: int | None) -> list[SharedPassage]:
        n_docs = len(self)
        if common_docs is None:
            common_docs = common_docs_default(n_docs)
        if self.first_window[-1] == 0:
            return []
        pairs, kept = self._locate(self._candidates(common_docs))
        sentences = _Sentences(_IndexStore(self, kept), cache_limit=_CACHED_SENTENCES)
        group = np.arange(n_docs, dtype=np.int64)
        return shared_passages(pairs, sentences, group, self.min_chars, self.threshold, common_docs)

    def _candidates(self, common_docs: int) -> np.ndarray:
        """`corpus._candidates` from the band records, one partition at a time.

        Sorted, each pair as a * total + b for window ids a < b.
        """
        total = int(self.first_window[-1])
        first_window = self.first_window
        common = np.zeros(total, dtype=bool)
        found = np.empty(0, dtype=np.int64)
        for band in range(self.bands):
            band_found = [found]
            for part in range(PARTS):
                keys, wins = self._band_records(band, part)
                if len(keys) < 2:
                    continue

                def doc_of(at: np.ndarray, wins: np.ndarray = wins) -> np.ndarray:
                    return np.searchsorted(first_window, wins[at], side="right") - 1

                x, y, in_common = _bucket_pairs(keys, doc_of, common_docs)
                common[wins[in_common]] = True
                x, y = wins[x].astype(np.int64), wins[y].astype(np.int64)
                a, b = np.minimum(x, y), np.maximum(x, y)
                da = np.searchsorted(first_window, a, side="right")
                db = np.searchsorted(first_window, b, side="right")
                keep = da != db
                band_found.append(_distinct(a[keep] * total + b[keep]))
            # Merged band by band, without the pairs of windows already known to
            # be common wording, which would be dropped at the end anyway.
            found = _distinct(np.concatenate(band_found))
            found = found[~common[found // total] & ~common[found % total]]
        return found

    def _locate(self, candidates: np.ndarray) -> tuple[WindowPairs, _KeptText]:
        """Where the windows of candidate pairs lie, and the text of their sentences.

        Each report with a candidate is read once, in order; verifying the
        pairs then needs no report text (the pairs of one report reach
        across the whole corpus, so reading texts as they come would read
        one report once for every other report it is paired with).
        """
        total = int(self.first_window[-1])
        chunks = range(0, len(candidates), _CHUNK_PAIRS)
        windows = _distinct(
            np.concatenate(
                [np.empty(0, dtype=np.int64)]
                + [
                    _distinct(np.concatenate((c // total, c % total)))
                    for c in (candidates[lo : lo + _CHUNK_PAIRS] for lo in chunks)
                ]
            )
        )
        n = len(windows)
        pairs = np.empty(len(candidates), dtype=np.int64)
        for lo in chunks:
            c = candidates[lo : lo + _CHUNK_PAIRS]
            pairs[lo : lo + len(c)] = np.searchsorted(windows, c // total) * n + np.searchsorted(
                windows, c % total
            )
        docs = np.searchsorted(self.first_window, windows, side="right") - 1
        first = np.empty(n, dtype=np.int64)
        last = np.empty(n, dtype=np.int64)
        kept = _KeptText()
        bounds = np.flatnonzero(np.diff(docs, prepend=-1))
        for lo, hi in itertools.pairwise([*bounds.tolist(), n]):
            doc = int(docs[lo])
            starts, ends, win_first, win_last = self.layout(doc)
            local = windows[lo:hi] - self.first_window[doc]
            f, la = win_first[local], win_last[local]
            base = int(self.first_sentence[doc])
            first[lo:hi] = f + base
            last[lo:hi] = la + base
            # The sentences inside any of these windows.
            inside = np.zeros(len(starts) + 1, dtype=np.int64)
            np.add.at(inside, f, 1)
            np.add.at(inside, la + 1, -1)
            text = self.text(doc)
            for s in np.flatnonzero(np.cumsum(inside[:-1])).tolist():
                kept.add(base + s, kept_chars(text[starts[s] : ends[s]]))
        return WindowPairs(pairs, docs, first, last), kept


class _KeptText:
    """`kept_chars` of many sentences, compactly: UTF-16 in one buffer."""

    def __init__(self) -> None:
        self.ids = array("q")  # added in increasing order
        self.ends = array("q")
        self.buffer = bytearray()

    def add(self, s: int, kept: str) -> None:
        self.ids.append(s)
        self.buffer += kept.encode("utf-16-le", "surrogatepass")
        self.ends.append(len(self.buffer))

    def get(self, s: int) -> str | None:
        i = bisect.bisect_left(self.ids, s)
        if i == len(self.ids) or self.ids[i] != s:
            return None
        start = self.ends[i - 1] if i else 0
        return self.buffer[start : self.ends[i]].decode("utf-16-le", "surrogatepass")


@dataclass
class _Batch:
    """Reports being added and their band records, written together."""

    index: CorpusIndex
    keys: list[np.ndarray] = field(default_factory=list)
    windows: list[np.ndarray] = field(default_factory=list)
    records: int = 0
    started: bool = False
    next_doc: int = 0
    next_window: int = 0

    def put(self, r: _Prepared) -> bool:
        """Store a report's rows (uncommitted); False if its text is already indexed."""
        index = self.index
        if not self.started:
            index._sql("BEGIN IMMEDIATE")
            self.started = True
            # Another process may have added reports since this one opened the index.
            last = index._sql(
                "SELECT id, first_window + windows FROM reports ORDER BY id DESC LIMIT 1"
            ).fetchone()
            self.next_doc, self.next_window = (last[0] + 1, last[1]) if last else (0, 0)
        if index._sql("SELECT 1 FROM reports WHERE digest = ?", (r.digest,)).fetchone():
            return False
        doc, start = self.next_doc, self.next_window
        if start + r.windows > _MAX_WINDOWS:
            raise IndexFileError(f"索引“{index.path}”已达容量上限，请新建一个索引收录其余报告。")
        index._sql(
            "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc, r.name, r.path, r.digest, r.sentences, start, r.windows),
        )
        index._sql("INSERT INTO texts VALUES (?, ?, ?)", (doc, r.text, r.layout))
        self.next_doc += 1
        self.next_window += r.windows
        if r.windows:
            self.keys.append(r.keys)
            self.windows.append(np.arange(start, start + r.windows, dtype=np.uint32))
            self.records += r.windows * index.bands
        return True

    def write(self) -> None:
        """The band records, split by band and partition, and commit."""
        if not self.started:
            return
        index = self.index
        if self.records:
            cursor = index._sql("INSERT INTO batches (records) VALUES (?)", (self.records,))
            batch = cursor.lastrowid
            keys = np.concatenate(self.keys)
            windows = np.concatenate(self.windows)
            for band in range(index.bands):
                band_keys = keys[:, band]
                part = (band_keys >> _PART_SHIFT).astype(np.int64)
                order = np.argsort(part, kind="stable")
                bounds = np.searchsorted(part[order], np.arange(PARTS + 1))
                for p, (lo, hi) in enumerate(itertools.pairwise(bounds.tolist())):
                    if lo == hi:
                        continue
                    at = order[lo:hi]
                    index._sql(
                        "INSERT INTO band_keys VALUES (?, ?, ?, ?, ?)",
                        (band, p, batch, band_keys[at].tobytes(), windows[at].tobytes()),
                    )
        index._sql("COMMIT")


class _IndexStore:
    """Sentences of indexed reports: those of candidate windows from `kept`,
    the rest (which only confirmed matches need) from their report's text."""

    def __init__(self, index: CorpusIndex, kept: _KeptText) -> None:
        self.first_sentence = index.first_sentence
        self.sentences = int(index.first_sentence[-1])
        self.index = index
        self.prefetched = kept
        self._doc = lru_cache(maxsize=_CACHED_DOCS)(self._load)

    def _load(self, doc: int) -> tuple[str, list[int], list[int]]:
        starts, ends, _, _ = self.index.layout(doc)
        return self.index.text(doc), starts.tolist(), ends.tolist()

    def sentence(self, s: int) -> tuple[int, int, int]:
        doc = int(np.searchsorted(self.first_sentence, s, side="right")) - 1
        _, starts, ends = self._doc(doc)
        local = s - int(self.first_sentence[doc])
        return doc, starts[local], ends[local]

    def text(self, doc: int) -> str:
        return self._doc(doc)[0]

    def kept(self, s: int) -> str:
        got = self.prefetched.get(s)
        if got is None:
            doc, start, end = self.sentence(s)
            got = kept_chars(self.text(doc)[start:end])
        return got


def open_index(
    path: Path, *, create: bool, min_chars: int = 50, threshold: float = 0.8
) -> CorpusIndex:
    """The index at `path`; with `create`, a new empty one if there is none.

    Raises IndexFileError, with a Chinese message, for a path that is not a
    usable index.
    """
    if path.is_dir():
        raise IndexFileError(
            f"“{path}”是文件夹；请给出索引文件的路径，例如“{path / '比对索引.db'}”。"
        )
    if not path.exists():
        if not create:
            raise IndexFileError(
                f"找不到索引“{path}”。先运行 fazhi compare --index {path} 报告文件夹 建立索引。"
            )
        if not path.parent.is_dir():
            raise IndexFileError(f"无法建立索引“{path}”：文件夹“{path.parent}”不存在。")
        return _create(path, min_chars, threshold)
    try:
        with path.open("rb") as f:
            header = f.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise IndexFileError(f"无法读取索引“{path}”（{exc.strerror or exc}）。") from exc
    if header != _SQLITE_HEADER:
        raise IndexFileError(f"“{path}”不是 fazhi 比对索引，或者已经损坏。")
    return _connect(path)


def _connect(path: Path) -> CorpusIndex:
    conn = sqlite3.connect(path, isolation_level=None, timeout=5)
    try:
        return CorpusIndex(conn, path)
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.Error):
            raise _sqlite_problem(path, exc) from exc
        if isinstance(exc, KeyError | ValueError):  # meta rows missing or garbled
            raise IndexFileError(f"“{path}”不是 fazhi 比对索引，或者已经损坏。") from exc
        raise


def _create(path: Path, min_chars: int, threshold: float) -> CorpusIndex:
    # Built beside the target and renamed, so no half-made index is left behind.
    partial_path = path.with_name(path.name + ".new")
    try:
        partial_path.unlink(missing_ok=True)
        conn = sqlite3.connect(partial_path, isolation_level=None)
        with conn:
            conn.execute("PRAGMA page_size = 65536")
            conn.executescript(_SCHEMA)
            meta = {
                "format": str(FORMAT),
                "min_chars": str(min_chars),
                "threshold": repr(threshold),
                "fingerprint": _fingerprint(min_chars, threshold),
            }
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        conn.close()
        partial_path.replace(path)
    except sqlite3.Error as exc:
        partial_path.unlink(missing_ok=True)
        raise _sqlite_problem(path, exc) from exc
    except OSError as exc:
        partial_path.unlink(missing_ok=True)
        raise IndexFileError(f"无法建立索引“{path}”（{exc.strerror or exc}）。") from exc
    return _connect(path)
