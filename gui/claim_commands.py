"""Undo commands for claims: the contract of gui/commands.py (each redo/undo saves at
once through the session; a refused change becomes a status-bar message)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gui.commands import SavedCommand
from models.annotation import Claim

if TYPE_CHECKING:
    from gui.session import DocumentSession


class AddClaimCommand(SavedCommand):
    def __init__(self, session: DocumentSession, claim: Claim, text: str) -> None:
        super().__init__(session, text)
        self.claim = claim

    def apply(self) -> None:
        self.claim = self.session.store_claim(self.claim)

    def revert(self) -> None:
        self.session.remove_claim(self.claim.id)


class DeleteClaimCommand(SavedCommand):
    def __init__(self, session: DocumentSession, claim: Claim, text: str) -> None:
        super().__init__(session, text)
        self.claim = claim

    def apply(self) -> None:
        self.claim = self.session.remove_claim(self.claim.id)

    def revert(self) -> None:
        self.session.store_claim(self.claim)


class ChangeClaimCommand(SavedCommand):
    """Any edit of a claim (parts, source link, kind, certainty, status, note):
    remembers the whole claim before and after."""

    def __init__(self, session: DocumentSession, old: Claim, new: Claim, text: str) -> None:
        super().__init__(session, text)
        self.old = old
        self.new = new

    def apply(self) -> None:
        self.new = self.session.write_claim(self.new)

    def revert(self) -> None:
        self.session.write_claim(self.old, full=True)
