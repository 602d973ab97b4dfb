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


def token_ends(text: str, at: int) -> dict[int, int]:
    """{word start: word end}, offsets into `text`, of the stretch around `at`.

    The words are rjieba's, dictionary only (no HMM), for the stretch of text
    between the punctuation marks before and after `at`: the same words it
    reads there in the whole text, for a fraction of the cost.
    """
    import rjieba  # loads its dictionary on import

    start = max(text.rfind(mark, 0, at) for mark in _BREAKS) + 1
    end_mark = _BREAK.search(text, at)
    end = end_mark.start() if end_mark else len(text)
    return {
        start + word_start: start + word_end
        for _, word_start, word_end in rjieba.tokenize(text[start:end], "default", False)
    }
