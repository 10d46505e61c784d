"""Every action the code writes to the audit log has a Chinese label for the audit views."""

from __future__ import annotations

import ast
from pathlib import Path

from request_desk.core.cases import case_file
from request_desk.core.cases.workflow import Action

PACKAGE = Path(__file__).resolve().parents[2] / "request_desk"


def _literal_actions() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = getattr(node.func, "id", getattr(node.func, "attr", None)) if isinstance(node, ast.Call) else None
            if called == "audit" and len(node.args) >= 3 and isinstance(node.args[2], ast.Constant):
                found.add(node.args[2].value)
    return found


def test_every_audit_action_has_a_label() -> None:
    computed = {f"publication_{step}" for step in ("review", "publish", "decline")}
    computed |= {"dispatch_letter", "letter_signed", "letter_returned"}  # register._log_delivery callers
    computed |= {a.value for a in Action}  # cases._step
    actions = _literal_actions() | computed
    assert len(actions) > 30
    unlabelled = sorted(a for a in actions if case_file.audit_label(a) == a)
    assert unlabelled == []


def test_labels_are_chinese() -> None:
    assert case_file.audit_label("register") == "登记"
    assert case_file.audit_label(Action.REPLY.value) == "答复"
    assert case_file.TABLE_LABELS["request"] == "申请"
