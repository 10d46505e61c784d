"""Moving data into and out of the desk: importing an office's Excel ledger
(``importer``) against its column template (``template``), generating demonstration
data (``demo``), and moving a desk's SQLite file onto the office's PostgreSQL server with a
per-table check (``move_to_server``, ``table_checksums``).
"""
