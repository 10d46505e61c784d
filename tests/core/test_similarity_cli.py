"""``request-desk similarity compare``, through the command line's own ``main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from request_desk import cli
from request_desk.core.publication import similarity


def test_compare_prints_score_decision_and_reason(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # No database, nobody signed in: the command reads neither.
    monkeypatch.delenv("REQUEST_DESK_USER")
    monkeypatch.setenv("REQUEST_DESK_DB", str(tmp_path / "none" / "desk.sqlite3"))
    assert cli.main(["similarity", "compare", "宿迁市财政局2025年度三公经费预算",
                     "宿迁市财政局2025年度三公经费决算"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"相似度：0（阈值 {similarity.THRESHOLD:g}）", "结论：不是同一信息", "理由：预算与决算不同"]
    assert not (tmp_path / "none").exists()


def test_compare_uses_the_receipt_dates_for_relative_years(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["similarity", "compare", "请提供去年宿城区老旧小区改造资金使用情况", "宿城区2025年老旧小区改造资金使用情况"]
    assert cli.main([*args, "--received-a", "2026-03-01", "--received-b", "2026-04-01"]) == 0
    assert "结论：同一信息" in capsys.readouterr().out
    assert cli.main([*args, "--received-a", "2025-03-01", "--received-b", "2026-04-01"]) == 0
    assert "理由：年份不同" in capsys.readouterr().out


def test_compare_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["similarity", "compare", "申请公开市一院2025年度部门预算情况", "宿迁市第一人民医院2025年部门预算",
                     "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"score", "same", "reason", "threshold", "a", "b"}
    assert out["same"] is True and out["score"] >= out["threshold"] and out["reason"] == "内容相同或相近"
    assert out["a"]["years"] == [2025] and out["a"]["terms"] == [{"group": "预决算", "term": "预算"}]
    assert out["b"]["places"] == ["宿迁市"]
    assert set(out["a"]) == {"text", "years", "numbers", "places", "terms", "content"}


def test_compare_says_when_the_content_decided(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["similarity", "compare", "--json", "宿城区2025年老旧小区改造项目资金使用情况",
                     "宿城区2025年农村公路提档升级工程项目清单"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["same"] is False and out["reason"].startswith("内容不同")


def test_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["similarity", "compare", "a", "b", "--received-a", "2026/03/01"])
    assert exit_.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
