"""fazhi.words: word lists searched as one pattern; the segmenter's words around an offset."""

from __future__ import annotations

import rjieba
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.words import Words, any_of
from tests.conftest import SEEDS

BREAKS = ",;:!?。、，；：！？\n"


def _whole_text_words(text: str) -> dict[int, int]:
    return {start: end for _, start, end in rjieba.tokenize(text, "default", False)}


def test_any_of_finds_any_listed_word():
    pattern = any_of(("原因", "由于", "a.b"))
    assert pattern.search("主要是由于人员不足")
    assert pattern.search("写作a.b")
    assert not pattern.search("写作axb")  # words are literal, not patterns
    assert not pattern.search("人员不足")


def test_any_of_without_words_finds_nothing():
    assert any_of(()).search("任何文字") is None


def test_words_read_a_word_across_a_doubling():
    text = "要深入学习习近平法治思想,推进依法行政。"
    at = text.index("习习")
    words = Words(text).around(at)
    assert words[at - 1] == at + 1  # 学习
    assert words[at + 1] == at + 4  # 习近平
    # The stretch ends at the comma: nothing after it is segmented.
    assert max(words.values()) == text.index(",")


def test_words_match_the_whole_seed_text():
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        whole = _whole_text_words(text)
        stretches = Words(text)
        for at in range(0, len(text), 97):
            words = stretches.around(at)
            assert words or text[at] in BREAKS, (path.name, at)
            assert all(whole.get(start) == end for start, end in words.items()), (path.name, at)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "学习",
                "习近平",
                "法治",
                "政府",
                "为",
                "为为",
                "a",
                "1",
                ".",
                "%",
                "，",
                ",",
                "。",
                "、",
                ":",
                "\n",
                " ",
                "研究研究",
            ]
        ),
        min_size=1,
        max_size=30,
    ),
    st.data(),
)
def test_words_match_the_whole_text(pieces, data):
    text = "".join(pieces)
    whole = _whole_text_words(text)
    stretches = Words(text)
    # Offsets in any order: ascending ones reuse the last stretch.
    for at in data.draw(st.lists(st.integers(0, len(text) - 1), min_size=1, max_size=8)):
        words = stretches.around(at)
        assert all(whole.get(start) == end for start, end in words.items())
        # The stretch holds `at` unless `at` is a break mark itself.
        assert any(start <= at < end for start, end in words.items()) or text[at] in BREAKS
