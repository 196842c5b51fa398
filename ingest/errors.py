"""Why a document was refused. Each error names the file and a reason a person can act on."""

from __future__ import annotations

from pathlib import Path


class RejectedDocument(Exception):
    """A file that cannot become a document in the warehouse. Nothing of it lands."""

    reason_code = "rejected"

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self) -> tuple[type, tuple[Path, str]]:  # crosses process boundaries
        return (type(self), (self.path, self.reason))


class EmptyFile(RejectedDocument):
    reason_code = "empty_file"


class UnsupportedFormat(RejectedDocument):
    reason_code = "unsupported_format"


class UnreadableDocument(RejectedDocument):
    """Encrypted, truncated or otherwise unparseable."""

    reason_code = "unreadable"


class NoTextLayer(RejectedDocument):
    """A scanned PDF: pages without extractable text."""

    reason_code = "no_text"


class NotADisclosure(RejectedDocument):
    """Readable, but not a budget or final-account disclosure."""

    reason_code = "not_a_disclosure"
