"""Official letters: PDF rendering (``pdf``) and the fonts it embeds (``fonts``).

Layout follows GB/T 9704-2012; see ``request_desk.core.letters.pdf``.
"""
