"""Documents: letter types and the texts staff write for them, archival PDFs (WeasyPrint, PDF/A-3b) in the
house style, issued documents with their kenmerk in the content-addressed store, and mass mailings run by
the worker, delivered by post (a print file) and e-mail."""
