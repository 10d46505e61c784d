"""Keeping the records: the engine and its transactions (``db``), the tables (``models``),
schema migrations (``migrations``), SQLite specifics (``sqlite_support``), full-text search
(``search``), the audit log (``audit``, ``audit_view``), and backup and restore. Imports
nothing above it: every other package stands on this one.
"""
