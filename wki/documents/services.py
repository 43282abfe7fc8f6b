"""What other features use of documents (the import rules allow only ``queries`` and ``services``):
issuing a document to one party from plain data, providing a block for a letter type's text, and reading
what was sent to a party. Inspections and enforcement issue their reports and decisions through this."""

from __future__ import annotations

from wki.documents.issuing import (
    PreparedDocument,
    Verification,
    document_pdf,
    documents_for,
    get_document,
    has_block,
    issue_document,
    issue_prepared,
    prepare_document,
    prepared_pdf,
    register_block,
    register_stored_pdf_keeper,
    require_document,
    reserve_kenmerk,
    superseded_by,
    text_blocks,
    verify_document,
)
from wki.documents.texts import get_letter_type, published_text, require_letter_type

__all__ = [
    "PreparedDocument",
    "Verification",
    "document_pdf",
    "documents_for",
    "get_document",
    "get_letter_type",
    "has_block",
    "issue_document",
    "issue_prepared",
    "prepare_document",
    "prepared_pdf",
    "published_text",
    "register_block",
    "register_stored_pdf_keeper",
    "require_document",
    "require_letter_type",
    "reserve_kenmerk",
    "superseded_by",
    "text_blocks",
    "verify_document",
]
