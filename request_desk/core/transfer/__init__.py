"""Moving data into and out of the desk: importing an office's Excel ledger
(``importer``) against its column template (``template``), and generating demonstration
data (``demo``).
"""
