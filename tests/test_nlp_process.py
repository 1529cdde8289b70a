"""Pre-annotation in a worker process (issue 12, items 3 and 7): the window's interpreter
never runs the pipeline, an entity-only run adds no claims, and closing the window while
the model loads ends the process at once, leaving none behind."""

from __future__ import annotations

import multiprocessing

from gui.preannotate_ui import install_preannotation
from models.annotation import Status

TEXT = "France and Germany agreed on Monday to send aid to Ukraine, officials in Berlin told Reuters."


def test_closing_while_the_model_loads_ends_the_process_at_once(qtbot, repo, make_document, main_window):
    window = main_window(repo, make_document(TEXT))
    feature = install_preannotation(window)
    feature.service.start()
    process = feature.service.process
    assert process.is_alive() and not feature.service.origin, "still loading the model"
    window.close()
    assert not process.is_alive()
    assert process.exitcode is not None and process.exitcode < 0, "stopped, not waited for"
    assert multiprocessing.active_children() == []


def test_entity_only_run_in_the_worker_process(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    window = main_window(repo, doc_id)
    feature = install_preannotation(window)
    with qtbot.waitSignal(feature.service.model_loaded, timeout=90_000):
        feature.start()
    assert feature.service.process.pid != multiprocessing.current_process().pid
    feature.claims_action.setChecked(False)
    with qtbot.waitSignal(feature.service.finished, timeout=90_000):
        feature.document_action.trigger()
    suggested = {(s.text, s.label) for s in repo.spans(doc_id, Status.SUGGESTED)}
    assert ("France", "GPE") in suggested and ("Ukraine", "GPE") in suggested
    assert repo.claims(doc_id) == [], "claims were switched off"
    assert {s.text for s in window.entity_panel.model.records()} >= {"France", "Ukraine"}
    window.close()
    assert multiprocessing.active_children() == []


def test_progress_rereads_the_open_document_only_when_it_lacks_stored_suggestions(
    qtbot, repo, make_document, main_window
):
    from models.annotation import Span

    first, second = make_document(TEXT), make_document(TEXT.replace("Berlin", "Paris"), title="Second")
    window = main_window(repo, first)
    feature = install_preannotation(window)
    reads = []
    window.session.spans_reset.connect(reads.append)

    def suggest(doc_id: int, word: str) -> None:  # as the worker process stores a batch
        start = TEXT.index(word)
        span = Span(doc_id, start, start + len(word), "GPE", word, Status.SUGGESTED, "spacy:test@1")
        repo.apply_suggestion_batch([(doc_id, [span], [])])

    suggest(second, "France")
    window.open_document(second)  # the analyst switches while the run goes on: read whole
    reads.clear()
    feature.service.progress.emit(1, 2, "1/2 documents", 5.0)
    assert reads == [], "a document opened during the run is not read a second time"

    suggest(second, "Ukraine")
    feature.service.progress.emit(2, 2, "2/2 documents", 0.0)
    assert len(reads) == 1
    assert {s.text for s in window.entity_panel.model.records()} == {"France", "Ukraine"}
