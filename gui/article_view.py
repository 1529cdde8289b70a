"""The article: title, source and date above the read-only text with its spans.

Mouse and keyboard: select text and press a label's number key (or use the context menu)
to add a span; click a span to select it (click again to cycle through overlapping spans);
Delete removes the selected span; a number key relabels it.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from gui.highlighter import SpanIndex, display_layout
from gui.keys import RESIZE_ACTIONS, review_action
from gui.label_tags import LabelTagPainter, TaggedHighlighter
from gui.offsets import OffsetMap
from models.annotation import Span, Status
from models.document import Document
from models.labels import LabelSet

_WINDOW_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
# Blocks formatted beyond the screen's edges, so that a short scroll finds them ready
# (a block scrolled into view is formatted before it is painted in any case).
_MARGIN_BLOCKS = 20
_MARGIN_CHARS = 1_500
NUMBER_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


class TextView(QPlainTextEdit):
    """Read-only text whose positions the rest of the app sees as code points."""

    create_requested = Signal(int, int, str)  # start, end, label
    span_clicked = Signal(object)  # span id or None
    delete_requested = Signal(int)
    relabel_requested = Signal(int, str)
    key_action = Signal(str)  # a review key: "accept", "next", ... (gui/keys.py)
    text_needed = Signal(int)  # a code point not shown yet (show_text's shown_to) is needed

    def __init__(self, labels: LabelSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels = labels
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setMouseTracking(True)
        self.stored_text = ""  # the text shown, as stored (code points)
        self.shown_to = 0  # code points of stored_text shown so far (show_text)
        self.offsets = OffsetMap("")
        self.index = SpanIndex([0], self.offsets)
        self.highlighter = TaggedHighlighter(labels, self.document())
        self.verticalScrollBar().valueChanged.connect(self.format_visible)
        self.tags = LabelTagPainter(self, self.highlighter)
        self.selected_span_id: int | None = None
        self._marks: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self._mark_ranges: dict[str, list[tuple[int, int, QTextCharFormat]]] = {}
        self._press_pos: QPoint | None = None

    # -- content -----------------------------------------------------------------------

    def show_text(self, text: str, spans: list[Span], shown_to: int | None = None) -> None:
        """Show a new text with its spans (the blocks near the screen formatted at once).
        With ``shown_to`` (just after a line break), only the text before it is shown for
        now and ``spans`` are the spans that start there: ``extend_text`` shows more (a
        long article is shown a part at a time, so that its start shows at once)."""
        self._marks.clear()
        self._mark_ranges.clear()
        self.setExtraSelections([])
        self.selected_span_id = None
        self.stored_text = text
        self.shown_to = len(text) if shown_to is None else shown_to
        # long paragraphs in blocks of DISPLAY_BLOCK at most
        shown, starts = display_layout(text[: self.shown_to])
        self.offsets = OffsetMap(text, self.shown_to)
        self.index = SpanIndex(starts, self.offsets, spans, self.shown_to)
        # The first blocks are formatted before the text is first painted; the others as
        # they come near the screen (format_visible).
        self.highlighter.reset(self.index, range(0))
        self.setPlainText(shown)
        self.format_visible()

    def extend_text(self, end: int, spans: list[Span]) -> None:
        """Show the stored text up to code point ``end`` (just after a line break, or the
        end of the text) with ``spans``, those that start in the text it adds. The view,
        the caret and the selection stay where they were."""
        start = self.shown_to
        if end <= start:
            return
        shown, starts = display_layout(self.stored_text[start:end])
        self.offsets.extend(end)
        last_block = self.document().blockCount() - 1  # empty: the added text goes into it
        self.index.extend([start + block for block in starts], spans, end)
        kept = self.textCursor()
        anchor, position = kept.anchor(), kept.position()
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        end_shown = self.viewport().rect().intersects(self.cursorRect(cursor))
        # The plain-text layout asks for the whole view to be repainted on any change to
        # the document; text added below the view changes nothing on screen but the
        # scroll bar, so the layout is silenced while it is added and the scroll bar told.
        layout = self.document().documentLayout()
        layout.blockSignals(True)
        try:
            cursor.insertText(shown)
        finally:
            layout.blockSignals(False)
        layout.documentSizeChanged.emit(layout.documentSize())
        if end_shown:
            self.viewport().update()
        self.shown_to = end
        if (kept.anchor(), kept.position()) != (anchor, position):  # it was at the end
            kept.setPosition(anchor)
            kept.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(kept)
        # marks that reached the old end grew with the insertion, or were waiting for it
        for layer, ranges in list(self._mark_ranges.items()):
            if any(mark_end >= start for _, mark_end, _ in ranges):
                self.set_marks(layer, ranges)
        self.highlighter.refresh_blocks([last_block])  # formatted while empty: again, if so
        self.format_visible()

    def _need(self, offset: int) -> None:
        """Ask for the text up to ``offset`` to be shown (``text_needed``) before using it."""
        if offset > self.shown_to:
            self.text_needed.emit(offset)

    def format_visible(self) -> None:
        """Have the highlighter format the blocks on screen and a few on either side (up
        to ``_MARGIN_BLOCKS`` holding at most ``_MARGIN_CHARS`` code units)."""
        block = self.firstVisibleBlock()
        if not block.isValid():
            return
        first = last = block.blockNumber()
        # format what is likely on screen before measuring it: measuring lays a block
        # out, and formatting it then lays it out again
        self.highlighter.format_blocks(range(first, first + self._screenful(block)))
        offset, height = self.contentOffset(), self.viewport().height()
        while block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() <= height:
            last = block.blockNumber()
            block = block.next()
        before = _margin(self.document().findBlockByNumber(first).previous(), QTextBlock.previous)
        after = _margin(self.document().findBlockByNumber(last).next(), QTextBlock.next)
        self.highlighter.format_blocks(range(first - before, last + after + 1))

    def _screenful(self, block: QTextBlock) -> int:
        """About how many blocks from ``block`` on fill the viewport, from their lengths
        (not laid out yet) and the font's average character width."""
        metrics = self.fontMetrics()
        lines = self.viewport().height() // max(metrics.lineSpacing(), 1) + 1
        per_line = max(self.viewport().width() // max(metrics.averageCharWidth(), 1), 1)
        count = 0
        while block.isValid() and lines > 0:
            lines -= block.length() // per_line + 1
            count += 1
            block = block.next()
        return count

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.format_visible()

    def visible_range(self) -> tuple[int, int]:
        """Code points ``[start, end)`` of the text laid out in the viewport."""
        viewport = self.viewport().rect()
        first = self.offsets.from_qt(self.cursorForPosition(viewport.topLeft()).position())
        last = self.offsets.from_qt(self.cursorForPosition(viewport.bottomRight()).position())
        return first, min(last + 1, self.offsets.length)

    def visible_spans(self) -> list[Span]:
        """Spans (rejected ones too; callers choose) overlapping ``visible_range()``, by
        start: what a painter over the text needs, found through the block index."""
        return self.index.overlapping(*self.visible_range())

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 (Qt override)
        """Copy gives the stored code points (Qt would give a line break where a long
        paragraph is split for display, ``display_layout``)."""
        # Qt's own mime data with its text replaced: a QMimeData made here would be owned
        # by Python and by the clipboard at once (deleted twice: a crash at exit). Qt fills
        # it lazily from the display text on the first read, so read it first, then drop
        # every format (the rich ones carry the display breaks) and set the stored text.
        mime = super().createMimeDataFromSelection()
        mime.data("text/plain")
        for name in mime.formats():
            mime.removeFormat(name)
        selection = self.selection_offsets()
        if selection is not None:
            mime.setText(self.stored_text[selection[0] : selection[1]])
        return mime

    def restyle(self) -> None:
        """Draw the spans again in the label set's current colours."""
        self.highlighter.restyle()
        self.viewport().update()

    def add_span(self, span: Span) -> None:
        self.highlighter.refresh_blocks(self.index.add(span))

    def remove_span(self, span_id: int) -> None:
        self.highlighter.refresh_blocks(self.index.remove(span_id))
        if self.selected_span_id == span_id:
            self.mark_span(None)

    def replace_span(self, old: Span, new: Span) -> None:
        blocks = set(self.index.remove(old.id)) | set(self.index.add(new))
        self.highlighter.refresh_blocks(sorted(blocks))
        if self.selected_span_id == new.id:
            self.mark_span(new.id)

    # -- positions ---------------------------------------------------------------------

    def selection_offsets(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.offsets.from_qt(cursor.selectionStart()), self.offsets.from_qt(cursor.selectionEnd())

    def select_offsets(self, start: int, end: int) -> None:
        """Select a code-point range (as a user would by dragging)."""
        self._need(end)
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def offset_at(self, point: QPoint) -> int:
        return self.offsets.from_qt(self.cursorForPosition(point).position())

    def spans_at_point(self, point: QPoint) -> list[Span]:
        """Spans under a viewport point: those of the grapheme cluster (a letter with its
        combining marks, an emoji sequence) whose box holds the point."""
        position = self.cursorForPosition(point).position()
        # the caret lands between clusters: the one under the mouse is the cluster after
        # or before it whose box (between its two caret positions, in either order for
        # right-to-left text) holds the point
        offset = self.offsets.from_qt(position)
        cursor = QTextCursor(self.document())
        for move in (QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveOperation.PreviousCharacter):
            cursor.setPosition(position)
            if cursor.movePosition(move):
                left, right = sorted((position, cursor.position()))
                if self._box_holds(left, right, point):
                    offset = self.offsets.from_qt(left)
                    break
        return [s for s in self.index.at(offset) if s.status != Status.REJECTED]

    def _box_holds(self, left_position: int, right_position: int, point: QPoint) -> bool:
        """Whether the box between two Qt caret positions holds ``point``."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(left_position)
        left = self.cursorRect(cursor)
        cursor.setPosition(right_position)
        right = self.cursorRect(cursor)
        if left.top() != right.top():  # the cluster ends a visual line
            return left.top() <= point.y() <= left.bottom()
        low, high = sorted((left.x(), right.x()))
        return low <= point.x() <= high and left.top() <= point.y() <= left.bottom()

    def tooltip_at(self, point: QPoint) -> str:
        """Label, status and origin of every span under ``point``, one per line."""
        return "\n".join(_describe(s) for s in self.spans_at_point(point))

    def qt_range(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.to_qt(start), self.offsets.to_qt(end)

    # -- transient marks (the selected span, claim parts, search hits) ------------------

    def set_marks(self, layer: str, ranges: list[tuple[int, int, QTextCharFormat]]) -> None:
        """Marks of one layer (code points ``[start, end)`` and a format); those in text
        not shown yet are made when it is shown (``extend_text``)."""
        self._mark_ranges[layer] = list(ranges)
        selections = []
        for start, end, fmt in ranges:
            if end > self.shown_to:
                continue
            selection = QTextEdit.ExtraSelection()
            cursor = self.textCursor()
            a, b = self.qt_range(start, end)
            cursor.setPosition(a)
            cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self._marks[layer] = selections
        self.setExtraSelections([s for marks in self._marks.values() for s in marks])

    def mark_span(self, span_id: int | None, scroll: bool = False) -> None:
        self.selected_span_id = span_id
        span = self.index.spans.get(span_id) if span_id is not None else None
        if span is None:
            self.set_marks("span", [])
            return
        fmt = QTextCharFormat()
        colour = QColor(self.labels.get(span.label).colour)
        fmt.setBackground(colour.darker(135))
        fmt.setForeground(QColor("white"))
        fmt.setFontWeight(700)
        self.set_marks("span", [(span.start, span.end, fmt)])
        if scroll:
            self.scroll_to(span.start, span.end)

    def ensure_visible(self, offset: int) -> None:
        """Scroll so that ``offset`` is on screen (moving the caret there if needed)."""
        self._need(offset)
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(offset))
        if not self.viewport().rect().contains(self.cursorRect(cursor)):
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    def scroll_to(self, start: int, end: int) -> None:
        """Bring code points ``[start, end)`` into view, to the middle of the view when
        they are out of it (stepping through spans then scrolls once a half page, not
        every line: each scroll repaints the view), and put the caret at ``start``."""
        self._need(end)
        first = QTextCursor(self.document())
        first.setPosition(self.offsets.to_qt(start))
        last = QTextCursor(self.document())
        last.setPosition(self.offsets.to_qt(end))
        viewport = self.viewport().rect()
        caret = self.textCursor()
        caret.clearSelection()
        caret.setPosition(first.position())
        if not (viewport.contains(self.cursorRect(first)) and viewport.contains(self.cursorRect(last))):
            self.setTextCursor(caret)
            self.centerCursor()
        elif caret.position() == self.textCursor().position() and not self.textCursor().hasSelection():
            return
        self.setTextCursor(caret)

    # -- events ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        self.tags.paint(QPainter(self.viewport()), event.rect())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in NUMBER_KEYS and mods == Qt.KeyboardModifier.NoModifier:
            label = self.labels.by_key(NUMBER_KEYS[key])
            if label is not None:
                self._apply_label(label.name)
                return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected_span_id is not None:
            self.delete_requested.emit(self.selected_span_id)
            return
        if key == Qt.Key.Key_Escape:
            self.clear_text_selection()
            self.span_clicked.emit(None)
            return
        action = review_action(event)
        if action in RESIZE_ACTIONS and self.textCursor().hasSelection():
            action = None  # Shift+arrows extend a text selection as usual
        if action is not None and (self.selected_span_id is not None or action not in RESIZE_ACTIONS):
            self.key_action.emit(action)
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt override)
        return False  # Tab / Shift+Tab step through suggestions (keyPressEvent)

    def _apply_label(self, label: str) -> None:
        selection = self.selection_offsets()
        if selection is not None:
            self.create_requested.emit(selection[0], selection[1], label)
            self.clear_text_selection()
        elif self.selected_span_id is not None:
            self.relabel_requested.emit(self.selected_span_id, label)

    def clear_text_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        super().mouseReleaseEvent(event)
        point = event.position().toPoint()
        moved = self._press_pos is not None and (point - self._press_pos).manhattanLength() > 3
        if event.button() != Qt.MouseButton.LeftButton or moved or self.textCursor().hasSelection():
            return
        spans = self.spans_at_point(point)
        if not spans:
            self.span_clicked.emit(None)
            return
        ids = [s.id for s in spans]
        if self.selected_span_id in ids:  # a second click cycles through overlapping spans
            ids = ids[ids.index(self.selected_span_id) + 1 :] + ids[: ids.index(self.selected_span_id) + 1]
        self.span_clicked.emit(ids[0])

    def event(self, event) -> bool:  # noqa: A003 (Qt override)
        if event.type() == event.Type.ShortcutOverride and any(event.matches(key) for key in _WINDOW_KEYS):
            # Undo/redo belong to the window's annotation history, not the text widget.
            event.ignore()
            return False
        if event.type() == event.Type.ToolTip:
            tip = self.tooltip_at(self.viewport().mapFromGlobal(event.globalPos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
        menu = self.build_context_menu(event.pos())
        menu.exec(event.globalPos())

    def build_context_menu(self, point: QPoint) -> QMenu:
        menu = QMenu(self)
        selection = self.selection_offsets()
        spans = self.spans_at_point(point)
        if selection is not None:
            self._add_label_actions(menu.addMenu("Label selection as"), lambda name: self._apply_label(name))
        if spans:
            span = next((s for s in spans if s.id == self.selected_span_id), spans[0])
            self._add_label_actions(
                menu.addMenu(f"Relabel {span.label} {_elide(span.text)}"),
                lambda name, span_id=span.id: self.relabel_requested.emit(span_id, name),
            )
            menu.addAction(f"Delete {span.label} {_elide(span.text)}",
                           lambda span_id=span.id: self.delete_requested.emit(span_id))  # fmt: skip
        if not menu.isEmpty():
            menu.addSeparator()
        menu.addAction("Copy", self.copy).setEnabled(selection is not None)
        return menu

    def _add_label_actions(self, menu: QMenu, apply) -> None:
        for label in self.labels:
            action = menu.addAction(label.name, lambda name=label.name: apply(name))
            if label.key is not None:
                action.setShortcut(str(label.key))
            action.setToolTip(label.description)
        more = menu.addMenu("More labels")
        for name in self.labels.extra_names():
            more.addAction(name, lambda name=name: apply(name))


def _margin(block: QTextBlock, step, chars: int = _MARGIN_CHARS, blocks: int = _MARGIN_BLOCKS) -> int:
    """How many blocks from ``block`` on (``step``: ``QTextBlock.next`` or ``previous``)
    hold ``chars`` code units (``blocks`` at most)."""
    count = held = 0
    while block.isValid() and count < blocks and held < chars:
        count += 1
        held += block.length()
        block = step(block)
    return count


def _elide(text: str, width: int = 24) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _describe(span: Span) -> str:
    return f"{span.label}: {_elide(span.text, 40)} ({span.status.value}, {span.origin})"


class ArticleView(QWidget):
    """Header (title, source, date) above the text view."""

    def __init__(self, labels: LabelSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.byline = QLabel()
        self.byline.setStyleSheet("color: palette(mid);")
        self.text = TextView(labels)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.byline)
        layout.addWidget(self.text, 1)

    def show_document(self, document: Document, spans: list[Span], shown_to: int | None = None) -> None:
        """The document's header and text (up to ``shown_to`` for now: ``TextView.show_text``)."""
        self.title.setText(document.title)
        parts = [p for p in (document.source, document.published, document.language.upper()) if p]
        self.byline.setText("  ·  ".join(parts))
        self.text.show_text(document.text, spans, shown_to)
