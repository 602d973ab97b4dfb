"""Long passages that two reports share, found across a whole corpus.

Comparing every report with every other is quadratic: 10,000 reports are 50
million pairs. Instead each report is cut into sentence windows, every window
gets a MinHash signature, and locality-sensitive hashing (LSH) puts windows
with similar signatures into the same bucket; only windows that meet in a
bucket are compared exactly.

1. Windows: within a paragraph (a line), every sentence (split at 。!?;) starts
   a window that takes in the following sentences until it holds `min_chars`
   letters, digits or CJK characters; the last sentences of a line get one
   more window that ends the line. A short paragraph is a single window.
2. Similarity is the Jaccard index of character 5-grams (shingles) taken
   within sentences after dropping whitespace and punctuation. That makes a
   window's MinHash the element-wise minimum of its sentences' MinHashes, so
   each sentence is hashed once however many windows contain it.
3. Candidates: windows of different reports that share an LSH bucket in any
   band. Their exact Jaccard index must reach `threshold`.
4. Matching windows of a pair of reports are merged into the longest passage
   they cover on both sides, allowing one unmatched (edited) sentence between
   them; the passage grows over neighbouring sentences that read nearly the
   same (difflib ratio) and sheds end sentences the other side lacks.

`find_shared_passages` lists such pairs. When many reports hold one passage
(sibling units filling in one model report), its n copies make n(n-1)/2
pairs; `find_copy_groups` instead joins matching windows into components
(union-find, comparing a pair only while it is not yet joined), merges each
report's matching windows into passages, and returns each passage once with
all its copies.

The MinHash is datasketch's "affine32" scheme (the same permutations and hash
values as `datasketch.MinHash(scheme="affine32")`), and the LSH bands and rows
are those `datasketch.MinHashLSH` chooses for the threshold; for the default
threshold they are kept here (tests check them against datasketch), because
importing datasketch loads scipy, which takes longer than checking a batch of
a hundred reports. Signatures and buckets are computed with numpy rather than
through datasketch objects:
`MinHashLSH.insert` costs about 19 µs per key in Python, and 10,000 reports of
15,000 characters have 3.6 million windows (over a minute of inserts alone).
Signatures are computed in worker processes when the corpus is large.

`fazhi.corpus_index` keeps the sketches on disk for corpora larger than
memory and shares steps 3 and 4 (`shared_passages`), which read sentences
through a `SentenceStore`.

Text shared by many reports is official wording (“以习近平新时代中国特色社会主义
思想为指导……”), not copying: a window that shares a bucket with, or matches,
windows of more than `common_docs` reports is never reported.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from typing import Any, Protocol

import numpy as np

from fazhi.processes import default_workers, fork_is_safe

# Raise when windows, signatures or band keys change: indexes on disk
# (fazhi.corpus_index) made before then no longer match new reports.
SKETCH_VERSION = 1
NUM_PERM = 64
SEED = 1
SHINGLE = 5
# Favour recall: a missed bucket loses a copied passage, a false candidate only
# costs one exact comparison.
LSH_WEIGHTS = (0.2, 0.8)
# (bands, rows) that datasketch.MinHashLSH(threshold, NUM_PERM, weights=LSH_WEIGHTS)
# chooses, by threshold.
LSH_SHAPES = {0.8: (8, 8)}

# Default `common_docs`: max(COMMON_MIN, min(COMMON_MAX, COMMON_SHARE * n)).
# Beyond ~100 reports a passage is national wording whatever the corpus size,
# and the cap bounds the pairs one LSH bucket can produce.
COMMON_MIN = 5
COMMON_SHARE = 0.2
COMMON_MAX = 100

# Below this much text a process pool costs more than it saves.
_PARALLEL_CHARS = 3_000_000
# Shingles per block when hashing, to keep the (perm x shingle) matrix in cache.
_BLOCK = 16_384

_KEEP, _END, _NEWLINE, _UNSEEN = 1, 2, 3, 255
_TERMINATORS = "。!?;！？；"
_CLOSERS = "”’」』）)】》〉"
_OPENERS = "“‘「『（(【《〈"
_NONWORD = re.compile(r"[\W_]+")

_U32 = np.uint32
_U64 = np.uint64
_ROLL = _U64(0x100000001B3)


@dataclass(frozen=True)
class Passage:
    doc: int  # index into the input list
    start: int
    end: int  # offsets into that document's text, end exclusive


@dataclass(frozen=True)
class SharedPassage:
    a: Passage  # a.doc < b.doc
    b: Passage
    similarity: float  # Jaccard index of the two passages' shingles


@dataclass(frozen=True)
class _Params:
    min_chars: int
    perm_a: np.ndarray  # (NUM_PERM,) uint32, odd
    perm_b: np.ndarray  # (NUM_PERM,) uint32
    bands: int
    rows: int
    band_mix: np.ndarray  # (bands, rows) uint64, odd


@dataclass
class _Sketch:
    """Sentences and windows of a run of documents, doc indices local to it."""

    sent_doc: np.ndarray
    sent_start: np.ndarray
    sent_end: np.ndarray
    win_doc: np.ndarray
    win_first: np.ndarray  # first and last sentence, indices into sent_*
    win_last: np.ndarray
    keys: np.ndarray  # (windows, bands) uint64 LSH bucket keys


# -- hashing ---------------------------------------------------------------


@cache
def _class_table() -> np.ndarray:
    """Class of each code point seen so far: shingled, sentence end, line break, other."""
    table = np.full(0x110000, _UNSEEN, dtype=np.uint8)
    for ch in _TERMINATORS:
        table[ord(ch)] = _END
    table[ord("\n")] = _NEWLINE
    return table


def _char_classes(codes: np.ndarray) -> np.ndarray:
    """The class of each code point of a text.

    Code points are classified when first seen: a report uses a few thousand
    of the 1.1 million, and classifying all of them takes longer than
    sketching a hundred reports.
    """
    table = _class_table()
    cls = table[codes]
    unseen = cls == _UNSEEN
    if unseen.any():
        new = _distinct(codes[unseen])
        marked = re.sub(r"[\W_]", "\0", "".join(map(chr, new.tolist())))
        table[new] = _codes(marked) != 0
        cls = table[codes]
    return cls


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=_U32)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values: np.unique, by sorting.

    numpy 2.3+ `np.unique` hashes, and is over ten times slower than a sort
    on the integer arrays here.
    """
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer, as datasketch applies it before permuting."""
    h = h ^ (h >> _U32(16))
    h = h * _U32(0x85EBCA6B)
    h = h ^ (h >> _U32(13))
    h = h * _U32(0xC2B2AE35)
    return h ^ (h >> _U32(16))


def _gram_hashes(codes: np.ndarray) -> np.ndarray:
    """32-bit hash of the 5-gram starting at each position of `codes`."""
    c = codes.astype(_U64)
    n = len(c) - SHINGLE + 1
    h = c[:n].copy()
    for k in range(1, SHINGLE):
        h *= _ROLL
        h += c[k : k + n]
    return (h ^ (h >> _U64(32))).astype(_U32)


def shingle_hashes(text: str) -> np.ndarray:
    """Hashes of the 5-grams of one sentence, as fed to the MinHash."""
    kept = _NONWORD.sub("", text)
    if len(kept) < SHINGLE:
        return np.empty(0, dtype=_U32)
    return _gram_hashes(_codes(kept))


@cache
def _params(min_chars: int, threshold: float) -> _Params:
    # As datasketch's MinHash._init_permutations draws them for "affine32".
    gen = np.random.RandomState(SEED)
    perm_a = gen.randint(0, 1 << 31, NUM_PERM, dtype=_U32) * _U32(2) + _U32(1)
    perm_b = gen.randint(0, 1 << 32, NUM_PERM, dtype=_U32)
    shape = LSH_SHAPES.get(threshold)
    if shape is None:
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
        shape = (lsh.b, lsh.r)
    bands, rows = shape
    rng = np.random.default_rng(SEED)
    mix = rng.integers(0, 2**63, size=(bands, rows), dtype=np.uint64) * _U64(2) + _U64(1)
    return _Params(min_chars, perm_a, perm_b, bands, rows, mix)


def _signatures(hashes: np.ndarray, group_starts: np.ndarray, p: _Params) -> np.ndarray:
    """MinHash of each run of `hashes` starting at `group_starts`: (NUM_PERM, runs)."""
    mixed = _fmix32(hashes)
    out = np.empty((NUM_PERM, len(group_starts)), dtype=_U32)
    a = p.perm_a[:, None]
    b = p.perm_b[:, None]
    # Cut into blocks at run starts so each reduceat sees whole runs.
    cuts = np.searchsorted(group_starts, np.arange(0, len(hashes), _BLOCK), side="right") - 1
    cuts = _distinct(np.append(cuts, len(group_starts)))
    for g0, g1 in itertools.pairwise(cuts):
        s0 = group_starts[g0]
        s1 = group_starts[g1] if g1 < len(group_starts) else len(hashes)
        block = a * mixed[None, s0:s1]
        block += b
        out[:, g0:g1] = np.minimum.reduceat(block, group_starts[g0:g1] - s0, axis=1)
    return out


def _sketch_doc(text: str, p: _Params) -> _Sketch | None:
    codes = _codes(text)
    cls = _char_classes(codes)
    boundary = cls >= _END
    # A sentence owns the terminator that closes it.
    sid: np.ndarray = np.cumsum(boundary) - boundary
    keep = np.flatnonzero(cls == _KEEP)
    if len(keep) < p.min_chars:
        return None
    ksid = sid[keep]
    change = np.flatnonzero(ksid[1:] != ksid[:-1]) + 1
    first = np.concatenate(([0], change))  # into `keep`: each sentence's first char
    last = np.concatenate((change, [len(keep)])) - 1
    n_chars = last - first + 1
    n_shingles = np.maximum(n_chars - (SHINGLE - 1), 0)
    line = np.cumsum(cls == _NEWLINE)[keep[first]]
    # A sentence ends after its terminator, or at the line break or text end
    # that closes it (so trailing "%" or ")" belong to it).
    closers = np.append(np.flatnonzero(boundary), len(codes))[ksid[first]]
    sent_end = closers + (cls[np.minimum(closers, len(codes) - 1)] == _END)

    # Windows: from each sentence, the shortest run of sentences of the same
    # line holding min_chars characters; and the shortest such run that ends a
    # line, or a line's last sentences would be in no window.
    total = np.cumsum(n_chars)
    before = total - n_chars
    last_sent = np.searchsorted(total, before + p.min_chars, side="left")
    ok = last_sent < len(total)
    starts = np.flatnonzero(ok)
    ends = last_sent[ok]
    line_end = np.flatnonzero(np.append(line[1:] != line[:-1], True))
    tail = np.searchsorted(before, total[line_end] - p.min_chars, side="right") - 1
    ok = tail >= 0
    starts = np.concatenate((starts, tail[ok]))
    ends = np.concatenate((ends, line_end[ok]))
    same_line = line[starts] == line[ends]
    starts, ends = starts[same_line], ends[same_line]
    pair = _distinct(starts * len(total) + ends)
    starts, ends = pair // len(total), pair % len(total)
    # Windows of scraps shorter than a shingle have too little to compare.
    shingles_total = np.concatenate(([0], np.cumsum(n_shingles)))
    enough = shingles_total[ends + 1] - shingles_total[starts] >= max(1, p.min_chars // 2)
    starts, ends = starts[enough], ends[enough]
    if not len(starts):
        return None

    # Sentence MinHashes from the 5-grams inside each sentence.
    sent_of_char = np.zeros(len(keep), dtype=np.int64)
    sent_of_char[change] = 1
    sent_of_char = np.cumsum(sent_of_char)
    hashes = _gram_hashes(codes[keep])
    inside = ksid[: len(hashes)] == ksid[SHINGLE - 1 :]
    hashes = hashes[inside]
    owner = sent_of_char[: len(inside)][inside]
    sig = np.full((len(first), NUM_PERM), np.iinfo(_U32).max, dtype=_U32)
    if len(hashes):
        group_starts = np.concatenate(([0], np.flatnonzero(owner[1:] != owner[:-1]) + 1))
        sig[owner[group_starts]] = _signatures(hashes, group_starts, p).T

    # A window's MinHash is the minimum over its sentences; most windows have
    # one to three.
    wsig = sig[starts]
    for k in range(1, int((ends - starts).max()) + 1):
        longer = np.flatnonzero(ends - starts >= k)
        wsig[longer] = np.minimum(wsig[longer], sig[starts[longer] + k])

    keys = np.zeros((len(starts), p.bands), dtype=_U64)
    for band in range(p.bands):
        rows = wsig[:, band * p.rows : (band + 1) * p.rows].astype(_U64)
        keys[:, band] = rows @ p.band_mix[band]

    return _Sketch(
        sent_doc=np.zeros(len(first), dtype=np.int32),
        sent_start=keep[first].astype(np.int32),
        sent_end=sent_end.astype(np.int32),
        win_doc=np.zeros(len(starts), dtype=np.int32),
        win_first=starts.astype(np.int32),
        win_last=ends.astype(np.int32),
        keys=keys,
    )


def _concat(parts: list[tuple[int, _Sketch]]) -> _Sketch:
    """Join sketches of documents; `parts` pairs each sketch with its doc index."""
    if not parts:
        e = np.empty(0, dtype=np.int64)
        return _Sketch(e, e, e, e, e, e, np.empty((0, 0), dtype=_U64))
    sent_base = np.cumsum([0] + [len(s.sent_start) for _, s in parts[:-1]])
    based = list(zip(parts, sent_base, strict=True))
    return _Sketch(
        sent_doc=np.concatenate([s.sent_doc.astype(np.int32) + d for d, s in parts]),
        sent_start=np.concatenate([s.sent_start for _, s in parts]),
        sent_end=np.concatenate([s.sent_end for _, s in parts]),
        win_doc=np.concatenate([s.win_doc.astype(np.int32) + d for d, s in parts]),
        win_first=np.concatenate([s.win_first + b for (_, s), b in based]),
        win_last=np.concatenate([s.win_last + b for (_, s), b in based]),
        keys=np.concatenate([s.keys for _, s in parts]),
    )


def _sketch_run(args: tuple[Sequence[str], int, float]) -> _Sketch:
    texts, min_chars, threshold = args
    p = _params(min_chars, threshold)
    parts = []
    for i, text in enumerate(texts):
        sketch = _sketch_doc(text, p)
        if sketch is not None:
            parts.append((i, sketch))
    return _concat(parts)


# The texts, for forked workers: they inherit them instead of receiving a copy.
_FORKED_TEXTS: Sequence[str] = ()


def _sketch_forked(args: tuple[int, int, int, float]) -> _Sketch:
    lo, hi, min_chars, threshold = args
    return _sketch_run((_FORKED_TEXTS[lo:hi], min_chars, threshold))


def _sketch_all(texts: Sequence[str], min_chars: int, threshold: float, workers: int) -> _Sketch:
    global _FORKED_TEXTS
    if workers <= 1 or sum(map(len, texts)) < _PARALLEL_CHARS:
        return _sketch_run((texts, min_chars, threshold))
    size = max(1, math.ceil(len(texts) / (workers * 8)))
    bounds = [(lo, min(lo + size, len(texts))) for lo in range(0, len(texts), size)]
    if fork_is_safe():
        _FORKED_TEXTS = texts
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                sketches = pool.map(
                    _sketch_forked, [(lo, hi, min_chars, threshold) for lo, hi in bounds]
                )
        finally:
            _FORKED_TEXTS = ()
    else:
        with multiprocessing.get_context().Pool(workers) as pool:
            sketches = pool.map(
                _sketch_run, [(texts[lo:hi], min_chars, threshold) for lo, hi in bounds]
            )
    return _concat([(lo, s) for (lo, _), s in zip(bounds, sketches, strict=True) if len(s.win_doc)])


# -- candidates, verification, merging --------------------------------------


def _bucket_pairs(
    keys: np.ndarray, group_of: Callable[[np.ndarray], np.ndarray], common_docs: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of positions in `keys` that share a bucket of one band.

    `group_of` gives the report (unit) of positions. A bucket holding windows
    of more than `common_docs` reports gives no pairs; its positions come back
    third, as common wording.
    """
    e = np.empty(0, dtype=np.int64)
    order = np.argsort(keys)
    ks = keys[order]
    dup = ks[1:] == ks[:-1]
    if not dup.any():
        return e, e, e
    shared = np.zeros(len(ks), dtype=bool)
    shared[1:] |= dup
    shared[:-1] |= dup
    pos = np.flatnonzero(shared)
    run = np.cumsum(np.concatenate(([False], ks[pos[1:]] != ks[pos[:-1]])))
    wins = order[pos]
    groups = group_of(wins)

    # Reports (units) per bucket. Most shared buckets hold overlapping windows
    # of one report only, and give no pair.
    by = np.lexsort((groups, run))
    run_by, groups_by = run[by], groups[by]
    first = np.concatenate(
        ([True], (run_by[1:] != run_by[:-1]) | (groups_by[1:] != groups_by[:-1]))
    )
    distinct = np.bincount(run_by[first], minlength=int(run[-1]) + 1)
    too_many = distinct > common_docs
    common = wins[too_many[run]]
    keep = ((distinct >= 2) & ~too_many)[run]
    wins, run = wins[keep], run[keep]
    if not len(wins):
        return e, e, common

    left, right = _pairs_in_runs(run)
    return wins[left], wins[right], common


