"""Repeated requests and proactive publication (条例 第四十四条): scoring how alike two
requests are (``similarity``), the index that keeps that fast (``similarity_index``) and
the worklist of information flagged for publication (``worklist``).
"""
