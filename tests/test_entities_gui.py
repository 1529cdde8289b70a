"""Canonical entities through the real widgets: link review with L / Shift+L / Ctrl+L in the
article, merge with undo in the entities view, the mentions list opening the article, and
the sources view grouping pronoun claims and opening a claim. Every assertion reads the
database or what the widgets show."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from models.annotation import Claim, SourceKind, Span, Status
from models.document import Document
from storage.repository import Repository
from tests.gui_helpers import click_offset

SEED = (
    "Rockets hit the Ain al-Assad air base on Tuesday, a police official in the region told AFP.\n\n"
    "He said nobody was hurt.\n\n"
    "Later, an American military official said the Aïn al-Assad base was not damaged. "
    "He added that patrols continue."
)
OTHER = "Drones were seen near Ain al-Assad on Friday, a police official in the region said."
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _build(repo: Repository) -> tuple[int, int, dict[str, Span]]:
    seed = repo.add_document(Document(title="Rockets hit Ain al-Assad", text=SEED))
    other = repo.add_document(Document(title="Drones near the base", text=OTHER))
    spans = {}
    for name, (doc, text, needle, nth, status) in {
        "ain": (seed, SEED, "Ain al-Assad", 0, Status.SUGGESTED),
        "ain2": (seed, SEED, "Aïn al-Assad", 0, Status.SUGGESTED),
        "other": (other, OTHER, "Ain al-Assad", 0, Status.ACCEPTED),
    }.items():
        start, end = _at(text, needle, nth)
        spans[name] = repo.add_span(Span(doc, start, end, "FAC", needle, status=status))

    def claim(doc, text, content, source, cue, resolved="", nth=0):
        c, s = _at(text, content), _at(text, source, nth)
        q = (text.index(cue, s[0]), text.index(cue, s[0]) + len(cue))
        repo.add_claim(
            Claim(doc, *c, *q, *s, source_text=resolved, source_kind=SourceKind.ANONYMOUS_OFFICIAL)
        )

    claim(
        seed,
        SEED,
        "Rockets hit the Ain al-Assad air base on Tuesday",
        "a police official in the region",
        "told",
    )
    claim(seed, SEED, "nobody was hurt", "He", "said", "a police official in the region")
    claim(seed, SEED, "the Aïn al-Assad base was not damaged", "an American military official", "said", nth=0)
    claim(seed, SEED, "patrols continue", "He", "added", "an American military official", nth=1)
    claim(
        other,
        OTHER,
        "Drones were seen near Ain al-Assad on Friday",
        "a police official in the region",
        "said",
    )
    return seed, other, spans


def test_link_review_from_the_keyboard_with_undo(qtbot, repo, main_window) -> None:
    seed, _other, spans = _build(repo)
    repo.entities.suggest_links()
    window = main_window(repo, seed)
    text = window.article.text
    entity_id = repo.entities.links_of_document(seed)[spans["ain"].id][0]

    click_offset(qtbot, text, spans["ain"].start + 1)
    assert window.session.selected_span_id == spans["ain"].id
    assert "Suggested entity: Ain al-Assad" in window.status_message.text()  # 2 of 3 spell it so
    qtbot.keyClick(text, Qt.Key.Key_L)
    assert repo.entities.links_of_document(seed)[spans["ain"].id] == (entity_id, "Ain al-Assad", "accepted")

    click_offset(qtbot, text, spans["ain2"].start + 1)
    qtbot.keyClick(text, Qt.Key.Key_L, SHIFT)
    assert spans["ain2"].id not in repo.entities.links_of_document(seed)
    assert "no longer linked to 'Ain al-Assad'" in window.status_message.text()
    assert repo.entities.link_state(spans["ain2"].id).rejected == (entity_id,)

    qtbot.keyClick(text, Qt.Key.Key_Z, CTRL)  # undo the rejection
    assert repo.entities.links_of_document(seed)[spans["ain2"].id][2] == "suggested"
    qtbot.keyClick(text, Qt.Key.Key_Z, CTRL)  # undo the acceptance
    assert repo.entities.links_of_document(seed)[spans["ain"].id][2] == "suggested"


def test_ctrl_l_links_by_name_and_makes_a_new_entity(qtbot, repo, main_window, monkeypatch) -> None:
    seed, _other, spans = _build(repo)
    window = main_window(repo, seed)
    text = window.article.text
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Al Asad Airbase", True))
    click_offset(qtbot, text, spans["ain"].start + 1)
    qtbot.keyClick(text, Qt.Key.Key_L, CTRL)
    entity = repo.entities.find("Al Asad Airbase", "FAC")[0]
    assert repo.entities.links_of_document(seed)[spans["ain"].id] == (
        entity.id,
        "Al Asad Airbase",
        "accepted",
    )
    assert "Ain al-Assad" in entity.aliases  # the span's spelling is learned

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Al Asad Airbase", True))
    click_offset(qtbot, text, spans["ain2"].start + 1)
    qtbot.keyClick(text, Qt.Key.Key_L, CTRL)
    assert repo.entities.links_of_document(seed)[spans["ain2"].id][0] == entity.id
    assert repo.entities.count() == 1


def test_adding_a_span_suggests_a_known_entity(qtbot, repo, main_window) -> None:
    seed, other, spans = _build(repo)
    entity, _ = repo.entities.new_entity_for_span(spans["other"].id)
    window = main_window(repo, seed)
    text = window.article.text
    repo_span = window.session.spans[spans["ain"].id]
    window.session.delete_span(repo_span.id)
    start, end = _at(SEED, "Ain al-Assad")
    added = window.session.create_span(start, end, "FAC")
    assert added is not None
    assert repo.entities.links_of_document(seed)[added.id] == (entity.id, entity.name, "suggested")
    # relabelled, the suggestion goes (no ORG of that name); back to FAC, it returns
    window.session.relabel_span(added.id, "ORG")
    assert added.id not in repo.entities.links_of_document(seed)
    window.session.relabel_span(added.id, "FAC")
    assert repo.entities.links_of_document(seed)[added.id][0] == entity.id
    assert text is window.article.text


def test_merge_in_the_entities_view_with_undo(qtbot, repo, main_window) -> None:
    seed, other, spans = _build(repo)
    first, _ = repo.entities.new_entity_for_span(spans["ain"].id, "Ain al-Assad")
    second, _ = repo.entities.new_entity_for_span(spans["other"].id, "Ain al Asad air base")
    window = main_window(repo, seed)
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL | SHIFT)
    view = window.entity_links.entities_view
    qtbot.waitUntil(view.isVisible)
    names = [view.model.index(r, 0).data() for r in range(view.model.rowCount())]
    assert names == ["Ain al Asad air base", "Ain al-Assad"]
    assert view.model.index(1, 4).data() == 1  # mentions

    selection = view.table.selectionModel()
    view.table.setCurrentIndex(view.model.index(1, 0))  # the one kept
    selection.select(view.model.index(0, 0), QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)  # fmt: skip
    qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)
    assert repo.entities.count() == 1
    assert [view.model.index(r, 0).data() for r in range(view.model.rowCount())] == ["Ain al-Assad"]
    assert view.model.index(0, 3).data() == 2 and view.model.index(0, 4).data() == 2  # documents, mentions
    qtbot.waitUntil(lambda: view.mentions.rowCount() == 2)

    window.undo_action.trigger()
    assert repo.entities.count() == 2
    assert repo.entities.links_of_document(other)[spans["other"].id][0] == second.id
    assert view.model.rowCount() == 2

    # a mention opens its document with the span selected
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.waitUntil(lambda: view.mentions.rowCount() == 1)
    view.mention_table.doubleClicked.emit(view.mentions.index(0, 1))
    assert window.session.document.id == other
    assert window.session.selected_span_id == spans["other"].id
    assert first.id != second.id


def test_sources_view_groups_pronouns_and_opens_claims(qtbot, repo, main_window, monkeypatch) -> None:
    seed, other, _spans = _build(repo)
    window = main_window(repo, other)
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL | SHIFT)  # the entities view first: both share a tab
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL | SHIFT)
    view = window.entity_links.sources_view
    qtbot.waitUntil(lambda: view.isVisible() and not view.visibleRegion().isEmpty())
    rows = sorted(
        (view.sources.index(r, 0).data(), view.sources.index(r, 2).data())
        for r in range(view.sources.rowCount())
    )
    assert rows == [
        ("a police official in the region", 1),  # the other document's: never merged by itself
        ("a police official in the region", 2),
        ("an American military official", 2),
    ]

    view.document.setText("Rockets")
    qtbot.waitUntil(lambda: view.sources.rowCount() == 2 and view.summary.text() == "2 source(s), 4 claim(s)")
    view.document.clear()
    qtbot.waitUntil(lambda: view.sources.rowCount() == 3)
    assert view.select_source("an American military official")
    sentences = [view.claims.index(r, 1).data() for r in range(view.claims.rowCount())]
    assert sentences == [
        "an American military official — said → the Aïn al-Assad base was not damaged",
        "an American military official — added → patrols continue",
    ]
    assert not view.same_button.isEnabled()
    view.claim_table.doubleClicked.emit(view.claims.index(1, 1))
    assert window.session.document.id == seed
    claim = window.session.claims[window.session.selected_claim_id]
    assert SEED[claim.content_start : claim.content_end] == "patrols continue"

    # the police official in two documents: a suggestion, confirmed by hand, undoable
    police = [
        r for r in range(view.sources.rowCount()) if view.sources.index(r, 0).data().startswith("a police")
    ]
    assert len(police) == 2
    view.source_table.selectRow(police[0])
    assert view.same_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.same_button, Qt.MouseButton.LeftButton)
    rows = {
        view.sources.index(r, 0).data(): view.sources.index(r, 3).data()
        for r in range(view.sources.rowCount())
    }
    assert rows == {"a police official in the region": 2, "an American military official": 1}
    window.undo_action.trigger()
    assert view.sources.rowCount() == 3
