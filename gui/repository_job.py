"""Background database work on its own connection: wraps a function of a repository into
a ``gui.jobs.BackgroundJob`` function. The job's thread opens a ``Repository`` of its own
(a connection is never shared between threads; WAL lets it write while the window reads),
runs the work and closes it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gui.jobs import BackgroundJob, JobFunction
from storage.repository import Repository
from storage.schema import DatabaseError

Progress = Callable[[int, int, str], None]
RepositoryWork = Callable[[Repository, Progress, Callable[[], bool]], Any]


def on_own_connection(db_path: str | Path, annotator: str, work: RepositoryWork) -> JobFunction:
    def function(progress: Progress, cancelled: Callable[[], bool]) -> Any:
        repo = Repository(db_path, annotator=annotator)
        try:
            return work(repo, progress, cancelled)
        finally:
            repo.close()

    return function


def repository_job(db_path: str | Path, annotator: str, work: RepositoryWork, parent=None) -> BackgroundJob:
    """A job whose failures a user can act on (a locked or unusable database) come back as
    one line by ``failed``; ``finished`` and ``failed`` arrive once the thread has stopped."""
    return BackgroundJob(
        on_own_connection(db_path, annotator, work), (DatabaseError, sqlite3.DatabaseError), parent
    )
