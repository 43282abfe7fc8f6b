"""Fault tests across the whole application: processes killed at a chosen point, several schedulers and
workers at once, the database unreachable, the document store full. Each checks that nothing is lost
or done twice."""
