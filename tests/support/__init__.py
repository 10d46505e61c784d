"""Helpers several test modules share that are not cases (those are in ``tests.factories``):
reading a stored file, checking a PDF, typing into the GUI. No tests here."""
