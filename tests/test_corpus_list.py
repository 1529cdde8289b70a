"""The document list through the real widgets: columns and counts, sorting by the header
(SQL, no proxy), filters, full-text search with highlighted hits, and a search the index
cannot parse becoming a message."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from gui.document_model import DocumentTableModel
from models.annotation import Claim, Span, Status
from models.corpus import SORT_KEYS, DocumentQuery, SearchError
from models.document import DocStatus

M = DocumentTableModel
HIT = "#b0126a"


def span(repo, doc_id: int, word: str, label: str, status: Status = Status.ACCEPTED) -> Span:
    text = repo.document(doc_id).text
    start = text.index(word)
    return repo.add_span(
        Span(doc_id=doc_id, start=start, end=start + len(word), label=label, text=word, status=status)
    )


@pytest.fixture
def corpus(repo, make_document):
    """Five documents: sources, statuses, accepted and suggested spans and claims."""
    ids = {
        "oslo": make_document(
            "Gas stopped in Oslo on Monday, officials said.", title="oslo outage", source="NTB"
        ),
        "baghdad": make_document(
            "Rockets hit a base near Baghdad. 🙂 Kyiv was quiet.", title="Baghdad rockets", source="AFP"
        ),
        "cairo": make_document("Protests in Cairo grew on Friday.", title="cairo protests", source="AFP"),
        "kyiv": make_document("Drones over Kyiv and Lviv overnight.", title="Kyiv drones", source="Reuters"),
        "amman": make_document("Water talks in Amman stalled.", title="amman water", source="Reuters"),
    }
    span(repo, ids["baghdad"], "Baghdad", "GPE")
    span(repo, ids["baghdad"], "Kyiv", "GPE", Status.SUGGESTED)
    span(repo, ids["kyiv"], "Kyiv", "GPE")
    span(repo, ids["kyiv"], "Lviv", "GPE")
    span(repo, ids["cairo"], "Cairo", "LOC", Status.SUGGESTED)
    span(repo, ids["oslo"], "Oslo", "GPE", Status.REJECTED)
    text = repo.document(ids["oslo"]).text
    repo.add_claim(
        Claim(doc_id=ids["oslo"], content_start=0, content_end=text.index(" on"), status=Status.SUGGESTED)
    )
    repo.set_document_status(ids["amman"], DocStatus.DONE)
    return ids


def titles(window) -> list[str]:
    model = window.documents
    return [model.index(row, M.TITLE).data() for row in range(model.rowCount())]


def cell(window, doc_id: int, column: int) -> str:
    model = window.documents
    return model.index(model.row_of(doc_id), column).data()


def test_columns_show_counts_status_and_are_not_proxied(qtbot, repo, corpus, main_window):
    window = main_window(repo)
    assert window.document_list.model() is window.documents  # sorting is SQL, not a proxy
    headers = [window.documents.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]
    assert headers == [
        "Title",
        "Source",
        "Published",
        "Language",
        "Entities",
        "Claims",
        "Status",
        "Last edited",
        "Annotator",
    ]
    assert cell(window, corpus["baghdad"], M.ENTITIES) == "1 / 1"  # accepted / suggested
    assert cell(window, corpus["kyiv"], M.ENTITIES) == "2"
    assert cell(window, corpus["oslo"], M.ENTITIES) == "0"  # the rejected span is not counted
    assert cell(window, corpus["oslo"], M.CLAIMS) == "0 / 1"
    assert cell(window, corpus["amman"], M.STATUS) == "done"
    assert cell(window, corpus["amman"], M.ANNOTATOR) == "tester"
    assert cell(window, corpus["cairo"], M.SOURCE) == "AFP"
    assert cell(window, corpus["cairo"], M.LANGUAGE) == "EN"
    assert window.corpus.filters.count.text() == "5 documents"
    assert (
        "text" not in repo.document_list_rows([corpus["oslo"]])[corpus["oslo"]]
    )  # the list never reads text


def test_clicking_the_header_sorts_by_sql(qtbot, repo, corpus, main_window):
    window = main_window(repo)
    header = window.document_list.horizontalHeader()
    assert titles(window) == [
        "oslo outage",
        "Baghdad rockets",
        "cairo protests",
        "Kyiv drones",
        "amman water",
    ]

    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft() + _section_centre(header, M.TITLE),
    )
    assert titles(window) == [
        "amman water",
        "Baghdad rockets",
        "cairo protests",
        "Kyiv drones",
        "oslo outage",
    ]
    assert window.documents.query.sort == "title"

    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft() + _section_centre(header, M.TITLE),
    )
    assert titles(window)[0] == "oslo outage" and window.documents.query.descending

    header.setSortIndicator(M.ENTITIES, Qt.SortOrder.DescendingOrder)
    assert titles(window)[:2] == ["Kyiv drones", "Baghdad rockets"]
    # the open document stays open and its row stays current after re-sorting
    current = window.document_list.currentIndex()
    assert current.data(Qt.ItemDataRole.UserRole + 1) == window.session.document.id


def _section_centre(header, section: int):
    from PySide6.QtCore import QPoint

    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    return QPoint(x, header.height() // 2)


def test_filters_status_label_unreviewed_and_source(qtbot, repo, corpus, main_window):
    window = main_window(repo)
    filters = window.corpus.filters

    filters.status.setCurrentIndex(filters.status.findData("done"))
    assert titles(window) == ["amman water"]
    assert filters.count.text() == "1 of 5 documents match"
    filters.status.setCurrentIndex(0)

    filters.label.setCurrentIndex(filters.label.findData("GPE"))
    assert titles(window) == ["Baghdad rockets", "Kyiv drones"]  # Oslo's GPE span was rejected
    filters.label.setCurrentIndex(0)

    qtbot.mouseClick(filters.unreviewed, Qt.MouseButton.LeftButton)
    assert filters.unreviewed.isChecked()
    assert titles(window) == ["oslo outage", "Baghdad rockets", "cairo protests"]  # a suggested claim counts
    qtbot.mouseClick(filters.unreviewed, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: filters.source.count() > 1)  # read after the list's first paint
    sources = [filters.source.itemText(i) for i in range(filters.source.count())]
    assert sources == ["All sources", "AFP (2)", "NTB (1)", "Reuters (2)"]
    filters.source.setCurrentIndex(filters.source.findData("Reuters"))
    assert titles(window) == ["Kyiv drones", "amman water"]

    filters.status.setCurrentIndex(filters.status.findData("in_progress"))  # filters combine
    assert titles(window) == ["Kyiv drones"]  # spans were added: in progress


def test_search_filters_the_list_and_highlights_hits_in_the_article(qtbot, repo, corpus, main_window):
    window = main_window(repo)
    box = window.corpus.filters.search
    box.setFocus()
    qtbot.keyClicks(box, "kyiv")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert titles(window) == ["Baghdad rockets", "Kyiv drones"]

    window.open_document(corpus["baghdad"])
    hits = _hits(window)
    assert hits == ["Kyiv"]  # after an emoji: code points, not UTF-16 units, are converted right

    window.open_document(corpus["kyiv"])
    assert _hits(window) == ["Kyiv"]

    box.clear()  # the clear button: the whole corpus again, and no marks
    assert len(titles(window)) == 5
    assert _hits(window) == []


def test_typing_searches_after_a_pause_without_enter(qtbot, repo, corpus, main_window):
    window = main_window(repo)
    box = window.corpus.filters.search
    box.setFocus()
    qtbot.keyClicks(box, "protests")
    qtbot.waitUntil(lambda: titles(window) == ["cairo protests"], timeout=3000)


def test_phrase_and_prefix_queries(qtbot, repo, corpus, main_window):
    window = main_window(repo)
    box = window.corpus.filters.search
    box.setText('"base near"')
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert titles(window) == ["Baghdad rockets"]
    assert window.article.title.text() == "oslo outage"  # searching does not switch documents
    qtbot.keyClick(box, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)  # the first result
    assert window.article.title.text() == "Baghdad rockets"
    assert _hits(window) == ["base near"] or _hits(window) == ["base", "near"]
    box.setText("prot*")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert titles(window) == ["cairo protests"]


@pytest.mark.parametrize("query", ['"unbalanced', "oslo AND", "("])
def test_a_search_syntax_error_is_a_message_not_an_exception(qtbot, repo, corpus, main_window, query):
    window = main_window(repo)
    box = window.corpus.filters.search
    box.setFocus()
    qtbot.keyClicks(box, query)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # pytest-qt fails the test on an exception in a slot
    assert "Search not understood" in window.status_message.text()
    assert "double quotes" in window.status_message.text()
    assert "Search not understood" in box.toolTip()
    assert window.documents.rowCount() == 0
    assert window.article.text.toPlainText()  # the open article stays as it was

    box.setText("Cairo")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert titles(window) == ["cairo protests"]
    assert box.styleSheet() == ""
    assert "not understood" not in window.status_message.text(), "the newcomer saw it stay"


def test_words_with_punctuation_and_a_colon_are_searched_as_words(
    qtbot, repo, corpus, main_window, make_document
):
    """The newcomer trial searched a heading, ``Selection: the GUM corpus``, and got "no
    such column: Selection"; ``covid-19`` was a syntax error. Only title: and text: filter."""
    covid = make_document("Covid-19 cases rose in Oslo. Selection: the GUM corpus.", title="covid oslo")
    window = main_window(repo)
    box = window.corpus.filters.search
    for query, expected in [
        ("Selection: the GUM corpus", ["covid oslo"]),
        ("covid-19", ["covid oslo"]),
        ("title: oslo", ["oslo outage", "covid oslo"]),
        ("NEAR(oslo cases, 3)", ["covid oslo"]),
        ("kyiv NOT title:kyiv", ["Baghdad rockets"]),
    ]:
        box.setText(query)
        qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda expected=expected: titles(window) == expected, timeout=3000)
        assert "not understood" not in window.status_message.text()
    assert repo.search_matches(covid, "covid-19") == [(0, 8)]


