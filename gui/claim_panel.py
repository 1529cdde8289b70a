"""The claim panel: the open document's claims in a table, an editor for the selected
claim under it, and the wiring between panel, article text and session.

In the article: select text and press C to make a claim of it; with a claim selected,
select text and press S (source) or U (cue); S with no text selected takes the selected
entity span as the source. Clicking a claim's content, cue or source where no entity is
under the mouse selects the claim. In the table: A/Enter accepts, X rejects (then the next
suggested claim is selected), J/K step through suggested claims, Delete deletes.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QCursor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.claim_card import ClaimCardDelegate
from gui.claim_model import (
    CERTAINTY_NAMES,
    CLAIM_ID_ROLE,
    CLAIM_KIND_NAMES,
    CUE_KIND_NAMES,
    NO_CUE_KIND,
    SOURCE_KIND_NAMES,
    ClaimTableModel,
    elide,
    fill_choices,
    part_text,
    source_name,
)
from gui.keys import review_action
from gui.view_parts import fill_menu
from models.annotation import Certainty, Claim, ClaimKind, CueKind, SourceKind, Status

if TYPE_CHECKING:
    from gui.article_view import TextView
    from gui.main_window import MainWindow
    from gui.session import DocumentSession

# Keys in the article text (no modifier) -> what they do to claims.
CLAIM_KEYS = {Qt.Key.Key_C: "create", Qt.Key.Key_S: "source", Qt.Key.Key_U: "cue", Qt.Key.Key_T: "content"}

CLAIM_HELP = [
    ("C", "New claim from the selected text (snapped to tokens)"),
    ("S", "Source of the selected claim: the selected text, or the selected entity"),
    ("U", 'Cue of the selected claim ("told AFP", "claimed"): the selected text'),
    ("T", "Content (the text) of the selected claim: the selected text"),
    ("A / Enter, X (claim list)", "Accept / reject the selected claim, then go to the next suggestion"),
    ("J / K (claim list)", "Next / previous suggested claim"),
    ("Delete (claim list)", "Delete the selected claim"),
]

LINK_LABELS = ("PERSON", "ORG")
# The claim fields the editor's combo boxes set, with their value types.
_CHOICES = {"source_kind": SourceKind, "certainty": Certainty, "cue_kind": CueKind, "claim_kind": ClaimKind}


def _mark(background: str, bold: bool = False, underline: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(background))
    fmt.setForeground(QColor("black"))
    if bold:
        fmt.setFontWeight(700)
    if underline:
        fmt.setFontUnderline(True)
    return fmt


# The three parts of the selected claim, each in its own style; cue and source are drawn
# after the content so that they show where they lie inside it.
PART_FORMATS = {
    "content": _mark("#fff3a3"),
    "cue": _mark("#ffb870", bold=True),
    "source": _mark("#9ec9ff", underline=True),
}


class ClaimTableView(QTableView):
    review_key = Signal(str)  # "accept", "reject", "next", "previous" (gui/keys.py)
    delete_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.state() != QAbstractItemView.State.EditingState:
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.delete_pressed.emit()
                return
            action = review_action(event)
            if action in ("accept", "reject", "next", "previous"):
                self.review_key.emit(action)
                return
        super().keyPressEvent(event)


class ClaimPanel(QWidget):
    """Table of claims above an editor of the selected one. Every edit is a request
    (``change_requested``); what is shown changes when the session announces it."""

    claim_activated = Signal(object)  # claim id (row selection)
    change_requested = Signal(int, str, object)  # claim id, undo text, {field: value}
    review_requested = Signal(str)  # accept, reject, next, previous
    delete_requested = Signal(int)
    source_requested = Signal()  # from the article's selection
    cue_requested = Signal()

    def __init__(self, session: DocumentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._shown_id: int | None = None
        self.model = ClaimTableModel(session, self)
        self.table = self._build_table()
        self.counts = QLabel()
        self.counts.setObjectName("claimCounts")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.counts)
        layout.addWidget(self._build_editor(), 2)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.review_key.connect(self.review_requested)
        self.table.delete_pressed.connect(self._delete_current)
        model = self.model
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(self._update_counts)
        self.show_claim(None)

    # -- construction ------------------------------------------------------------------

    def _build_table(self) -> ClaimTableView:
        table = ClaimTableView()
        table.setObjectName("claimTable")
        table.setModel(self.model)
        # one card per claim, as wide as the panel: "Source — cue →", the content, the
        # source kind and certainty, the status as a chip (gui/claim_card.py)
        self.cards = ClaimCardDelegate(self.model, table)
        table.setItemDelegateForColumn(ClaimTableModel.CONTENT, self.cards)
        for column in range(1, self.model.columnCount()):
            table.setColumnHidden(column, True)
        table.horizontalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setShowGrid(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(self.cards.card_height(table.font()))
        return table

    def _build_editor(self) -> QWidget:
        editor = QWidget()
        editor.setObjectName("claimEditor")
        self.content_label, self.source_label, self.cue_label = QLabel(), QLabel(), QLabel()
        for label in (self.content_label, self.source_label, self.cue_label):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("claimSourceKind")
        fill_choices(self.kind_combo, SOURCE_KIND_NAMES)
        self.certainty_combo = QComboBox()
        self.certainty_combo.setObjectName("claimCertainty")
        fill_choices(self.certainty_combo, CERTAINTY_NAMES)
        self.cue_kind_combo = QComboBox()
        self.cue_kind_combo.setObjectName("claimCueKind")
        fill_choices(self.cue_kind_combo, CUE_KIND_NAMES, unset=NO_CUE_KIND)
        self.claim_kind_combo = QComboBox()
        self.claim_kind_combo.setObjectName("claimClaimKind")
        fill_choices(self.claim_kind_combo, CLAIM_KIND_NAMES)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("claimNote")
        self.note_edit.setPlaceholderText("Note (Enter saves)")
        self.source_button = QPushButton("Source (S)")
        self.source_button.setToolTip("The selected text, or the selected entity, is the claim's source")
        self.cue_button = QPushButton("Cue (U)")
        self.cue_button.setToolTip('The selected text is the claim\'s cue ("told AFP", "claimed")')
        self.link_button = QPushButton("Link source…")
        self.link_button.setToolTip("Resolve the source (a pronoun, say) to an earlier source or an entity")
        self.accept_button = QPushButton("Accept (A)")
        self.reject_button = QPushButton("Reject (X)")
        form = QFormLayout()
        form.addRow("Content", self.content_label)
        form.addRow("Source", self.source_label)
        form.addRow("Cue", self.cue_label)
        form.addRow("Source kind", self.kind_combo)
        form.addRow("Certainty", self.certainty_combo)
        form.addRow("Cue kind", self.cue_kind_combo)
        form.addRow("Claim kind", self.claim_kind_combo)
        form.addRow("Note", self.note_edit)
        parts, verdicts = QHBoxLayout(), QHBoxLayout()
        for button in (self.source_button, self.cue_button, self.link_button):
            parts.addWidget(button)
        for button in (self.accept_button, self.reject_button):
            verdicts.addWidget(button)
        verdicts.addStretch(1)
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(parts)
        layout.addLayout(verdicts)
        layout.addStretch(1)
        self.kind_combo.activated.connect(lambda _=0: self._choose("source_kind", self.kind_combo))
        self.certainty_combo.activated.connect(lambda _=0: self._choose("certainty", self.certainty_combo))
        self.cue_kind_combo.activated.connect(lambda _=0: self._choose("cue_kind", self.cue_kind_combo))
        self.claim_kind_combo.activated.connect(lambda _=0: self._choose("claim_kind", self.claim_kind_combo))
        self.note_edit.editingFinished.connect(self._note_edited)
        self.source_button.clicked.connect(self.source_requested)
        self.cue_button.clicked.connect(self.cue_requested)
        self.link_button.clicked.connect(self._show_link_menu)
        self.accept_button.clicked.connect(lambda: self.review_requested.emit("accept"))
        self.reject_button.clicked.connect(lambda: self.review_requested.emit("reject"))
        self._editors = (self.kind_combo, self.certainty_combo, self.cue_kind_combo, self.claim_kind_combo,
                         self.note_edit, self.source_button,
                         self.cue_button, self.link_button, self.accept_button,
                         self.reject_button)  # fmt: skip
        return editor

    # -- showing -----------------------------------------------------------------------

    def current_claim_id(self) -> int | None:
        current = self.table.currentIndex()
        return current.data(CLAIM_ID_ROLE) if current.isValid() else None

    def select_claim(self, claim_id: int | None) -> None:
        """Follow a selection made elsewhere without announcing it back."""
        if claim_id is None or claim_id != self.current_claim_id():
            selection = self.table.selectionModel()
            selection.blockSignals(True)
            try:
                row = self.model.row_of(claim_id) if claim_id is not None else None
                if row is None:
                    self.table.clearSelection()
                    selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
                else:
                    index = self.model.index(row, 0)
                    flags = QItemSelectionModel.SelectionFlag
                    selection.setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
                    self.table.scrollTo(index)
            finally:
                selection.blockSignals(False)
            self.table.viewport().update()
        self.show_claim(self.session.claims.get(claim_id) if claim_id is not None else None)

    def show_claim(self, claim: Claim | None) -> None:
        """Fill the editor with ``claim`` (or empty and disable it)."""
        # a note being typed survives a change of the same claim made elsewhere
        keep_note = (claim is not None and claim.id == self._shown_id
                     and self.note_edit.hasFocus() and self.note_edit.isModified())  # fmt: skip
        self._shown_id = claim.id if claim is not None else None
        for widget in self._editors:
            widget.setEnabled(claim is not None)
        if claim is None:
            for label in (self.content_label, self.source_label, self.cue_label):
                label.clear()
            self.note_edit.clear()
            return
        self.content_label.setText(elide(self.model.text_of(claim, "content"), 400))
        self.source_label.setText(self.model.source_label(claim) or "—")
        self.cue_label.setText(" ".join(self.model.text_of(claim, "cue").split()) or "—")
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(claim.source_kind.value))
        self.certainty_combo.setCurrentIndex(self.certainty_combo.findData(claim.certainty.value))
        cue_kind = claim.cue_kind.value if claim.cue_kind is not None else None
        self.cue_kind_combo.setCurrentIndex(self.cue_kind_combo.findData(cue_kind))
        self.claim_kind_combo.setCurrentIndex(self.claim_kind_combo.findData(claim.claim_kind.value))
        if not keep_note:
            self.note_edit.setText(claim.note)
            self.note_edit.setModified(False)

    def _update_counts(self, *_args) -> None:
        claims = self.model.records()
        by_status = Counter(c.status.value for c in claims)
        shown = ", ".join(f"{by_status[s.value]} {s.value}" for s in Status)
        self.counts.setText(f"{len(claims)} claims: {shown}")

    # -- requests ----------------------------------------------------------------------

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.claim_activated.emit(current.data(CLAIM_ID_ROLE))

    def _delete_current(self) -> None:
        claim_id = self.current_claim_id()
        if claim_id is not None:
            self.delete_requested.emit(claim_id)

    def _choose(self, field: str, combo: QComboBox) -> None:
        claim = self.session.claims.get(self._shown_id)
        if claim is None:
            return
        data = combo.currentData()
        value = None if data is None else _CHOICES[field](data)
        if value != getattr(claim, field):
            self.change_requested.emit(claim.id, f"Set {field.replace('_', ' ')} to {combo.currentText()}",
                                       {field: value})  # fmt: skip

    def _note_edited(self) -> None:
        claim = self.session.claims.get(self._shown_id)
        if claim is not None and self.note_edit.text() != claim.note:
            self.change_requested.emit(claim.id, "Edit claim note", {"note": self.note_edit.text()})
        self.note_edit.setModified(False)

    # -- linking a source (a pronoun to whom it refers) --------------------------------

    def link_targets(self, claim: Claim) -> list[tuple[str, dict]]:
        """Menu entries for resolving the claim's source: earlier claims' sources
        (nearest first), then the document's PERSON and ORG spans."""
        session = self.session
        targets: list[tuple[str, dict]] = []
        seen: set[str] = set()
        text = session.document.text if session.document else ""
        for other in reversed(session.ordered_claims()):
            if other.status == Status.REJECTED or other.content_start >= claim.content_start:
                continue
            name = " ".join((source_name(other, session.spans) or part_text(text, other, "source")).split())
            if name and name not in seen:
                seen.add(name)
                targets.append((f"Earlier source: {elide(name, 50)}",
                                {"source_span_id": other.source_span_id, "source_text": name}))  # fmt: skip
        for span in session.ordered_spans():
            if span.label in LINK_LABELS and span.status != Status.REJECTED:
                targets.append((f"{span.label}: {elide(span.text, 50)}",
                                {"source_span_id": span.id, "source_text": span.text}))  # fmt: skip
        return targets

    def link_menu(self) -> QMenu:
        """What "Link source to…" offers for the selected claim."""
        menu = QMenu(self)
        claim = self.session.claims.get(self._shown_id)
        if claim is None:
            menu.addAction("Select a claim first").setEnabled(False)
            return menu
        for text, changes in self.link_targets(claim):
            name = changes["source_text"]
            menu.addAction(text, lambda claim_id=claim.id, changes=changes, undo=f"Link source to {name!r}":
                           self.change_requested.emit(claim_id, undo, changes))  # fmt: skip
        if menu.isEmpty():
            menu.addAction("No earlier source or PERSON/ORG entity to link to").setEnabled(False)
        return menu

    def _show_link_menu(self) -> None:
        self.link_menu().exec(self.link_button.mapToGlobal(QPoint(0, self.link_button.height())))


