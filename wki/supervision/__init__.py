"""Supervision (Toezicht): the requirement catalogue, inspections with checklists and evidence, automatic
checks, four-eyes review and risk-based priorities."""