def test_repository_search_error_and_match_offsets(repo, corpus):
    with pytest.raises(SearchError):
        repo.document_list_ids(DocumentQuery(search='"open'))
    assert repo.search_matches(corpus["baghdad"], "kyiv") == [(35, 39)]
    assert repo.document(corpus["baghdad"]).text[35:39] == "Kyiv"
    assert repo.search_matches(corpus["baghdad"], "") == []


def test_every_sort_order_reads_one_narrow_index(repo, corpus):
    """The list never scans the wide documents table (the text is in it), whatever the
    sort key and filters: each sort order has a covering index (schema m002)."""
    for key in SORT_KEYS:
        for query in (
            DocumentQuery(sort=key),
            DocumentQuery(sort=key, status="done", unreviewed=True, source="AFP", search="kyiv", label="GPE"),
        ):
            sql, args = repo.document_list_sql(query)
            plan = " | ".join(r[3] for r in repo.db.execute(f"EXPLAIN QUERY PLAN {sql}", args))
            if key == "id" and query.search:  # the hits in the index's own order, then each row
                assert plan.startswith("SCAN documents_fts VIRTUAL TABLE"), plan
                assert "SEARCH documents USING INTEGER PRIMARY KEY" in plan and "TEMP B-TREE" not in plan
            else:
                assert "COVERING INDEX" in plan and "TEMP B-TREE" not in plan, (key, plan)