class ClaimController(QObject):
    """Connects the panel, the article text and the session: session signals update the
    table, the editor and the marks in the text; keys and clicks in the text become
    requests to the session."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session: DocumentSession = window.session
        self.text: TextView = window.article.text
        self.panel = ClaimPanel(self.session)
        self.panel.setObjectName("claimPanel")
        self._clicked_at: QPoint | None = None
        self._scroll = True
        self._connect()
        # kept, not looked up in eventFilter: it also sees events while the view is destroyed
        self._viewport = self.text.viewport()
        self.text.installEventFilter(self)
        self._viewport.installEventFilter(self)

    def _connect(self) -> None:
        session, panel = self.session, self.panel
        session.claims_reset.connect(self._claims_reset)
        session.claim_added.connect(panel.model.add)
        session.claim_removed.connect(lambda claim: panel.model.remove(claim.id))
        session.claim_changed.connect(self._claim_changed)
        session.claim_selected.connect(self._claim_selected)
        for signal in (session.span_added, session.span_removed, session.span_changed, session.spans_reset,
                       session.spans_loaded):  # fmt: skip
            signal.connect(panel.model.refresh_sources)
        panel.claim_activated.connect(session.select_claim)
        panel.change_requested.connect(lambda claim_id, undo, fields:
                                       session.change_claim(claim_id, undo, **fields))  # fmt: skip
        panel.review_requested.connect(self.review)
        panel.delete_requested.connect(session.delete_claim)
        panel.source_requested.connect(self.source_from_selection)
        panel.cue_requested.connect(self.cue_from_selection)
        self.text.span_clicked.connect(self._text_clicked)

    # -- following the session ---------------------------------------------------------

    def _claims_reset(self, claims: list[Claim]) -> None:
        self.panel.model.reset(claims)
        selected = self.session.selected_claim_id
        if selected not in self.session.claims:
            selected = None
        self.panel.select_claim(selected)
        self._show_marks(selected, scroll=False)

    def _claim_changed(self, _old: Claim, new: Claim) -> None:
        self.panel.model.replace(new)
        if new.id == self.session.selected_claim_id:
            self.panel.show_claim(new)
            self._show_marks(new.id, scroll=False)

    def _claim_selected(self, claim_id: int | None) -> None:
        self.panel.select_claim(claim_id)
        self._show_marks(claim_id, scroll=self._scroll)
        if claim_id is not None:
            self.window.panels.setCurrentWidget(self.panel)

    def _show_marks(self, claim_id: int | None, scroll: bool) -> None:
        claim = self.session.claims.get(claim_id) if claim_id is not None else None
        if claim is None:
            self.text.set_marks("claim", [])
            return
        parts = claim.parts()
        marks = [(*parts[name], fmt) for name, fmt in PART_FORMATS.items() if parts[name]]
        self.text.set_marks("claim", marks)
        if scroll and not self._visible(claim.content_start):
            self.text.scroll_to(claim.content_start, claim.content_end)

    def _visible(self, offset: int) -> bool:
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self.text.offsets.to_qt(offset))
        return self.text.viewport().rect().contains(self.text.cursorRect(cursor))

    # -- keys and clicks in the article ------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind == QEvent.Type.KeyPress and watched is self.text:
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            action = CLAIM_KEYS.get(Qt.Key(event.key())) if mods == Qt.KeyboardModifier.NoModifier else None
            if action is not None:
                {"create": self.create_from_selection, "source": self.source_from_selection,
                 "cue": self.cue_from_selection,
                 "content": self.content_from_selection}[action]()  # fmt: skip
                return True
        elif (kind == QEvent.Type.MouseButtonRelease and watched is self._viewport
              and event.button() == Qt.MouseButton.LeftButton):  # fmt: skip
            # The text view reports a plain click on no entity as span_clicked(None),
            # synchronously while handling this release: remember where it was until then.
            self._clicked_at = event.position().toPoint()
            QTimer.singleShot(0, self._forget_click)
        return False

    def _forget_click(self) -> None:
        self._clicked_at = None

    def _text_clicked(self, span_id: int | None) -> None:
        if span_id is not None or self._clicked_at is None:
            return
        claim = self.claim_at(self._offset_under(self._clicked_at))
        if claim is not None and claim.id != self.session.selected_claim_id:
            self._scroll = False  # it is under the mouse already; the caret stays put
            try:
                self.session.select_claim(claim.id)
            finally:
                self._scroll = True

    def _offset_under(self, point: QPoint) -> int:
        """The character under ``point`` (as TextView.spans_at_point finds it)."""
        cursor = self.text.cursorForPosition(point)
        offset = self.text.offsets.from_qt(cursor.position())
        if point.x() < self.text.cursorRect(cursor).x() and offset > 0:
            offset -= 1
        return offset

    def claim_at(self, offset: int) -> Claim | None:
        """The claim with a part over ``offset``: the selected claim if it is one of
        them, else the one whose part there is shortest. Rejected claims are skipped."""
        best: tuple[int, Claim] | None = None
        for claim in self.session.ordered_claims():
            if claim.status == Status.REJECTED:
                continue
            lengths = [b - a for a, b in filter(None, claim.parts().values()) if a <= offset < b]
            if not lengths:
                continue
            if claim.id == self.session.selected_claim_id:
                return claim
            if best is None or min(lengths) < best[0]:
                best = (min(lengths), claim)
        return best[1] if best else None

    def create_from_selection(self) -> None:
        selection = self.text.selection_offsets()
        if selection is None:
            self.session.message.emit("Select the text of the claim first, then press C.")
            return
        self.session.create_claim(*selection)
        self.text.clear_text_selection()

    def source_from_selection(self) -> None:
        claim = self._claim_to_edit()
        if claim is None:
            return
        selection = self.text.selection_offsets()
        if selection is not None:
            self.session.set_claim_part(claim.id, "source", *selection)
            self.text.clear_text_selection()
        elif self.session.selected_span_id is not None:
            self.session.set_claim_source_span(claim.id, self.session.selected_span_id)
        else:
            self.session.message.emit("Select the source's text or click its entity, then press S.")

    def cue_from_selection(self) -> None:
        self._part_from_selection("cue", 'Select the cue\'s text ("told AFP", "claimed"), then press U.')

    def content_from_selection(self) -> None:
        self._part_from_selection("content", "Select the text the claim says, then press T.")

    def _part_from_selection(self, part: str, hint: str) -> None:
        """The selected claim's ``part`` (cue, content) from the selected text; ``hint``
        when nothing is selected."""
        claim = self._claim_to_edit()
        if claim is None:
            return
        selection = self.text.selection_offsets()
        if selection is None:
            self.session.message.emit(hint)
            return
        self.session.set_claim_part(claim.id, part, *selection)
        self.text.clear_text_selection()

    def delete_selected(self) -> None:
        if self.session.selected_claim_id is not None:
            self.session.delete_claim(self.session.selected_claim_id)

    def _claim_to_edit(self) -> Claim | None:
        claim = self.session.selected_claim
        if claim is None:
            self.session.message.emit("Select a claim first (in the Claims list or by clicking it).")
        return claim

    # -- reviewing ---------------------------------------------------------------------

    def review(self, action: str) -> None:
        """accept / reject the selected claim, then select the next suggested claim;
        next / previous step through suggested claims."""
        claim = self.session.selected_claim
        if action in ("next", "previous") or claim is None:
            self._select_suggestion(claim, forward=action != "previous")
            return
        verdict = Status.ACCEPTED if action == "accept" else Status.REJECTED
        self.session.change_claim(claim.id, f"{action.title()} claim", status=verdict)
        self._select_suggestion(claim, forward=True, after_verdict=True)

    def _select_suggestion(self, current: Claim | None, forward: bool, after_verdict: bool = False) -> None:
        pending = [c for c in self.session.ordered_claims() if c.status == Status.SUGGESTED]
        if not pending:
            if not after_verdict:
                self.session.message.emit("No suggested claims left to review in this document.")
            return
        key = (current.content_start, current.id) if current else (-1, 0)
        if forward:
            chosen = next((c for c in pending if (c.content_start, c.id) > key), pending[0])
        else:
            chosen = next((c for c in reversed(pending) if (c.content_start, c.id) < key), pending[-1])
        self.session.select_claim(chosen.id)


def install_claim_panel(window: MainWindow) -> ClaimController:
    """Add the Claims tab beside Entities, the Claims menu and the claim keys."""
    controller = ClaimController(window)
    window.claim_panel = controller.panel
    window.claim_controller = controller
    window.panels.insertTab(window.panels.indexOf(window.entity_panel) + 1, controller.panel, "Claims")
    menu = QMenu("C&laims", window)
    entries = [
        ("New claim from selection\tC", controller.create_from_selection),
        ("Source from selection or selected entity\tS", controller.source_from_selection),
        ("Cue from selection\tU", controller.cue_from_selection),
        ("Content from selection\tT", controller.content_from_selection),
        ("Link source to…", lambda: controller.panel.link_menu().exec(QCursor.pos())),
        (None, None),
        ("Accept claim\tA in the list", lambda: controller.review("accept")),
        ("Reject claim\tX in the list", lambda: controller.review("reject")),
        ("Next suggested claim\tJ in the list", lambda: controller.review("next")),
        ("Delete claim\tDel in the list", controller.delete_selected),
    ]
    fill_menu(menu, entries)
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
    window.claims_menu = menu
    return controller
