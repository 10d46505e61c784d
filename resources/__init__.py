"""Data files shipped with Request Desk: fonts, letter templates (installed as request_desk.resources)."""
