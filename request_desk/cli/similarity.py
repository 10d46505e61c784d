"""``request-desk similarity``: why two request descriptions are (not) the same information; the index.

    request-desk similarity compare TEXT_A TEXT_B [--received-a D] [--received-b D] [--json]
    request-desk similarity reindex

``reindex`` indexes every stored request again with today's word lists (the desk
does it by itself when it starts after the lists changed); it signs in.

Prints the score, the decision and the reason (年份不同, 预算与决算不同, 区县不同 …)
of ``core.publication.similarity``, with the vocabulary the desk uses (the
shipped lists and the office's rows, ``similarity_vocab``). It reads only the
office's word lists from the database, when there is one, and no personal
data, so it needs no sign-in. The receipt dates turn 今年/去年/近三年 into
years; without them, today's date is used.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from request_desk import paths
from request_desk.cli import common
from request_desk.cli.common import Parser, print_json

if TYPE_CHECKING:
    from request_desk.core.publication.similarity import Comparison, Normalised
    from request_desk.core.publication.similarity_vocab import Vocabulary


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    sim = sub.add_parser("similarity", help="compare request descriptions as the similar-requests panel does")
    sim_sub = sim.add_subparsers(dest="similarity_command", parser_class=Parser, metavar="ACTION", required=True)
    cmp = sim_sub.add_parser("compare", help="score two descriptions and say why they are (not) the same")
    cmp.add_argument("text_a", metavar="TEXT_A", help="the first description")
    cmp.add_argument("text_b", metavar="TEXT_B", help="the second description")
    cmp.add_argument("--received-a", type=common.a_date, metavar="YYYY-MM-DD",
                     help="date the first request was received (default: today)")
    cmp.add_argument("--received-b", type=common.a_date, metavar="YYYY-MM-DD",
                     help="date the second request was received (default: today)")
    cmp.add_argument("--json", action="store_true", help="as JSON, with what each description was reduced to")
    # Reads the office's word lists and no personal data: no sign-in.
    cmp.set_defaults(func=compare, signs_in=lambda _args: False)
    again = sim_sub.add_parser("reindex", help="index every stored request again with the current word lists")
    again.set_defaults(func=reindex)


def _verdict(result: Comparison, threshold: float) -> str:
    """The reason in words, also when the content (not a rule) decided."""
    if result.reason:
        return result.reason
    if result.same:
        return "内容相同或相近"
    return f"内容不同（相似度低于阈值 {threshold:g}）"


def _reduced(text: str, n: Normalised) -> dict[str, object]:
    return {
        "text": text,
        "years": sorted(n.years),
        "numbers": sorted(n.numbers),
        "places": sorted(name + suffix for name, suffix, _kind in n.places),
        "terms": [{"group": group, "term": term} for group, term in n.terms],
        "content": n.content,
    }


def _office_vocabulary() -> Vocabulary:
    """The word lists the desk matches with: the office's rows from the database, if there is one yet."""
    from request_desk.core.publication import similarity_vocab  # noqa: PLC0415

    target = paths.default_db_path()
    if isinstance(target, Path) and not target.exists():
        return similarity_vocab.vocabulary(None)  # no office yet (never create one just to compare)
    db = common.open_db()
    try:
        with db.read() as session:
            return similarity_vocab.vocabulary(session)
    finally:
        db.close()


def compare(args: argparse.Namespace) -> int:
    from request_desk.core.publication import similarity  # noqa: PLC0415  (keeps --help fast)

    today = date.today()
    vocab = _office_vocabulary()
    a = similarity.normalise(args.text_a, args.received_a or today, vocab)
    b = similarity.normalise(args.text_b, args.received_b or today, vocab)
    result = similarity.compare(a, b)
    reason = _verdict(result, similarity.THRESHOLD)
    if args.json:
        print_json({"score": result.score, "same": result.same, "reason": reason,
                    "threshold": similarity.THRESHOLD, "a": _reduced(args.text_a, a), "b": _reduced(args.text_b, b)})
        return 0
    print(f"相似度：{result.score:g}（阈值 {similarity.THRESHOLD:g}）")
    print(f"结论：{'同一信息' if result.same else '不是同一信息'}")
    print(f"理由：{reason}")
    return 0


def reindex(args: argparse.Namespace) -> int:
    import sys  # noqa: PLC0415

    from request_desk.core import jobs  # noqa: PLC0415
    from request_desk.core.publication import similarity_index  # noqa: PLC0415

    common.current_user(args)
    db = common.open_db()
    try:
        done = jobs.run(similarity_index.rebuild_job(db),
                        on_progress=lambda p: print(f"\r{p.message}", end="", file=sys.stderr, flush=True))
    finally:
        db.close()
    print(file=sys.stderr)
    print(f"相似申请索引已更新：{done:,} 件。")
    return 0
