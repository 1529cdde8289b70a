"""The view shows the stored code points (issue 9, item 4): for every character Qt drops or
changes (U+FEFF at the start, U+2028, U+2029, ``\\r``, ``\\r\\n``, NUL, U+FDD0), the view's
character at each stored offset is the stored one, and a highlight or a mouse selection
after it lands on the right characters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from models.annotation import Span
from tests.gui_helpers import drag_select, highlighted_ranges

# How QTextDocument holds a stored character that it keeps: block breaks become U+2029.
SHOWN_AS = {"\n": "\u2029", "\r": "\u2029", "\u2029": "\u2029", "\ufdd0": "\u2029"}
CASES = {
    "byte-order mark at the start": "\ufeffRain in Oslo today.\nBergen was dry.",
    "line separator U+2028": "Rain in Oslo today.\u2028Bergen was dry.",
    "paragraph separator U+2029": "Rain in Oslo today.\u2029Bergen was dry.",
    "carriage return": "Rain in Oslo today.\rBergen was dry.",
    "carriage return and line feed": "Rain in Oslo today.\r\nStorms.\r\nBergen was dry.",
    "NUL": "Rain in Oslo today.\x00Bergen was dry.",
    "non-character U+FDD0": "Rain in Oslo today.\ufdd0Bergen was dry.",
    "emoji and all of them": "\ufeff😀 Oslo\r\n\u2028\u2029\r\x00😀 Bergen was dry.",
}


def _view_characters(view) -> list[str]:
    """The stored text as the view holds it: for each stored offset, the character at its
    Qt position ("" when Qt keeps no position for it)."""
    document, offsets = view.document(), view.offsets
    assert offsets.to_qt(offsets.length) == document.characterCount() - 1, "every position accounted for"
    shown = []
    for offset in range(offsets.length):
        start, end = offsets.to_qt(offset), offsets.to_qt(offset + 1)
        units = [document.characterAt(p) for p in range(start, end)]
        shown.append("".join(units).encode("utf-16-le", "surrogatepass").decode("utf-16-le"))
    return shown


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_view_holds_the_stored_code_points_and_spans_land_on_them(
    qtbot, repo, make_document, main_window, text
):
    doc_id = make_document(text)
    start = text.index("Bergen")
    span = repo.add_span(Span(doc_id, start, start + 6, "GPE", "Bergen"))
    window = main_window(repo, doc_id)
    view = window.article.text

    dropped = {0} if text.startswith("\ufeff") else set()
    dropped |= {i for i in range(len(text) - 1) if text[i : i + 2] == "\r\n"}
    expected = ["" if i in dropped else SHOWN_AS.get(c, c) for i, c in enumerate(text)]
    assert _view_characters(view) == expected

    assert [shown for shown, _colour in highlighted_ranges(view)] == ["Bergen"]
    oslo = text.index("Oslo")
    drag_select(qtbot, view, oslo, oslo + 4)
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert sorted(s.text for s in repo.spans(doc_id)) == ["Bergen", "Oslo"]
    assert [s.start for s in repo.spans(doc_id) if s.id != span.id] == [oslo]
    assert sorted(shown for shown, _colour in highlighted_ranges(view)) == ["Bergen", "Oslo"]
