"""Canonical entities in the window: link review from the keyboard, the Entities menu,
and the entities and sources views as docks.

``EntityLinks`` is the one place GUI code changes entities: it pushes the commands of
gui/entity_commands.py on the session's undo stack (so Ctrl+Z undoes a merge like a span
edit) and emits ``changed`` after each, which the views follow. Keys in the article and the
entity table (L accept the suggested entity, Shift+L reject it, Ctrl+L link to an entity
by name, Ctrl+Shift+L new entity from the span) are read by an event filter, as the claim
keys are, so that typing in a search box never triggers them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMainWindow, QMenu, QMenuBar, QWidget

from gui.entity_commands import (
    EditEntityCommand,
    LinkCommand,
    MergeCommand,
    NewEntityCommand,
    SameSourceCommand,
    SplitCommand,
)
from gui.repository_job import repository_job
from gui.session import DocumentSession
from gui.view_parts import fill_menu
from models.annotation import Span
from models.entities import Entity, SourceKey
from storage.entities import UNLINKED_LABELS
from storage.repository import Repository

_K = Qt.Key
_M = Qt.KeyboardModifier
LINK_KEYS = {
    (_K.Key_L, _M.NoModifier): "accept",
    (_K.Key_L, _M.ShiftModifier): "reject",
    (_K.Key_L, _M.ControlModifier): "choose",
    (_K.Key_L, _M.ControlModifier | _M.ShiftModifier): "new",
}
ENTITY_HELP = [
    ("L / Shift+L", "Accept / reject the canonical entity suggested for the selected span"),
    ("Ctrl+L", "Link the selected span to a canonical entity by name (or a new one)"),
    ("Ctrl+Shift+L", "New canonical entity from the selected span"),
    ("Ctrl+Shift+E / Ctrl+Shift+R", "Show the entities / sources view"),
]


class EntityLinks(QObject):
    changed = Signal()  # entities or links changed: the views re-read

    def __init__(self, session: DocumentSession, repo: Repository, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.repo = repo
        self.store = repo.entities
        self.parent_widget = parent
        self.links: dict[int, tuple[int, str, str]] = {}  # span id -> entity id, name, status
        self.job = None
        self._describing = False  # the status bar shows the selected span's link
        session.document_opened.connect(lambda _doc: self._reload())
        session.span_selected.connect(self._describe)
        session.span_added.connect(self._suggest_for)
        session.span_changed.connect(
            lambda old, new: self._suggest_for(new) if old.label != new.label else None
        )

    # -- state of the open document -------------------------------------------------------

    def _reload(self) -> None:
        document = self.session.document
        try:
            self.links = self.store.links_of_document(document.id) if document is not None else {}
        except sqlite3.Error as exc:
            self.links = {}
            self.session.message.emit(f"Could not read entity links: {exc}")

    def announce(self, doc_spans: list[int] | None = None) -> None:
        """After a change: re-read the open document's links, tell the views, and say what
        the selected span is linked to now."""
        self._reload()
        self.changed.emit()
        if doc_spans and self.session.selected_span_id in doc_spans:
            self._describe(self.session.selected_span_id)

    def link_of(self, span_id: int | None) -> tuple[int, str, str] | None:
        return self.links.get(span_id) if span_id is not None else None

    def _describe(self, span_id: int | None) -> None:
        """Say in the status bar what the selected span is linked to; clear that line when
        the next span selected has no link, so that L never seems to apply to it."""
        link = self.link_of(span_id)
        if link is None:
            if self._describing:
                self.session.message.emit("")
            self._describing = False
            return
        _, name, status = link
        if status == "suggested":
            self.session.message.emit(f"Suggested entity: {name} — L accept, Shift+L reject, Ctrl+L another")
        else:
            self.session.message.emit(f"Entity: {name} (Shift+L unlinks, Ctrl+L links to another)")
        self._describing = True

    def _suggest_for(self, span: Span) -> None:
        """A span the analyst adds or relabels is suggested an entity that already exists
        (never a new one: that is the corpus run's or the analyst's decision)."""
        if span.label in UNLINKED_LABELS and span.id not in self.links:
            return
        try:
            changed = self.store.suggest_for_span(span.id)
        except sqlite3.Error as exc:
            self.session.message.emit(f"Could not suggest an entity: {exc}")
            return
        if changed:
            self.announce(doc_spans=[span.id])

    # -- actions (each one undoable step) ------------------------------------------------

    def _push(self, command) -> bool:
        self.session.undo_stack.push(command)
        return command.done

    def _selected(self) -> Span | None:
        span = self.session.selected_span
        if span is None:
            self.session.message.emit("Select a span first (click it, or J for the next suggestion).")
        return span

    def accept(self) -> None:
        span = self._selected()
        if span is None:
            return
        link = self.link_of(span.id)
        if link is None or link[2] != "suggested":
            self.session.message.emit(f"{span.text!r} has no suggested entity; Ctrl+L links it by name.")
            return
        self._push(LinkCommand(self, f"Accept entity {link[1]!r}", lambda: self.store.accept_link(span.id)))

    def reject(self) -> None:
        span = self._selected()
        if span is None:
            return
        link = self.link_of(span.id)
        if link is None:
            self.session.message.emit(f"{span.text!r} is not linked to an entity.")
            return
        if self._push(
            LinkCommand(self, f"Reject entity {link[1]!r}", lambda: self.store.reject_link(span.id))
        ):
            self.session.message.emit(f"{span.text!r} is no longer linked to {link[1]!r} (Ctrl+Z undoes)")
            self._describing = False

    def new_entity(self) -> None:
        span = self._selected()
        if span is not None:
            self._push(NewEntityCommand(self, span.id, span.text))

    def choose(self) -> None:
        """Link the selected span to an entity of its label, typed or picked by name;
        a name no entity has makes a new one."""
        span = self._selected()
        if span is None:
            return
        names = {name: entity_id for entity_id, name, _ in self.store.entity_ids(label=span.label)}
        current = self.link_of(span.id)
        start = current[1] if current else span.text
        items = sorted(names, key=str.casefold)
        if start not in names:
            items.insert(0, start)
        name, ok = QInputDialog.getItem(
            self.parent_widget, "Link to entity", f"Canonical {span.label} entity for {span.text!r}:",
            items, items.index(start), True,
        )  # fmt: skip
        name = name.strip()
        if not ok or not name:
            return
        self.link_to_name(span, name, names.get(name))

    def link_to_name(self, span: Span, name: str, entity_id: int | None) -> None:
        if entity_id is None:
            self._push(NewEntityCommand(self, span.id, span.text, name))
            return
        change = lambda: self.store.link_span(span.id, entity_id)  # noqa: E731
        self._push(LinkCommand(self, f"Link {span.text!r} to {name!r}", change))

    def merge(self, source: Entity, target: Entity) -> bool:
        return self._push(MergeCommand(self, source, target))

    def split(self, entity: Entity, span_ids: list[int], name: str) -> bool:
        return self._push(SplitCommand(self, entity, span_ids, name))

    def same_source(self, keys: list[SourceKey], name: str, kind: str) -> bool:
        return self._push(SameSourceCommand(self, keys, name, kind))

    def edit(self, entity: Entity, **changes: object) -> bool:
        return self._push(EditEntityCommand(self, entity, **changes))

    def suggest_corpus(self) -> None:
        """Suggest links for the whole corpus in a background thread with its own
        connection; the result is one status-bar line."""
        if self.job is not None and self.job.is_running():
            return
        self.session.message.emit("Suggesting canonical entities across the corpus…")
        self.job = repository_job(
            self.repo.path, self.repo.annotator, lambda repo, _p, _c: repo.entities.suggest_links(), self
        )
        self.job.finished.connect(self._corpus_done)
        self.job.failed.connect(lambda message: self.session.message.emit(f"Entity links: {message}"))
        self.job.start()

    def _corpus_done(self, report) -> None:
        self.session.message.emit(report.summary().capitalize())
        self.announce()

    def shutdown(self) -> None:
        if self.job is not None:
            self.job.wait()

    # -- keys ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.Type.KeyPress:
            return False
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        action = LINK_KEYS.get((Qt.Key(event.key()), mods))
        if action is None:
            return False
        {"accept": self.accept, "reject": self.reject, "choose": self.choose, "new": self.new_entity}[
            action
        ]()
        return True


def install_entity_views(
    main: QMainWindow,
    session: DocumentSession,
    repo: Repository,
    key_widgets: list[QWidget],
    open_document: Callable[[int], None],
    menu_bar: QMenuBar,
    before: QAction,
) -> EntityLinks:
    """The Entities menu (before the menu of ``before``), the link keys on
    ``key_widgets``, and the entities and sources views as docks of ``main``, hidden until
    asked for."""
    from gui.entities_view import EntitiesView
    from gui.sources_view import SourcesView

    links = EntityLinks(session, repo, main)
    for widget in key_widgets:
        widget.installEventFilter(links)
    entities = EntitiesView(links, open_document)
    sources = SourcesView(links, open_document)
    menu = QMenu("E&ntities", main)
    docks = []
    for view, title, key, name in ((entities, "Entities", "Ctrl+Shift+E", "entitiesDock"),
                                   (sources, "Sources", "Ctrl+Shift+R", "sourcesDock")):  # fmt: skip
        dock = QDockWidget(title, main)
        dock.setObjectName(name)
        dock.setWidget(view)
        main.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()
        toggle = dock.toggleViewAction()
        toggle.setText(f"{title} view")
        toggle.setShortcut(QKeySequence(key))
        toggle.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        # the two views share a tab: asking for one brings it to the front
        toggle.triggered.connect(lambda checked, dock=dock: dock.raise_() if checked else None)
        menu.addAction(toggle)
        main.addAction(toggle)
        docks.append(dock)
    main.tabifyDockWidget(docks[0], docks[1])
    menu.addSeparator()
    entries = [
        ("Accept suggested entity\tL", links.accept),
        ("Reject suggested entity\tShift+L", links.reject),
        ("Link span to entity…\tCtrl+L", links.choose),
        ("New entity from span\tCtrl+Shift+L", links.new_entity),
        (None, None),
        ("Suggest entities for the whole corpus", links.suggest_corpus),
    ]
    fill_menu(menu, entries)
    menu_bar.insertMenu(before, menu)
    links.menu = menu
    links.entities_view = entities
    links.sources_view = sources
    links.docks = docks
    return links
