"""Official letters.

- ``kinds``: every kind of letter, defined once (code, title, addressee, outcomes, articles);
- ``templates``: the wording, as editable text files in ``resources/letters`` (office overrides
  in ``<data dir>/letters``);
- ``compose``: case record + settings + template → an editable ``Draft`` (its blanks and dates in
  ``blanks``; what a letter says about a consultation in ``consultation_text``);
- ``register``: issuing (document number, PDF, case event, audit), corrections, delivery, batches,
  the outgoing-letter register (发文登记);
- ``review``: review and sign-off (审核后签发, setting ``letter_review``): a draft submitted,
  approved and issued by another supervisor or administrator, or returned with a comment;
- ``document``: ``LetterDocument``, the final text of a letter, between ``compose`` and ``pdf``;
- ``pdf``: GB/T 9704-2012 rendering, built from ``page_layout`` (the page and its type grid),
  ``glyphs`` (a font for every character, and the check for characters no font has),
  ``line_breaking``, ``typesetting`` (the letter's elements as grid rows), ``pagination`` and
  ``page_numbers``; ``fonts`` finds and registers the embedded fonts (``unicode_map`` corrects
  reportlab's ToUnicode map beyond U+FFFF);
- ``installed_fonts``: the 仿宋 / 小标宋 installed on this PC; ``office_fonts``: the office's choice
  of them for the body and the title, checked when chosen and found again on every desk.
"""
