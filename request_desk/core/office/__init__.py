"""The office itself: its settings (``settings``, changed through ``settings_change`` so
due dates stay true), the people who sign in (``users``), what each role may do
(``permissions``) and the handling units cases are routed to (``units``).
"""
