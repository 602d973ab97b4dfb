from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from fazhi_web.review.highlight import Segment, Span, lines, segments


def test_no_spans_is_one_plain_segment():
    assert segments("abc", []) == [Segment("abc", "", "", 0)]
    assert segments("", []) == []


def test_segments_rebuild_the_text_exactly():
    text = "一二三四五六七八九十"
    spans = [Span(1, 4, "a", "A"), Span(3, 7, "b", "B"), Span(6, 6, "empty", "E")]
    parts = segments(text, spans)
    assert "".join(p.text for p in parts) == text
    assert [p.start for p in parts] == [0, 1, 3, 4, 7]


def test_overlapping_spans_split_and_higher_priority_wins():
    text = "0123456789"
    parts = segments(
        text,
        [Span(2, 6, "finding sev-warning", "警告", 2), Span(4, 8, "finding sev-error", "错误", 3)],
    )
    assert [(p.text, p.classes, p.title) for p in parts] == [
        ("01", "", ""),
        ("23", "finding sev-warning", "警告"),
        ("45", "finding sev-error", "错误\n警告"),
        ("67", "finding sev-error", "错误"),
        ("89", "", ""),
    ]


def test_nested_and_identical_spans_keep_every_title_once():
    parts = segments(
        "abcdef", [Span(0, 6, "x", "外"), Span(2, 3, "y", "内", 1), Span(2, 3, "y", "内", 1)]
    )
    assert [(p.text, p.classes, p.title) for p in parts] == [
        ("ab", "x", "外"),
        ("c", "y", "内\n外"),
        ("def", "x", "外"),
    ]


def test_spans_outside_the_text_are_clamped_or_dropped():
    parts = segments("abc", [Span(-5, 1, "x", "X"), Span(2, 99, "y", "Y"), Span(10, 12, "z", "Z")])
    assert [(p.text, p.classes) for p in parts] == [("a", "x"), ("b", ""), ("c", "y")]


def test_lines_split_spans_at_line_breaks():
    text = "第一行\n第二行很长\n\n第四行"
    result = lines(text, [Span(2, 6, "m", "跨行")])
    assert [[(s.text, s.classes) for s in line.segments] for line in result] == [
        [("第一", ""), ("行", "m")],
        [("第二", "m"), ("行很长", "")],
        [],
        [("第四行", "")],
    ]
    assert [(line.start, line.end) for line in result] == [(0, 3), (4, 9), (10, 10), (11, 14)]
    for line in result:
        for seg in line.segments:
            assert text[seg.start : seg.start + len(seg.text)] == seg.text


def test_markup_stays_text():
    # Escaping is the template's job; the segmenter must not alter anything.
    parts = segments("<script>x</script>", [Span(0, 8, "m", "<b>")])
    assert parts[0] == Segment("<script>", "m", "<b>", 0)


def _covering_brute_force(text: str, spans: list[Span]) -> list[Segment]:
    """The plain definition: for each piece, every span that covers all of it."""
    valid = [
        Span(max(0, s.start), min(len(text), s.end), s.classes, s.title, s.priority)
        for s in spans
        if s.end > s.start and s.start < len(text) and s.end > 0
    ]
    cuts = sorted({0, len(text)} | {s.start for s in valid} | {s.end for s in valid})
    out = []
    for a, b in itertools.pairwise(cuts):
        active = sorted(
            (s for s in valid if s.start <= a and s.end >= b), key=lambda s: (-s.priority, s.start)
        )
        titles = list(dict.fromkeys(s.title for s in active if s.title))
        classes = active[0].classes if active else ""
        out.append(Segment(text[a:b], classes, "\n".join(titles), a))
    return out


@given(
    st.lists(
        st.tuples(
            st.integers(-3, 45), st.integers(-3, 45), st.sampled_from("abc"), st.integers(0, 2)
        ),
        max_size=25,
    )
)
def test_the_sweep_agrees_with_the_definition(raw):
    text = "一二三四五六七八九十" * 4
    spans = [Span(s, e, c, f"{c}{s}", p) for s, e, c, p in raw]
    assert segments(text, spans) == _covering_brute_force(text, spans)
