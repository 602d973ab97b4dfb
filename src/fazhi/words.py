"""Word lists searched as one pattern."""

from __future__ import annotations

import re
from functools import cache


@cache
def any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern that finds any of `words` (none: it finds nothing).

    One search of a text instead of one `in` test per word.
    """
    if not words:
        return re.compile("(?!)")
    return re.compile("|".join(map(re.escape, words)))


# The segmenter cuts runs of Chinese characters, letters and digits (and a few
# ASCII symbols such as . and %) one by one; these marks always stand alone,
# so the stretch between two of them is cut as it is within its whole line.
_BREAKS = ",;:!?。、，；：！？\n"
_BREAK = re.compile(f"[{re.escape(_BREAKS)}]")


def _stretch_start(text: str, at: int, floor: int = 0) -> int:
    """Where the stretch around `at` starts: one past the last break before it.

    No break before `floor` is looked for.
    """
    # Looking back a window at a time, growing, keeps a text with few breaks
    # from being scanned back to its start for every offset.
    window = 64
    while True:
        lo = max(floor, at - window)
        last = max(text.rfind(mark, lo, at) for mark in _BREAKS)
        if last >= 0 or lo == floor:
            return max(last + 1, floor)
        window *= 4


class Words:
    """rjieba's words (dictionary only, no HMM) in `text`, a stretch at a time.

    A stretch runs between the punctuation marks before and after an offset;
    its words are the ones rjieba reads there in the whole text, for a
    fraction of the cost. Asked for offsets in ascending order, it segments
    each stretch once and looks at each character a bounded number of times.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # The last stretch segmented and its words.
        self._start = self._end = 0
        self._ends: dict[int, int] = {}

    def around(self, at: int) -> dict[int, int]:
        """{word start: word end}, offsets into the text, of the stretch around `at`."""
        if self._start <= at < self._end:
            return self._ends
        import rjieba  # loads its dictionary on import

        # The last stretch ended at a break: none before it needs a look.
        start = _stretch_start(self.text, at, self._end if at > self._end else 0)
        end_mark = _BREAK.search(self.text, at)
        end = end_mark.start() if end_mark else len(self.text)
        self._start, self._end = start, end
        self._ends = {
            start + word_start: start + word_end
            for _, word_start, word_end in rjieba.tokenize(self.text[start:end], "default", False)
        }
        return self._ends