def _pairs_in_runs(run: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of positions with the same label in sorted `run`: k with k+1 .. end."""
    bounds = np.concatenate(([0], np.flatnonzero(run[1:] != run[:-1]) + 1, [len(run)]))
    end = np.repeat(bounds[1:], np.diff(bounds))
    count = end - np.arange(len(run)) - 1
    left = np.repeat(np.arange(len(run)), count)
    right = left + 1 + np.arange(len(left)) - np.repeat(np.cumsum(count) - count, count)
    return left, right


def _candidates(sk: _Sketch, group: np.ndarray, common_docs: int) -> np.ndarray:
    """Window pairs of different reports that share an LSH bucket in some band.

    Sorted, each pair as a * n + b (window a < window b, n windows).
    """
    n = len(sk.win_doc)
    common = np.zeros(n, dtype=bool)
    wgroup = group[sk.win_doc]
    firsts: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    for band in range(sk.keys.shape[1]):
        x, y, in_common = _bucket_pairs(sk.keys[:, band], wgroup.__getitem__, common_docs)
        common[in_common] = True
        firsts.append(x)
        seconds.append(y)
    # One such band is enough: near-copies of a slogan differ in a unit name
    # or a figure and so meet the big bucket in only some bands, and their
    # other buckets are too small to show how widespread they are.
    a = np.concatenate(firsts).astype(np.int64)
    b = np.concatenate(seconds).astype(np.int64)
    a, b = np.minimum(a, b), np.maximum(a, b)
    keep = (wgroup[a] != wgroup[b]) & ~common[a] & ~common[b]
    return _distinct(a[keep] * n + b[keep])


def kept_chars(text: str) -> str:
    """What similarity is measured on: the text without whitespace and punctuation."""
    return _NONWORD.sub("", text)


class SentenceStore(Protocol):
    """Where sentences are found: sentence ids run on from report to report."""

    sentences: int  # ids are 0 .. sentences - 1

    def sentence(self, s: int) -> tuple[int, int, int]:
        """The report of sentence `s` and its start and end offsets in that text."""
        ...

    def text(self, doc: int) -> str: ...

    def kept(self, s: int) -> str:
        """`kept_chars` of sentence `s`."""
        ...


class _SketchStore:
    """Sentences of texts held in memory, as sketched together."""

    def __init__(self, texts: Sequence[str], sk: _Sketch) -> None:
        self.texts = texts
        self.sk = sk
        self.sentences = len(sk.sent_doc)

    def sentence(self, s: int) -> tuple[int, int, int]:
        sk = self.sk
        return int(sk.sent_doc[s]), int(sk.sent_start[s]), int(sk.sent_end[s])

    def text(self, doc: int) -> str:
        return self.texts[doc]

    def kept(self, s: int) -> str:
        sk = self.sk
        return kept_chars(self.texts[sk.sent_doc[s]][sk.sent_start[s] : sk.sent_end[s]])


@dataclass(frozen=True)
class WindowPairs:
    """Candidate window pairs, and where each window lies.

    `pairs` is sorted and holds a * n + b for window positions a < b in the
    per-window arrays (n long): the window's report and its first and last
    sentence (ids of a SentenceStore). Eight bytes a pair, so that tens of
    millions of candidates fit in memory.
    """

    pairs: np.ndarray  # int64
    doc: np.ndarray
    first: np.ndarray
    last: np.ndarray

    def chunks(self, size: int = 1 << 20) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """(offset, a, b) for successive runs of pairs."""
        n = len(self.doc)
        for lo in range(0, len(self.pairs), size):
            chunk = self.pairs[lo : lo + size]
            yield lo, chunk // n, chunk % n


class _Sentences:
    """Exact text and shingles of sentences, cached: windows overlap.

    With `cache_limit`, a cache that grows past it is emptied, which bounds
    memory when the corpus is larger than memory.
    """

    def __init__(self, store: SentenceStore, cache_limit: int | None = None) -> None:
        self.store = store
        self.cache_limit = cache_limit
        self.kept_cache: dict[int, str] = {}
        self.shingle_cache: dict[int, frozenset[str]] = {}
        self.span_cache: dict[tuple[int, int], frozenset[str]] = {}

    def _room(self, cache: dict[Any, Any]) -> None:
        if self.cache_limit is not None and len(cache) >= self.cache_limit:
            cache.clear()

    def kept(self, s: int) -> str:
        got = self.kept_cache.get(s)
        if got is None:
            got = self.store.kept(s)
            self._room(self.kept_cache)
            self.kept_cache[s] = got
        return got

    def chars(self, first: int, last: int) -> int:
        return sum(len(self.kept(s)) for s in range(first, last + 1))

    def shingles(self, s: int) -> frozenset[str]:
        got = self.shingle_cache.get(s)
        if got is None:
            kept = self.kept(s)
            got = frozenset(kept[i : i + SHINGLE] for i in range(len(kept) - SHINGLE + 1))
            self._room(self.shingle_cache)
            self.shingle_cache[s] = got
        return got

    def span(self, first: int, last: int) -> frozenset[str]:
        if first == last:
            return self.shingles(first)
        got = self.span_cache.get((first, last))
        if got is None:
            got = frozenset().union(*(self.shingles(s) for s in range(first, last + 1)))
            self._room(self.span_cache)
            self.span_cache[(first, last)] = got
        return got

    def jaccard(self, a: tuple[int, int], b: tuple[int, int]) -> float:
        x, y = self.span(*a), self.span(*b)
        if not x or not y:
            return 0.0
        inter = len(x & y)
        return inter / (len(x) + len(y) - inter)

    def same_line(self, s: int, t: int) -> bool:
        """Whether sentence `t` follows `s` on the same line of the same report."""
        if not 0 <= s < t < self.store.sentences:
            return False
        doc, _, end = self.store.sentence(s)
        doc_t, start, _ = self.store.sentence(t)
        return doc == doc_t and "\n" not in self.store.text(doc)[end:start]

    def alike(self, s: int, t: int, threshold: float) -> bool:
        x, y = self.kept(s), self.kept(t)
        return bool(x and y) and SequenceMatcher(None, x, y, autojunk=False).ratio() >= threshold

    def extend(self, m: tuple[int, int, int, int], threshold: float) -> tuple[int, int, int, int]:
        """Grow a matched passage over neighbouring sentences that are nearly equal.

        A sentence with an edit or two falls below the window threshold on
        5-grams but still reads as the same sentence, so the copied passage
        runs on over it.
        """
        a0, a1, b0, b1 = m
        while (
            self.same_line(a0 - 1, a0)
            and self.same_line(b0 - 1, b0)
            and self.alike(a0 - 1, b0 - 1, threshold)
        ):
            a0, b0 = a0 - 1, b0 - 1
        while (
            self.same_line(a1, a1 + 1)
            and self.same_line(b1, b1 + 1)
            and self.alike(a1 + 1, b1 + 1, threshold)
        ):
            a1, b1 = a1 + 1, b1 + 1
        return a0, a1, b0, b1

    def _covered(self, s: int, other: tuple[int, int], partner: int, threshold: float) -> bool:
        """Whether sentence `s` occurs in the other passage.

        Either most of its shingles are there, or it reads like `partner`, the
        other passage's sentence in the same place (an edit or two destroys
        most shingles of a short sentence).
        """
        own = self.shingles(s)
        if own and len(own & self.span(*other)) * 2 >= len(own):
            return True
        return self.alike(s, partner, threshold)

    def trim(self, m: tuple[int, int, int, int], threshold: float) -> tuple[int, int, int, int]:
        """Drop end sentences of one side that the other side does not have.

        A window may take in a short sentence before or after the copied
        text and still match; the passage should not.
        """
        a0, a1, b0, b1 = m
        while a0 < a1 and not self._covered(a0, (b0, b1), b0, threshold):
            a0 += 1
        while a0 < a1 and not self._covered(a1, (b0, b1), b1, threshold):
            a1 -= 1
        while b0 < b1 and not self._covered(b0, (a0, a1), a0, threshold):
            b0 += 1
        while b0 < b1 and not self._covered(b1, (a0, a1), a1, threshold):
            b1 -= 1
        return a0, a1, b0, b1


def _verify(
    pairs: WindowPairs,
    sentences: _Sentences,
    group: np.ndarray,
    threshold: float,
    common_docs: int,
) -> np.ndarray:
    """Which candidate pairs have an exact similarity reaching the threshold.

    A window that turns out to match more than `common_docs` reports is
    common wording: its remaining pairs are skipped unexamined, which keeps a
    slogan in thousands of reports from costing millions of comparisons.
    """
    ok = np.zeros(len(pairs.pairs), dtype=bool)
    reach: dict[int, set[int]] = {}
    common: set[int] = set()
    for lo, wa, wb in pairs.chunks():
        rows = zip(
            wa.tolist(),
            wb.tolist(),
            pairs.first[wa].tolist(),
            pairs.last[wa].tolist(),
            pairs.first[wb].tolist(),
            pairs.last[wb].tolist(),
            group[pairs.doc[wa]].tolist(),
            group[pairs.doc[wb]].tolist(),
            strict=True,
        )
        for k, (x, y, a0, a1, b0, b1, gx, gy) in enumerate(rows, lo):
            if x in common or y in common or sentences.jaccard((a0, a1), (b0, b1)) < threshold:
                continue
            ok[k] = True
            for w, g in ((x, gy), (y, gx)):
                seen = reach.setdefault(w, set())
                seen.add(g)
                if len(seen) + 1 > common_docs:  # + 1: the window's own report
                    common.add(w)
    if common:
        dropped = np.fromiter(common, dtype=np.int64)
        for lo, wa, wb in pairs.chunks():
            ok[lo : lo + len(wa)] &= ~np.isin(wa, dropped) & ~np.isin(wb, dropped)
    return ok


def _polish(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the opening quote before and the terminator after a passage."""
    while start > 0 and text[start - 1] in _OPENERS:
        start -= 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end < len(text) and (text[end] in _TERMINATORS or text[end] in _CLOSERS):
        end += 1
    return start, end