def _hits(window) -> list[str]:
    """The search marks the article shows: their text, read back from the widget."""
    text = window.article.text
    return [
        s.cursor.selectedText() for s in text.extraSelections() if s.format.background().color().name() == HIT
    ]


@pytest.fixture
def long_list(repo):
    """450 documents; every third mentions Mosul."""
    from models.document import Document

    docs = [Document(title=f"Report {n:03d}", text=f"Report {n} from {'Mosul' if n % 3 == 0 else 'Erbil'}.")
            for n in range(450)]  # fmt: skip
    return repo.add_documents(docs)


def test_a_long_list_shows_its_count_and_first_page_at_once_and_the_other_ids_soon(qtbot, repo, long_list):
    model = DocumentTableModel(repo)
    with qtbot.waitSignal(model.completed, timeout=5000):
        assert not model.is_complete() and model.rowCount() == 450
        assert [model.doc_id_at(row) for row in range(5)] == long_list[:5]
        assert model.row_data(449) is None  # not read yet: shown as soon as it is
    assert model.is_complete() and model.ids() == long_list
    assert model.index(449, M.TITLE).data() == "Report 449"

    query = DocumentQuery(search="report*", descending=True)  # in the index's rowid order
    with qtbot.waitSignal(model.completed, timeout=5000):
        model.set_query(query)
        assert model.rowCount() == 450 and model.doc_id_at(0) == long_list[-1]
    assert model.ids() == repo.document_list_ids(query) == long_list[::-1]
    model.set_query(DocumentQuery(search="mosul*", sort="title"))  # one page: complete at once
    assert model.is_complete() and model.rowCount() == 150 and model.ids() == long_list[::3]
    # a row far down asked for before the thread is done: the answer waits for it
    model.set_query(DocumentQuery())
    assert model.row_of(long_list[440]) == 440 and model.is_complete()
    model.stop()


