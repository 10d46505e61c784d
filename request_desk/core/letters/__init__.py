"""Official letters.

- ``kinds``: every kind of letter, defined once (code, title, addressee, outcomes, articles);
- ``templates``: the wording, as editable text files in ``resources/letters`` (office overrides
  in ``<data dir>/letters``);
- ``compose``: case record + settings + template → an editable ``Draft``;
- ``register``: issuing (document number, PDF, case event, audit), corrections, delivery, batches,
  the outgoing-letter register (发文登记);
- ``pdf`` / ``fonts``: GB/T 9704-2012 rendering with embedded fonts.
"""