def _merge(pairs: list[tuple[int, int, int, int]], gap: int = 2) -> list[tuple[int, int, int, int]]:
    """Join window pairs of one doc pair that continue each other on both sides.

    Pairs are (a_first, a_last, b_first, b_last) sentence ranges; `gap` lets a
    passage run on over one edited sentence that no longer matches.
    """
    merged: list[list[int]] = []
    for a0, a1, b0, b1 in sorted(pairs):
        for m in reversed(merged):
            if a0 <= m[1] + gap and b0 <= m[3] + gap and b1 >= m[2] - gap:
                m[1] = max(m[1], a1)
                m[2] = min(m[2], b0)
                m[3] = max(m[3], b1)
                break
        else:
            merged.append([a0, a1, b0, b1])
    return [(m[0], m[1], m[2], m[3]) for m in merged]


def _unit_groups(
    texts: Sequence[str],
    min_chars: int,
    threshold: float,
    same_unit: Sequence[str | None] | None,
    common_docs: int | None,
) -> tuple[np.ndarray, int]:
    """Check the arguments; the report group of each text, and `common_docs` resolved."""
    if min_chars < SHINGLE:
        raise ValueError(f"min_chars must be at least {SHINGLE}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    n_docs = len(texts)
    if same_unit is not None and len(same_unit) != n_docs:
        raise ValueError("same_unit must name one unit per text")
    if common_docs is None:
        common_docs = common_docs_default(n_docs)
    units: dict[str, int] = {}
    group = np.arange(n_docs, dtype=np.int64)
    for i, unit in enumerate(same_unit or ()):
        if unit is not None:
            group[i] = units.setdefault(unit, n_docs + len(units))
    return group, common_docs


def find_shared_passages(
    texts: Sequence[str],
    *,
    min_chars: int = 50,
    threshold: float = 0.8,
    same_unit: Sequence[str | None] | None = None,
    common_docs: int | None = None,
    workers: int | None = None,
) -> list[SharedPassage]:
    """Passages of at least `min_chars` characters that two reports share.

    `same_unit` names the unit of each report (None if unknown): reports of one
    unit, such as its reports of different years, are not paired with each
    other. A passage found in more than `common_docs` reports (units) is common
    official wording and skipped; the default is 20% of the corpus, at least 5
    and at most 100. `workers` processes compute the MinHashes (default: all
    cores, or none for a small corpus).
    """
    group, common_docs = _unit_groups(texts, min_chars, threshold, same_unit, common_docs)
    sk = _sketch_all(texts, min_chars, threshold, workers or default_workers())
    if len(sk.win_doc) == 0:
        return []
    pairs = WindowPairs(_candidates(sk, group, common_docs), sk.win_doc, sk.win_first, sk.win_last)
    return shared_passages(
        pairs, _Sentences(_SketchStore(texts, sk)), group, min_chars, threshold, common_docs
    )


def common_docs_default(n_docs: int) -> int:
    return max(COMMON_MIN, min(COMMON_MAX, math.floor(COMMON_SHARE * n_docs)))


def shared_passages(
    pairs: WindowPairs,
    sentences: _Sentences,
    group: np.ndarray,
    min_chars: int,
    threshold: float,
    common_docs: int,
) -> list[SharedPassage]:
    """The passages that candidate window pairs turn out to share, exactly checked.

    `pairs` must be sorted: the order decides which pairs of
    common wording go unexamined.
    """
    ok = _verify(pairs, sentences, group, threshold, common_docs)
    matched = pairs.pairs[ok]
    wa, wb = matched // len(pairs.doc), matched % len(pairs.doc)
    # Window a precedes window b, and so does its report.
    rows = zip(
        pairs.doc[wa].tolist(),
        pairs.doc[wb].tolist(),
        pairs.first[wa].tolist(),
        pairs.last[wa].tolist(),
        pairs.first[wb].tolist(),
        pairs.last[wb].tolist(),
        strict=True,
    )
    by_docs: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
    for da, db, a0, a1, b0, b1 in rows:
        by_docs.setdefault((da, db), []).append((a0, a1, b0, b1))

    store = sentences.store
    out = []
    for (da, db), doc_pairs in sorted(by_docs.items()):
        done = set()
        for merged in _merge(doc_pairs):
            m = sentences.trim(sentences.extend(merged, threshold), threshold)
            if (
                m in done
                or min(sentences.chars(m[0], m[1]), sentences.chars(m[2], m[3])) < min_chars
            ):
                continue
            done.add(m)
            a0, a1, b0, b1 = m
            a_start = store.sentence(a0)[1]
            b_start = store.sentence(b0)[1]
            a_start, a_end = _polish(store.text(da), a_start, store.sentence(a1)[2])
            b_start, b_end = _polish(store.text(db), b_start, store.sentence(b1)[2])
            out.append(
                SharedPassage(
                    Passage(da, a_start, a_end),
                    Passage(db, b_start, b_end),
                    round(sentences.jaccard((a0, a1), (b0, b1)), 4),
                )
            )
    out.sort(key=lambda s: (s.a.doc, s.b.doc, s.a.start, s.b.start))
    return out


# -- copy groups ---------------------------------------------------------------


@dataclass(frozen=True)
class CopyGroup:
    """One passage and its copies in several reports.

    `partners[i]` are the members whose text member i shares. Usually that is
    every other member; in a chain (A took one paragraph from B and the next
    from C) B and C are in A's group but share nothing with each other.
    """

    members: tuple[Passage, ...]  # in document order, then text order
    partners: tuple[tuple[int, ...], ...]  # indices into members


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)

    def roots(self) -> np.ndarray:
        """The root of every element: its set's smallest element."""
        parent = np.array(self.parent, dtype=np.int64)
        while True:  # a parent is never larger than its child
            grand = parent[parent]
            if np.array_equal(grand, parent):
                return parent
            parent = grand