def test_a_corpus_changed_while_the_ids_are_read_is_shown_as_it_is_now(qtbot, repo, long_list, monkeypatch):
    from gui import document_model
    from models.document import Document

    release = threading.Event()
    read = document_model._IdReader._run
    monkeypatch.setattr(document_model._IdReader, "_run", lambda self: (release.wait(5), read(self)))
    model = DocumentTableModel(repo)
    assert model.rowCount() == 450
    added = repo.add_document(Document(title="Late report", text="Late report from Mosul."))
    with qtbot.waitSignal(model.refreshed, timeout=5000):
        release.set()
    assert model.rowCount() == 451 and model.ids()[-1] == added and model.is_complete()


def test_the_id_list_read_at_once_keeps_every_order(repo, corpus):
    """``document_list_ids`` reads the whole list as one JSON array built over the ordered
    query: the same ids in the same order as the query's rows, for every sort key."""
    for key in SORT_KEYS:
        for query in (DocumentQuery(sort=key), DocumentQuery(sort=key, descending=True, search="in*")):
            sql, args = repo.document_list_sql(query)
            rows = [r[0] for r in repo.db.execute(sql, args)]
            assert repo.document_list_ids(query) == rows and len(rows) >= 3, (key, rows)
    by_title = repo.document_list_ids(DocumentQuery(sort="title"))
    assert by_title[:3] == [corpus[name] for name in ("amman", "baghdad", "cairo")]


def test_a_row_asked_for_while_the_corpus_changed_is_found_and_the_list_shown_again(
    qtbot, repo, long_list, monkeypatch
):
    from gui import document_model
    from models.document import Document

    release = threading.Event()
    read = document_model._IdReader._run
    monkeypatch.setattr(document_model._IdReader, "_run", lambda self: (release.wait(5), read(self)))
    model = DocumentTableModel(repo)
    added = repo.add_document(Document(title="Late report", text="Late report from Mosul."))
    release.set()
    with qtbot.waitSignal(model.refreshed, timeout=5000):  # shown again from the event loop
        assert model.row_of(long_list[300]) == 300  # waited for the thread, answered at once
        assert model.rowCount() == 450  # not in the middle of the caller's work
    assert model.rowCount() == 451 and model.row_of(added) == 450 and model.is_complete()
