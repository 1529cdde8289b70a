"""The claim panel through the real widgets: claims are made from text selections with C,
given a cue (U) and a source (S), edited with combo boxes, linked, accepted, rejected and
undone. Every assertion reads the database or what the panel and the text show."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from gui.claim_model import ClaimTableModel
from gui.claim_panel import PART_FORMATS
from models.annotation import Certainty, Claim, ClaimKind, CueKind, SourceKind, Span, Status
from storage.repository import Repository
from tests.gui_helpers import click_offset, drag_select

TEXT = (
    "About twenty drones were launched on Sunday towards the port of Mukalla, where a coalition "
    "naval task force is based, a coast guard officer and a local official told Reuters.\n\n"
    "“The northern pier was struck by four drones” launched from the hills east of the city, "
    "a security official in the province told Reuters, speaking on condition of anonymity.\n\n"
    "He claimed that three of the drones were shot down by naval guns while “one hit a fuel depot.”\n\n"
    "For its part, the Yemeni defence ministry confirmed that “drones” had “damaged the northern pier”, "
    "adding that “a preliminary survey” was under way.\n\n"
    "Captain Laila Haddad, a spokeswoman for the task force, was not immediately able to confirm "
    "the number of casualties."
)
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
COLOURS = {part: fmt.background().color().name() for part, fmt in PART_FORMATS.items()}


def _at(needle: str, text: str = TEXT, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _claim(doc_id: int, content: str, **parts: str | tuple[int, int]) -> Claim:
    """A claim over ``content``; ``cue``/``source`` give a needle or its offsets."""
    fields: dict = {}
    for name, where in parts.items():
        start, end = _at(where) if isinstance(where, str) else where
        fields.update({f"{name}_start": start, f"{name}_end": end})
    start, end = _at(content)
    return Claim(doc_id=doc_id, content_start=start, content_end=end, **fields)


def _claim_marks(view) -> dict[str, str]:
    """The selected claim's marks in the text: part -> text under that part's style."""
    by_colour = {colour: part for part, colour in COLOURS.items()}
    marks = {}
    for selection in view.extraSelections():
        part = by_colour.get(selection.format.background().color().name())
        if part is not None:
            marks[part] = selection.cursor.selectedText()
    return marks


def _click_row(qtbot, panel, row: int, column: int = ClaimTableModel.CONTENT) -> None:
    table = panel.table
    index = panel.model.index(row, column)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())


def _shown(panel, row: int, column: int) -> str:
    return panel.model.index(row, column).data()


def test_c_makes_a_claim_u_and_s_set_cue_and_source_each_undone(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    window = main_window(repo, doc_id)
    view, panel = window.article.text, window.claim_panel
    assert window.panels.tabText(window.panels.indexOf(panel)) == "Claims"
    assert window.panels.indexOf(panel) == window.panels.indexOf(window.entity_panel) + 1

    content = _at("The northern pier was struck by four drones")
    drag_select(qtbot, view, content[0] + 2, content[1] - 2)  # sloppy: "e northern … dron"
    qtbot.keyClick(view, Qt.Key.Key_C)
    [claim] = repo.claims(doc_id)
    assert (claim.content_start, claim.content_end) == content, "snapped to whole tokens"
    assert (claim.status, claim.origin, claim.annotator) == (Status.ACCEPTED, "manual", "tester")
    assert panel.current_claim_id() == claim.id and window.panels.currentWidget() is panel
    assert _shown(panel, 0, ClaimTableModel.CONTENT) == "The northern pier was struck by four drones"

    drag_select(qtbot, view, *_at("told Reuters", nth=1))
    qtbot.keyClick(view, Qt.Key.Key_U)
    drag_select(qtbot, view, *_at("a security official in the province"))
    qtbot.keyClick(view, Qt.Key.Key_S)
    stored = repo.claim(claim.id)
    assert (stored.cue_start, stored.cue_end) == _at("told Reuters", nth=1)
    assert (stored.source_start, stored.source_end) == _at("a security official in the province")
    assert stored.source_span_id is None
    assert _shown(panel, 0, ClaimTableModel.SOURCE) == "a security official in the province"
    assert _shown(panel, 0, ClaimTableModel.CUE) == "told Reuters"
    assert _claim_marks(view) == {
        "content": "The northern pier was struck by four drones",
        "cue": "told Reuters",
        "source": "a security official in the province",
    }
    assert len(set(COLOURS.values())) == 3, "three distinct styles"

    reopened = Repository(repo.path)  # saved at once, visible to another connection
    assert reopened.claim(claim.id).cue_start == stored.cue_start
    reopened.close()

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert repo.claim(claim.id).source_start is None
    assert repo.claim(claim.id).cue_start == stored.cue_start
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert repo.claim(claim.id).cue_start is None
    assert "cue" not in _claim_marks(view)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert repo.claims(doc_id) == []
    assert panel.model.rowCount() == 0 and _claim_marks(view) == {}
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert [c.id for c in repo.claims(doc_id)] == [claim.id]
    assert panel.model.rowCount() == 1


def test_t_sets_the_content_of_the_selected_claim_and_undo_restores_it(
    qtbot, repo, make_document, main_window
):
    """A newcomer found a suggested claim's content cut short and no way to edit it but to
    delete and recreate the claim: T takes the selected text as the content."""
    doc_id = make_document(TEXT)
    short = _at("The northern pier was struck")
    claim = repo.add_claim(Claim(doc_id, *short))
    window = main_window(repo, doc_id)
    view, panel = window.article.text, window.claim_panel
    window.session.select_claim(claim.id)
    whole = _at("The northern pier was struck by four drones")
    drag_select(qtbot, view, whole[0] + 1, whole[1] - 1)  # sloppy edges: snapped to tokens
    qtbot.keyClick(view, Qt.Key.Key_T)
    assert (repo.claim(claim.id).content_start, repo.claim(claim.id).content_end) == whole
    assert _shown(panel, 0, ClaimTableModel.CONTENT) == "The northern pier was struck by four drones"
    assert _claim_marks(view)["content"] == "The northern pier was struck by four drones"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert (repo.claim(claim.id).content_start, repo.claim(claim.id).content_end) == short
    [claims_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "C&laims"]
    assert "Content from selection\tT" in [a.text() for a in claims_menu.actions()]


def test_s_takes_the_clicked_entity_as_source_and_links_it(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    name = _at("Laila Haddad")
    span = repo.add_span(Span(doc_id=doc_id, start=name[0], end=name[1], label="PERSON", text="Laila Haddad"))
    claim = repo.add_claim(_claim(doc_id, "was not immediately able to confirm the number of casualties"))
    window = main_window(repo, doc_id)
    view, panel = window.article.text, window.claim_panel
    _click_row(qtbot, panel, 0)
    assert window.session.selected_claim_id == claim.id

    click_offset(qtbot, view, name[0] + 2)  # the entity, not the claim, is selected
    assert window.session.selected_span_id == span.id
    qtbot.keyClick(view, Qt.Key.Key_S)
    stored = repo.claim(claim.id)
    assert (stored.source_start, stored.source_end, stored.source_span_id) == (*name, span.id)
    assert _shown(panel, 0, ClaimTableModel.SOURCE) == "Laila Haddad"

    assert repo.claim(claim.id).source_kind == SourceKind.NAMED_PERSON, "inferred from the PERSON entity"
    assert panel.kind_combo.currentText() == "named person"
    qtbot.keyClicks(panel.kind_combo, "a")  # the editor's combo: the analyst knows better
    assert repo.claim(claim.id).source_kind == SourceKind.ANONYMOUS_OFFICIAL
    assert _shown(panel, 0, ClaimTableModel.KIND) == "anonymous official"

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert repo.claim(claim.id).source_span_id is None
    drag_select(qtbot, view, *name)  # selected text that is exactly an entity links it too
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert repo.claim(claim.id).source_span_id == span.id


def test_editing_a_suggestion_accepts_it_and_keeps_its_origin(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    suggestion = _claim(doc_id, "three of the drones were shot down by naval guns", cue="claimed",
                        source=_at("He")).with_changes(origin="rules:claims@1")  # fmt: skip
    repo.apply_suggestions(doc_id, [], [suggestion])
    window = main_window(repo, doc_id)
    panel = window.claim_panel
    assert _shown(panel, 0, ClaimTableModel.STATUS) == "suggested"
    _click_row(qtbot, panel, 0)

    qtbot.keyClicks(panel.certainty_combo, "h")
    [claim] = repo.claims(doc_id)
    assert (claim.certainty, claim.status) == (Certainty.HEDGED, Status.ACCEPTED)
    assert claim.origin == "rules:claims@1"
    assert _shown(panel, 0, ClaimTableModel.CERTAINTY) == "hedged"
    assert _shown(panel, 0, ClaimTableModel.STATUS) == "accepted"

    _click_row(qtbot, panel, 0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    [claim] = repo.claims(doc_id)
    assert (claim.certainty, claim.status) == (Certainty.ASSERTED, Status.SUGGESTED)
    assert panel.certainty_combo.currentText() == "asserted"

    qtbot.keyClicks(panel.kind_combo, "a")  # the editor under the list
    qtbot.waitUntil(lambda: repo.claims(doc_id)[0].source_kind == SourceKind.ANONYMOUS_OFFICIAL)
    assert repo.claims(doc_id)[0].status == Status.ACCEPTED
    assert _shown(panel, 0, ClaimTableModel.KIND) == "anonymous official"

    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    assert repo.claims(doc_id)[0].status == Status.SUGGESTED
    # S with a selection on a suggested claim: it is accepted too, and the status bar says
    # so (the newcomer trial found it silent) and how to undo both
    drag_select(qtbot, window.article.text, *_at("He claimed"))
    qtbot.keyClick(window.article.text, Qt.Key.Key_S)
    [claim] = repo.claims(doc_id)
    assert (claim.status, TEXT[claim.source_start : claim.source_end]) == (Status.ACCEPTED, "He claimed")
    assert window.status_message.text() == (
        "Set source 'He claimed'; claim accepted (editing a suggestion accepts it; Ctrl+Z undoes both)"
    )
    assert window.session.undo_stack.undoText() == "Set source 'He claimed'; claim accepted"


def test_a_and_x_in_the_claim_list_judge_then_go_to_next(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    contents = ["The northern pier was struck by four drones",
                "three of the drones were shot down by naval guns", "damaged the northern pier"]  # fmt: skip
    rules = "rules:claims@1"
    repo.apply_suggestions(doc_id, [], [_claim(doc_id, c).with_changes(origin=rules) for c in contents])
    ids = [c.id for c in repo.claims(doc_id)]
    window = main_window(repo, doc_id)
    panel = window.claim_panel
    _click_row(qtbot, panel, 0)

    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    assert repo.claim(ids[0]).status == Status.ACCEPTED
    assert panel.current_claim_id() == ids[1], "the next suggestion is selected"
    qtbot.keyClick(panel.table, Qt.Key.Key_X)
    assert repo.claim(ids[1]).status == Status.REJECTED
    assert repo.claim(ids[1]).origin == "rules:claims@1"
    assert panel.current_claim_id() == ids[2]
    assert "1 accepted, 1 rejected" in panel.counts.text()

    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    assert repo.claim(ids[1]).status == Status.SUGGESTED
    assert _shown(panel, 1, ClaimTableModel.STATUS) == "suggested"


def test_pronoun_source_links_to_an_earlier_source(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    ministry = _at("the Yemeni defence ministry")
    repo.add_span(Span(doc_id=doc_id, start=ministry[0], end=ministry[1], label="ORG",
                       text="the Yemeni defence ministry"))  # fmt: skip
    repo.add_claim(_claim(doc_id, "The northern pier was struck by four drones",
                          source="a security official in the province", cue="told Reuters"))  # fmt: skip
    he = repo.add_claim(_claim(doc_id, "three of the drones were shot down by naval guns", source=_at("He")))
    window = main_window(repo, doc_id)
    panel = window.claim_panel
    _click_row(qtbot, panel, 1)
    assert _shown(panel, 1, ClaimTableModel.SOURCE) == "He"

    menu = panel.link_menu()
    offered = [a.text() for a in menu.actions()]
    assert offered == ["Earlier source: a security official in the province",
                       "ORG: the Yemeni defence ministry"]  # fmt: skip
    menu.actions()[0].trigger()
    stored = repo.claim(he.id)
    assert stored.source_text == "a security official in the province"
    assert (stored.source_start, stored.source_end) == _at("He"), "the mention stays"
    assert _shown(panel, 1, ClaimTableModel.SOURCE) == "He → a security official in the province"
    assert panel.source_label.text() == "He → a security official in the province"

    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    assert repo.claim(he.id).source_text == ""
    assert _shown(panel, 1, ClaimTableModel.SOURCE) == "He"

    panel.link_menu().actions()[1].trigger()  # or to an entity
    stored = repo.claim(he.id)
    assert stored.source_text == "the Yemeni defence ministry" and stored.source_span_id is not None


def test_clicking_a_claim_in_the_text_selects_its_row_and_its_parts(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    name = _at("Laila Haddad")
    span = repo.add_span(Span(doc_id=doc_id, start=name[0], end=name[1], label="PERSON", text="Laila Haddad"))
    pier = repo.add_claim(_claim(doc_id, "The northern pier was struck by four drones", cue="told Reuters",
                                 source="a security official in the province"))  # fmt: skip
    casualties = repo.add_claim(_claim(doc_id, "was not immediately able to confirm the number of casualties",
                                       source="Captain Laila Haddad"))  # fmt: skip
    window = main_window(repo, doc_id)
    view, panel = window.article.text, window.claim_panel
    window.panels.setCurrentWidget(window.entity_panel)
    assert _claim_marks(view) == {}

    click_offset(qtbot, view, _at("security official")[0] + 3)  # inside the first claim's source
    assert window.session.selected_claim_id == pier.id
    assert panel.current_claim_id() == pier.id and window.panels.currentWidget() is panel
    assert _claim_marks(view) == {
        "content": "The northern pier was struck by four drones",
        "cue": "told Reuters",
        "source": "a security official in the province",
    }

    click_offset(qtbot, view, name[0] + 1)  # an entity inside the other claim's source
    assert window.session.selected_span_id == span.id
    assert window.session.selected_claim_id == pier.id, "an entity click selects the entity"

    click_offset(qtbot, view, _at("number of casualties")[0] + 2)
    assert panel.current_claim_id() == casualties.id
    assert _claim_marks(view) == {"content": "was not immediately able to confirm the number of casualties",
                                  "source": "Captain Laila Haddad"}  # fmt: skip


def test_choosing_a_row_scrolls_the_text_to_the_claim(qtbot, repo, make_document, main_window):
    filler = "\n\n".join(f"Paragraph {n} of background on the port and its history." for n in range(120))
    text = filler + "\n\n" + TEXT
    doc_id = make_document(text)
    start, end = _at("one hit a fuel depot", text)
    claim = repo.add_claim(Claim(doc_id=doc_id, content_start=start, content_end=end))
    window = main_window(repo, doc_id)
    view, panel = window.article.text, window.claim_panel

    def on_screen() -> bool:
        cursor = QTextCursor(view.document())
        cursor.setPosition(claim.content_start)
        return view.viewport().rect().contains(view.cursorRect(cursor))

    assert not on_screen()
    window.panels.setCurrentWidget(panel)
    _click_row(qtbot, panel, 0)
    assert on_screen()
    assert _claim_marks(view) == {"content": "one hit a fuel depot"}


def test_note_is_saved_and_delete_in_the_list_is_undone(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    claim = repo.add_claim(_claim(doc_id, "a preliminary survey"))
    window = main_window(repo, doc_id)
    panel = window.claim_panel
    _click_row(qtbot, panel, 0)
    qtbot.mouseClick(panel.note_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.note_edit, "ask the ministry for the survey")
    qtbot.keyClick(panel.note_edit, Qt.Key.Key_Return)
    assert repo.claim(claim.id).note == "ask the ministry for the survey"
    assert "ask the ministry" in panel.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)

    _click_row(qtbot, panel, 0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert repo.claims(doc_id) == [] and panel.model.rowCount() == 0
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    [restored] = repo.claims(doc_id)
    assert (restored.id, restored.note) == (claim.id, "ask the ministry for the survey")
    assert panel.current_claim_id() == claim.id
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    assert repo.claim(claim.id).note == ""
    assert panel.note_edit.text() == ""


def test_refusals_are_status_bar_messages(qtbot, repo, make_document, main_window):
    doc_id = make_document("Officials said   nothing.")
    window = main_window(repo, doc_id)
    view = window.article.text
    drag_select(qtbot, view, 14, 16)  # only spaces
    qtbot.keyClick(view, Qt.Key.Key_C)
    assert repo.claims(doc_id) == []
    assert "no token" in window.status_message.text()
    drag_select(qtbot, view, 0, 9)
    qtbot.keyClick(view, Qt.Key.Key_S)  # no claim selected
    assert "Select a claim first" in window.status_message.text()
    qtbot.keyClick(view, Qt.Key.Key_C)
    qtbot.keyClick(view, Qt.Key.Key_C)  # nothing selected any more
    assert len(repo.claims(doc_id)) == 1
    assert "Select the text of the claim first" in window.status_message.text()


def test_cue_kind_and_claim_kind_are_shown_and_edited(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    suggestion = _claim(doc_id, "three of the drones were shot down by naval guns", cue="claimed",
                        source=_at("He")).with_changes(cue_kind=CueKind.SPEECH)  # fmt: skip
    repo.apply_suggestions(doc_id, [], [suggestion])
    window = main_window(repo, doc_id)
    panel = window.claim_panel
    [claim] = window.session.ordered_claims()
    assert panel.cards.card_lines(claim)[2] == "speech · unattributed · asserted"
    assert _shown(panel, 0, ClaimTableModel.CUE_KIND) == "speech"
    assert _shown(panel, 0, ClaimTableModel.CLAIM_KIND) == "statement"
    _click_row(qtbot, panel, 0)
    assert (panel.cue_kind_combo.currentText(), panel.claim_kind_combo.currentText()) == (
        "speech",
        "statement",
    )

    qtbot.keyClicks(panel.claim_kind_combo, "r")  # "he claimed that X did it": X's responsibility
    qtbot.keyClicks(panel.cue_kind_combo, "r")
    [stored] = repo.claims(doc_id)
    assert (stored.cue_kind, stored.claim_kind) == (CueKind.RESPONSIBILITY, ClaimKind.RESPONSIBILITY)
    assert _shown(panel, 0, ClaimTableModel.CUE_KIND) == "responsibility"
    [shown] = window.session.ordered_claims()
    assert panel.cards.card_lines(shown)[2] == "responsibility · unattributed · asserted"

    qtbot.keyClick(panel.cue_kind_combo, Qt.Key.Key_Home)  # the first choice: "not stated"
    assert repo.claims(doc_id)[0].cue_kind is None
    assert panel.cards.card_lines(window.session.ordered_claims()[0])[2] == (
        "responsibility claim · unattributed · asserted"
    )
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    assert repo.claims(doc_id)[0].cue_kind == CueKind.RESPONSIBILITY
    assert panel.cue_kind_combo.currentText() == "responsibility"
