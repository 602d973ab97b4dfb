from __future__ import annotations

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
