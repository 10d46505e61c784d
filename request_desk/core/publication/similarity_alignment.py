"""How the contents of two request descriptions line up, for the similarity matcher (``similarity``).

The contents are aligned order-free (the segments of a description may come
in any order), and what is left over is told apart: a substitution — words
left over on both sides in the same place — or words that one side adds or
says elsewhere; ``similarity.compare`` weighs the two differently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = ["Alignment", "align"]


@dataclass(frozen=True)
class Alignment:
    matched: int  # characters matched
    left_a: str  # left over in a, in no particular order
    left_b: str
    substituted: int  # characters left over on both sides *in the same place* (储备粮 ↔ 储备油)


def align(a: str, b: str) -> Alignment:
    """Order-free alignment, and which of what is left over is a substitution.

    The longest common substring is matched and marked, again and again. A run
    left over on one side sits between two matched blocks (or an end); a run
    left over on the other side between the *same* two blocks stands in its
    place — a substitution (市级储备粮轮换 ↔ 市级储备油轮换, 签约人数 ↔ 续约人数).
    Runs left over in different places are words one side adds and the other
    leaves out or says elsewhere (结婚登记数量 ↔ 全年办理对结婚登记), which a
    paraphrase does and a near-miss seldom does.
    """
    # Separators become sentinels that never match each other; so do the marks of matched blocks.
    sa, sb = a.replace(" ", "\x00"), b.replace(" ", "\x01")
    matched = 0
    matcher = SequenceMatcher(None, autojunk=False)
    block = 0
    while sa and sb and block < _MARKS:
        matcher.set_seqs(sa, sb)
        m = matcher.find_longest_match(0, len(sa), 0, len(sb))
        if m.size < 2:
            break
        matched += m.size
        sa = sa[:m.a] + chr(_MARK_A + block) + sa[m.a + m.size:]
        sb = sb[:m.b] + chr(_MARK_B + block) + sb[m.b + m.size:]
        block += 1
    runs_a, runs_b = _slots(sa, _MARK_A), _slots(sb, _MARK_B)
    left_a = Counter("".join(runs_a.values()))
    left_b = Counter("".join(runs_b.values()))
    common = left_a & left_b  # single characters both sides still have
    matched += sum(common.values())
    substituted = 0
    for slot in runs_a.keys() & runs_b.keys():
        # The characters matched one by one (above, wherever they are) are no substitution.
        rest_a = sum((Counter(runs_a[slot]) - common).values())
        rest_b = sum((Counter(runs_b[slot]) - common).values())
        substituted += min(rest_a, rest_b)
    return Alignment(matched, "".join((left_a - common).elements()), "".join((left_b - common).elements()),
                     substituted)


# Private-use characters marking matched blocks (never in a normalised description, which keeps only
# CJK characters and letters), a different range per side so that marks never match each other.
_MARK_A, _MARK_B, _MARKS = 0xE000, 0xF000, 0x1000


def _slots(marked: str, base: int) -> dict[tuple[int, int], str]:
    """What is left over in ``marked``, by place: (block before, block after) → the characters (-1: an end)."""
    slots: dict[tuple[int, int], str] = {}
    before, run = -1, ""
    for ch in marked:
        if base <= ord(ch) < base + _MARKS:
            after = ord(ch) - base
            if run:
                slots[(before, after)] = slots.get((before, after), "") + run
            before, run = after, ""
        elif ch not in "\x00\x01":
            run += ch
    if run:
        slots[(before, -1)] = slots.get((before, -1), "") + run
    return slots