def _window_components(
    sk: _Sketch, group: np.ndarray, sentences: _Sentences, threshold: float, common_docs: int
) -> np.ndarray:
    """For every window, its set of near-identical windows in other reports, or -1.

    Windows with the same MinHash are one class; classes that share an LSH
    bucket and reach `threshold` are joined (single linkage). A pair already
    joined through others is not compared again, so n copies of a paragraph
    cost about n comparisons, not n²/2. A component is reported by its smallest
    window; -1 for windows no other report shares and for common wording (in a
    bucket with, or a component of, more than `common_docs` reports).
    """
    # A class per signature: the band keys hashed into one number.
    row = sk.keys[:, 0].copy()
    for band in range(1, sk.keys.shape[1]):
        row = row * _ROLL + sk.keys[:, band]
    _, rep, win_class = np.unique(row, return_index=True, return_inverse=True)
    win_class = win_class.ravel()
    n_cls = len(rep)
    wgroup = group[sk.win_doc]
    span = int(group.max()) + 1

    # Per band, the buckets that hold more than one window, as runs of
    # (bucket number, class); a bucket of too many reports makes its classes common.
    common = np.zeros(n_cls, dtype=bool)
    buckets = []
    for band in range(sk.keys.shape[1]):
        order = np.argsort(sk.keys[:, band])
        ks = sk.keys[order, band]
        dup = ks[1:] == ks[:-1]
        pos = np.flatnonzero(np.concatenate(([False], dup)) | np.concatenate((dup, [False])))
        if not len(pos):
            continue
        wins = order[pos]
        run = np.cumsum(np.concatenate(([0], ks[pos[1:]] != ks[pos[:-1]])))
        reports = np.bincount(_distinct(run * span + wgroup[wins]) // span)
        common[win_class[wins[reports[run] > common_docs]]] = True
        buckets.append((run, win_class[wins]))

    # The report of a class found in one report only, else -1: two classes of
    # one report are not copies of each other.
    class_reports = _distinct(win_class * span + wgroup)
    single = np.bincount(class_reports // span, minlength=n_cls) == 1
    alone = class_reports[single[class_reports // span]]
    only = np.full(n_cls, -1, dtype=np.int64)
    only[alone // span] = alone % span

    pairs = [np.empty(0, dtype=np.int64)]
    for run, cls in buckets:
        keep = ~common[cls]
        each = _distinct(run[keep] * n_cls + cls[keep])  # a class once per bucket
        left, right = _pairs_in_runs(each // n_cls)
        x, y = each[left] % n_cls, each[right] % n_cls  # x < y
        apart = (only[x] < 0) | (only[x] != only[y])
        pairs.append(x[apart] * n_cls + y[apart])
    joined = _UnionFind(n_cls)
    first, last = sk.win_first[rep].tolist(), sk.win_last[rep].tolist()
    for pair in _distinct(np.concatenate(pairs)).tolist():
        x, y = divmod(pair, n_cls)
        if joined.find(x) != joined.find(y) and (
            sentences.jaccard((first[x], last[x]), (first[y], last[y])) >= threshold
        ):
            joined.union(x, y)

    comp = joined.roots()[win_class]
    reports = np.bincount(_distinct(comp * span + wgroup) // span, minlength=n_cls)
    ok = (reports >= 2) & (reports <= common_docs) & ~common
    return np.where(ok[comp], rep[comp], -1)


@dataclass(slots=True)
class _Run:
    """Copied windows of one report that continue each other: one passage."""

    doc: int
    first: int  # first and last sentence, indices into the sketch's sentences
    last: int
    head: int  # the windows at its start and end
    tail: int
    components: set[int]


def _join(runs: Iterable[_Run], sentences: _Sentences, min_chars: int) -> list[_Run]:
    """Join runs of one report that continue each other.

    Runs come in document and sentence order. Like `_merge`, a passage runs on
    over one unmatched (edited) sentence, and also over a stretch too short for
    a window of its own, such as a heading.
    """
    out: list[_Run] = []
    for run in runs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.doc == run.doc
            and (
                run.first <= prev.last + 2
                or sentences.chars(prev.last + 1, run.first - 1) < min_chars
            )
        ):
            if run.last >= prev.last:
                prev.last, prev.tail = run.last, run.tail
            prev.components |= run.components
        else:
            out.append(run)
    return out


def _counterpart(
    w: int, members: dict[int, list[int]], sk: _Sketch, group: np.ndarray, comp: np.ndarray
) -> tuple[int, int]:
    """Sentences of the copy of window `w` in another report.

    Its component may hold several overlapping windows of that report (single
    linkage joins a window with the longer one around it): the copy runs from
    the first to the last sentence of all of them.
    """
    own = group[sk.win_doc[w]]
    others = [v for v in members[int(comp[w])] if group[sk.win_doc[v]] != own]
    same = [v for v in others if sk.win_doc[v] == sk.win_doc[others[0]]]
    return int(sk.win_first[same].min()), int(sk.win_last[same].max())


def _fit(
    run: _Run, head: tuple[int, int], tail: tuple[int, int], s: _Sentences, threshold: float
) -> tuple[int, int]:
    """A run's first and last sentence, grown and trimmed at each end.

    Each end is set against the copy of its end window in another report, as
    `_Sentences.extend` and `trim` do for a pair.
    """
    a0, a1 = run.first, run.last
    b0, b1 = head[0], tail[1]
    while (
        s.same_line(a0 - 1, a0) and s.same_line(b0 - 1, b0) and s.alike(a0 - 1, b0 - 1, threshold)
    ):
        a0, b0 = a0 - 1, b0 - 1
    while (
        s.same_line(a1, a1 + 1) and s.same_line(b1, b1 + 1) and s.alike(a1 + 1, b1 + 1, threshold)
    ):
        a1, b1 = a1 + 1, b1 + 1
    while a0 < a1 and not s._covered(a0, (b0, head[1]), b0, threshold):
        a0 += 1
    while a0 < a1 and not s._covered(a1, (tail[0], b1), b1, threshold):
        a1 -= 1
    return a0, a1


def _link(
    runs: list[_Run], group: np.ndarray
) -> list[tuple[list[int], tuple[tuple[int, ...], ...]]]:
    """Runs that share a component are copies of each other: the groups they make.

    Each group is its runs (in document and text order) and, for each, the
    positions in the group of the runs it shares text with. Files of one
    report (unit and year) are not copies of each other.
    """
    runs_of: dict[int, list[int]] = {}
    for r, run in enumerate(runs):
        for c in run.components:
            runs_of.setdefault(c, []).append(r)
    # The components of one copied passage are mostly found in the same runs:
    # number each distinct list of runs once.
    list_number: dict[tuple[int, ...], int] = {}
    list_of = {c: list_number.setdefault(tuple(rs), len(list_number)) for c, rs in runs_of.items()}
    lists = list(list_number)
    partners: list[set[int]] = []
    joined = _UnionFind(len(runs))
    for r, run in enumerate(runs):
        own = group[run.doc]
        numbers = {list_of[c] for c in run.components}
        found = {q for n in numbers for q in lists[n] if group[runs[q].doc] != own}
        partners.append(found)
        for q in found:
            joined.union(r, q)
    by_root: dict[int, list[int]] = {}
    for r in range(len(runs)):
        if partners[r]:
            by_root.setdefault(joined.find(r), []).append(r)
    out = []
    for rs in by_root.values():
        index = {r: k for k, r in enumerate(rs)}
        out.append((rs, tuple(tuple(sorted(index[q] for q in partners[r])) for r in rs)))
    return out


def find_copy_groups(
    texts: Sequence[str],
    *,
    min_chars: int = 50,
    threshold: float = 0.8,
    same_unit: Sequence[str | None] | None = None,
    common_docs: int | None = None,
    workers: int | None = None,
) -> list[CopyGroup]:
    """Passages of at least `min_chars` characters found in several reports, grouped.

    The same passage in n reports is one group of n members, found in about
    linear time, where `find_shared_passages` lists its n(n-1)/2 pairs. The
    arguments are those of `find_shared_passages`. Groups come in the order of
    their first member.
    """
    group, common_docs = _unit_groups(texts, min_chars, threshold, same_unit, common_docs)
    sk = _sketch_all(texts, min_chars, threshold, workers or default_workers())
    if len(sk.win_doc) == 0:
        return []
    sentences = _Sentences(_SketchStore(texts, sk))
    comp = _window_components(sk, group, sentences, threshold, common_docs)
    members: dict[int, list[int]] = {}
    shared = np.flatnonzero(comp >= 0)
    for w in shared.tolist():
        members.setdefault(int(comp[w]), []).append(w)

    rows = zip(
        shared.tolist(),
        sk.win_doc[shared].tolist(),
        sk.win_first[shared].tolist(),
        sk.win_last[shared].tolist(),
        comp[shared].tolist(),
        strict=True,
    )
    runs = _join(
        (_Run(doc, first, last, w, w, {c}) for w, doc, first, last, c in rows), sentences, min_chars
    )
    for run in runs:
        head = _counterpart(run.head, members, sk, group, comp)
        tail = _counterpart(run.tail, members, sk, group, comp)
        run.first, run.last = _fit(run, head, tail, sentences, threshold)
    runs = [
        run
        for run in _join(runs, sentences, min_chars)
        if sentences.chars(run.first, run.last) >= min_chars
    ]
    groups = []
    for members_of, partners in _link(runs, group):
        passages = []
        for r in members_of:
            run = runs[r]
            first, last = int(sk.sent_start[run.first]), int(sk.sent_end[run.last])
            passages.append(Passage(run.doc, *_polish(texts[run.doc], first, last)))
        groups.append(CopyGroup(tuple(passages), partners))
    return groups
