"""What other features use of documents (the import rules allow only ``queries`` and ``services``):
issuing a document to one party from plain data, providing a block for a letter type's text, and reading
what was sent to a party. Inspections and enforcement issue their reports and decisions through this."""

from __future__ import annotations

from wki.documents.issuing import (
    Verification,
    document_pdf,
    documents_for,
    get_document,
    issue_document,
    register_block,
    require_document,
    superseded_by,
    verify_document,
)
from wki.documents.texts import get_letter_type, published_text, require_letter_type

__all__ = [
    "Verification",
    "document_pdf",
    "documents_for",
    "get_document",
    "get_letter_type",
    "issue_document",
    "published_text",
    "register_block",
    "require_document",
    "require_letter_type",
    "superseded_by",
    "verify_document",
]
