"""The domain core, free of Qt: everything the desk knows and does, grouped by capability.

``storage`` keeps the records (engine, tables, migrations, SQLite specifics, full-text
search, audit log, backup and restore); ``deadlines`` turns working days and holiday
notices into the legal clock; ``cases`` registers a request and carries it through
its workflow steps, fees, satisfaction calls and remedies, and reads it back as a case
file or a row of the register list; ``office`` holds the office-wide settings, users,
permissions and handling units; ``letters`` composes and issues the official letters;
``reports`` builds the monthly register and the annual report; ``publication`` finds
repeated requests and flags information for proactive publication; ``transfer`` moves
data in and out (the ledger import and its template, demonstration data). The loose
modules (``vocab``, ``errors``, ``text``, ``files``, ``masking``) are shared by all of
them and import none of them. See docs/ARCHITECTURE.md for the map.
"""
