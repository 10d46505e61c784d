"""PDF letters: real PDFs rendered into tmp_path and read back with pypdf."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from request_desk.core.letters import fonts as letter_fonts
from request_desk.core.letters import page_layout as grid
from request_desk.core.letters.glyphs import Shaper
from request_desk.core.letters.line_breaking import (
    install_cjk_line_rules,
    layout_paragraph,
)
from request_desk.core.letters.pdf import (
    LetterDocument,
    MissingGlyphError,
    check_letter,
    render_letter,
    render_letters,
)

BASE14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
    "Symbol", "ZapfDingbats",
}  # fmt: skip

AGENCY = "X市X区人民政府办公室"
DATE = "2026年10月30日"
RECITAL = (
    "本机关于2026年9月28日收到您提出的政府信息公开申请，申请获取“2025年度本区"
    "老旧小区改造项目的立项批复及竣工验收报告”。"
)
REMEDY = (
    "如对本答复不服，可以在收到本答复之日起60日内向X市人民政府申请行政复议，"
    "或者在收到本答复之日起6个月内向X区人民法院提起行政诉讼。"
)
FILLER = (
    "经检索，本机关未制作或获取您申请的资金拨付明细。根据《中华人民共和国政府信息公开条例》"
    "第三十六条第（四）项的规定，告知您该政府信息不存在。"
)


def letter(**changes) -> LetterDocument:
    fields = {
        "title": "政府信息公开申请答复书",
        "doc_number": "X政信公开〔2026〕15号",
        "salutation": "张三：",
        "body": [RECITAL, "经研究，现答复如下：", "一、关于立项批复", FILLER, REMEDY, "特此告知。"],
        "signature": [AGENCY, DATE],
        "contact": "（联系人：李四，联系电话：0527-12345678）",
    }
    fields.update(changes)
    return LetterDocument(**fields)


def long_letter() -> LetterDocument:
    return letter(body=[RECITAL, "经研究，现答复如下：", *[FILLER] * 12, REMEDY])


def read(path: Path) -> PdfReader:
    return PdfReader(str(path))


def lines_of(page) -> list[str]:
    return [ln.strip() for ln in page.extract_text().splitlines() if ln.strip()]


def text_runs(page) -> list[tuple[float, float, str, str, float]]:
    """(x, y, text, BaseFont, size) of every text-showing operation on the page."""
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        base = str(font_dict["/BaseFont"]) if font_dict else ""
        runs.append((x, y, text, base, font_size * cm[3] if cm[3] else font_size))

    page.extract_text(visitor_text=visit)
    return runs


def body_baselines(page) -> list[float]:
    """Distinct baselines of 16 pt text (body lines) on the page, top first."""
    ys = {round(y, 3) for x, y, t, f, size in text_runs(page) if abs(size - 16) < 0.01}
    return sorted(ys, reverse=True)


@pytest.fixture(scope="module")
def fonts() -> letter_fonts.LetterFonts:
    return letter_fonts.load_letter_fonts(system_dirs=[])


# -- fonts -----------------------------------------------------------------


def test_bundled_fonts_cover_gb2312_and_common_rare_name_characters(fonts):
    body = fonts.font_name(letter_fonts.BODY)
    gb2312 = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                gb2312.append(bytes([hi, lo]).decode("gb2312"))
    assert len(gb2312) == 7445
    assert letter_fonts.missing_glyphs("".join(gb2312), body) == []
    assert letter_fonts.missing_glyphs("".join(gb2312), fonts.font_name(letter_fonts.TITLE)) == []
    assert letter_fonts.missing_glyphs("".join(gb2312), fonts.font_name(letter_fonts.HEADING)) == []
    # GBK / Extension A name characters are there; an Extension B one is not.
    assert letter_fonts.missing_glyphs("䶮堃喆玥昇犇淼垚赟珺𠈌", body) == ["𠈌"]
    assert letter_fonts.missing_glyphs("𠈌𠈌\n\ufe00a", body) == ["𠈌"]  # once; VS and newline ignored
    # The fallback chain has them (HanaMinB); only a character no bundled font has is missing.
    assert fonts.missing("张𠈌𠮷𪚥") == [] and fonts.missing("张𰀀") == ["𰀀"]
    assert letter_fonts.covers(body, "堃") and not letter_fonts.covers(body, "𠈌")


def test_bundled_fonts_are_truetype_with_licences():
    folder = letter_fonts.bundled_fonts_dir()
    for name in (letter_fonts.BUNDLED_SERIF, letter_fonts.BUNDLED_SERIF_BOLD, letter_fonts.BUNDLED_SANS,
                 letter_fonts.BUNDLED_LATIN, letter_fonts.BUNDLED_HANGUL, letter_fonts.BUNDLED_EXT_B,
                 letter_fonts.BUNDLED_EMOJI):
        data = (folder / name).read_bytes()[:4]
        assert data == b"\x00\x01\x00\x00", name  # TrueType outlines, not CFF ("OTTO")
    for licence in ("NotoSerifSC", "NotoSansSC", "NotoSerif", "NotoSansKR", "HanaMinB", "NotoEmoji"):
        assert "SIL OPEN FONT LICENSE" in (folder / f"OFL-{licence}.txt").read_text("utf-8"), licence
    total = sum(p.stat().st_size for p in folder.iterdir())
    assert total < 64 * 1024 * 1024  # HanaMinB (Extensions B–F) is 30.7 MB of it


def test_registration_happens_once_per_process(fonts):
    again = letter_fonts.load_letter_fonts(system_dirs=[])
    assert again is fonts
    assert again.font_name(letter_fonts.BODY) == fonts.font_name(letter_fonts.BODY)
    other = letter_fonts.LetterFonts(fonts._role_files, fonts._fallback_files)  # noqa: SLF001
    assert other.font_name(letter_fonts.BODY) == fonts.font_name(letter_fonts.BODY)  # same registered font


def _link(src: Path, dst: Path) -> None:
    try:
        os.symlink(src, dst)
    except OSError:  # pragma: no cover - e.g. Windows without the privilege
        shutil.copyfile(src, dst)


def test_lookup_order_override_then_system_then_bundled(tmp_path):
    bundled = letter_fonts.bundled_fonts_dir()
    system = tmp_path / "Windows-Fonts"
    system.mkdir()
    _link(bundled / letter_fonts.BUNDLED_SANS, system / "SIMHEI.TTF")  # case-insensitive match
    _link(bundled / letter_fonts.BUNDLED_SERIF, system / "simfang.ttf")
    override = tmp_path / "office-fonts"
    override.mkdir()
    _link(bundled / letter_fonts.BUNDLED_SERIF_BOLD, override / "body.ttf")  # a GB 2312-only "仿宋"
    (override / "broken.otf").write_bytes(b"OTTO" + b"\0" * 64)  # CFF / damaged: skipped

    lf = letter_fonts.load_letter_fonts(override, system_dirs=[system])
    described = lf.describe()
    assert described[letter_fonts.BODY].origin == "override"
    assert described[letter_fonts.HEADING].origin == "system"
    assert described[letter_fonts.TITLE].origin == "bundled"
    # 堃 is not in GB 2312: it comes from the next font in the chain (simfang here)
    assert lf.font_for_char(letter_fonts.BODY, "堃") == letter_fonts.load_letter_fonts(
        None, system_dirs=[system]
    ).font_name(letter_fonts.BODY)
    assert lf.missing("𰀀") == ["𰀀"]  # the whole chain was tried, broken.otf included
    assert any("broken.otf" in p for p in lf.problems)


# -- rendering -------------------------------------------------------------


def test_text_comes_back_in_order_and_metadata_is_set(tmp_path, fonts):
    out = tmp_path / "reply.pdf"
    doc = letter(body=["\u3000\u3000" + RECITAL, "经研究，现答复如下：", REMEDY])
    info = render_letter(doc, out, fonts=fonts)
    assert info.page_count == 1 and info.letter_page_counts == (1,)
    reader = read(out)
    text = "".join(lines_of(reader.pages[0]))
    expected = [doc.title, doc.doc_number, "张三：", RECITAL, "经研究，现答复如下：", REMEDY, AGENCY, DATE,
                "（联系人：李四，联系电话：0527-12345678）"]  # fmt: skip
    positions = [text.find(part) for part in expected]
    assert -1 not in positions, list(zip(expected, positions, strict=True))
    assert positions == sorted(positions)
    assert reader.metadata.title == doc.title
    assert reader.metadata.author == AGENCY
    assert reader.metadata.subject == doc.doc_number
    assert {u.family for u in info.fonts_used} >= {"Noto Serif SC"}
    assert info.missing_glyphs == ()


def test_page_is_a4_and_every_font_is_embedded_truetype(tmp_path, fonts):
    out = tmp_path / "reply.pdf"
    render_letter(long_letter(), out, fonts=fonts)
    assert b"Helvetica" not in out.read_bytes()  # not even the canvas's unused initial font
    reader = read(out)
    seen = set()
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(210 * mm, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(297 * mm, abs=0.01)
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            base = str(font["/BaseFont"])
            seen.add(base)
            assert base.rsplit("+", maxsplit=1)[-1].lstrip("/") not in BASE14
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"]
    assert any("NotoSerifSC-Regular" in b for b in seen)
    assert any("NotoSerifSC-Bold" in b for b in seen)


def test_grid_is_28_characters_by_22_lines():
    line, page = 28 * grid.CHAR_PITCH, 22 * grid.LINE_PITCH
    assert line == pytest.approx(156 * mm)
    assert page == pytest.approx(225 * mm)
    # a 3号 character, tightened by the grid, advances by exactly one pitch
    advance = grid.BODY_SIZE + (grid.CHAR_PITCH - grid.BODY_SIZE)
    assert advance == pytest.approx(grid.CHAR_PITCH)
    # untightened, 28 characters of 16 pt would overflow the 156 mm line by 1.3 %
    assert 28 * grid.BODY_SIZE / (156 * mm) == pytest.approx(1.013, abs=0.001)


def test_full_lines_hold_28_characters_and_full_pages_22_lines(tmp_path, fonts):
    han = "本机关经研究现予以公开办理完毕并告知"
    para = (han * 80)[: 26 + 28 * 45]  # no punctuation: 26 + 28 × n characters
    out = tmp_path / "grid.pdf"
    info = render_letter(letter(body=[para]), out, fonts=fonts)
    assert info.page_count >= 2
    reader = read(out)
    page1 = [ln for ln in lines_of(reader.pages[0]) if ln in para]
    assert len(page1[0]) == 26  # first line: indented by two characters
    assert all(len(ln) == 28 for ln in page1[1:])
    page2 = reader.pages[1]
    assert len(body_baselines(page2)) == 22
    ys = body_baselines(page2)
    assert all(a - b == pytest.approx(grid.LINE_PITCH, abs=0.01) for a, b in itertools.pairwise(ys))
    # lines start at the left margin (first line: two characters in)
    runs = [r for r in text_runs(page2) if abs(r[4] - 16) < 0.01]
    assert min(x for x, *_ in runs) == pytest.approx(28 * mm, abs=0.05)
    first = text_runs(reader.pages[0])
    first_body = next(r for r in first if r[2].startswith(para[:4]))
    assert first_body[0] == pytest.approx(28 * mm + 2 * grid.CHAR_PITCH, abs=0.05)
    # and the body's top line sits in the first grid slot below the 37 mm margin
    top_slot = 297 * mm - 37 * mm
    assert top_slot - grid.LINE_PITCH < ys[0] < top_slot


def test_no_line_starts_with_closing_punctuation(tmp_path, fonts):
    han = "政府信息公开申请答复书办理期限"
    paras = []
    for k in range(24, 29):  # a comma or full stop lands exactly where a line would start
        paras.append((han * 4)[:k] + "，" + (han * 4)[:27] + "。”" + han * 2 + "。")
    out = tmp_path / "punct.pdf"
    render_letter(letter(body=paras), out, fonts=fonts)
    for page in read(out).pages:
        for ln in lines_of(page):
            assert ln[0] not in "，。、；：？！）》”’", ln
            assert ln[-1] not in "（《“‘", ln


def test_reportlab_cjk_wrap_rules_installed_once():
    import reportlab.lib.textsplit as textsplit
    import reportlab.platypus.paragraph as paragraph

    install_cjk_line_rules()
    install_cjk_line_rules()
    for module in (textsplit, paragraph):
        for ch in "，。、；：？！）》」』”’":
            assert module.ALL_CANNOT_START.count(ch) == 1, ch


def test_long_letter_has_numbered_pages_on_the_outer_side(tmp_path, fonts):
    out = tmp_path / "long.pdf"
    info = render_letter(long_letter(), out, fonts=fonts)
    assert info.page_count >= 2
    reader = read(out)
    for number, page in enumerate(reader.pages, start=1):
        assert f"— {number} —" in page.extract_text()
        x, y, *_ = next(r for r in text_runs(page) if r[2].startswith("—"))
        assert y < 297 * mm - 37 * mm - 225 * mm - 6 * mm  # under the text block
        if number % 2:
            assert x > 105 * mm  # odd pages: right
        else:
            assert x < 105 * mm  # even pages: left
    # the signature never sits on a page without body text
    last = lines_of(reader.pages[-1])
    assert last.index(AGENCY) >= 2


def test_single_page_letter_is_numbered_only_on_request(tmp_path, fonts):
    auto, always = tmp_path / "auto.pdf", tmp_path / "always.pdf"
    render_letter(letter(), auto, fonts=fonts)
    render_letter(letter(), always, fonts=fonts, page_numbers="always")
    assert "— 1 —" not in read(auto).pages[0].extract_text()
    assert "— 1 —" in read(always).pages[0].extract_text()


@pytest.mark.parametrize("extra", range(12, 20))
def test_signature_keeps_two_body_lines_when_page_is_full(tmp_path, fonts, extra):
    body = [f"第{i}项。" for i in range(extra)]
    out = tmp_path / "tail.pdf"
    render_letter(letter(body=body, contact=None), out, fonts=fonts)
    reader = read(out)
    last = lines_of(reader.pages[-1])
    assert last.index(AGENCY) >= (2 if len(reader.pages) > 1 else 0)
    for page in reader.pages:
        assert len(body_baselines(page)) <= 22


def test_headings_use_the_heading_face(tmp_path, fonts):
    out = tmp_path / "headings.pdf"
    render_letter(letter(body=["一、关于立项批复", "二、关于资金。" + FILLER, FILLER]), out, fonts=fonts)
    runs = text_runs(read(out).pages[0])
    sans = [t for x, y, t, f, s in runs if "NotoSansSC" in f]
    assert "".join(sans).replace("\n", "") == "一、关于立项批复二、关于资金。"


def test_batch_starts_each_letter_on_a_new_page_with_its_own_numbers(tmp_path, fonts):
    out = tmp_path / "batch.pdf"
    second = letter(title="补正申请告知书", salutation="李五：", body=["请补正。"])
    info = render_letters([long_letter(), second, letter()], out, fonts=fonts)
    first_pages = info.letter_page_counts[0]
    assert info.letter_page_counts[1:] == (1, 1)
    assert info.page_count == first_pages + 2
    reader = read(out)
    assert len(reader.pages) == info.page_count
    page = reader.pages[first_pages]
    assert lines_of(page)[0] == "补正申请告知书"
    assert "—" not in page.extract_text()  # a one-page letter: no number in "auto" mode
    assert f"— {first_pages} —" in reader.pages[first_pages - 1].extract_text()
    titles = ("政府信息公开申请答复书", "补正申请告知书", "政府信息公开申请答复书")
    assert [o.title for o in reader.outline] == [f"X政信公开〔2026〕15号 {t}" for t in titles]
    assert reader.metadata.title == "政府信息公开申请答复书等3份文书"


def test_file_objects_and_cc_record(fonts):
    buf = io.BytesIO()
    doc = letter(body=[RECITAL, REMEDY], cc="X市X区财政局，X市X区住房和城乡建设局")
    info = render_letter(doc, buf, fonts=fonts)
    assert info.page_count == 1
    reader = PdfReader(buf)
    lines = lines_of(reader.pages[0])
    assert lines[-1] == "抄送：X市X区财政局，X市X区住房和城乡建设局。"
    cc_run = next(r for r in text_runs(reader.pages[0]) if r[2].startswith("抄送"))
    assert cc_run[1] < 297 * mm - 37 * mm - 224 * mm + 14  # in the last grid line


def test_missing_glyph_refuses_to_render_and_says_where(tmp_path, fonts):
    doc = letter(salutation="王𰀀：", body=[RECITAL, "申请人王𰀀的申请"])
    out = tmp_path / "missing.pdf"
    with pytest.raises(MissingGlyphError) as err:
        render_letter(doc, out, fonts=fonts)
    assert not out.exists()
    places = [(m.char, m.field, m.offset) for m in err.value.missing]
    assert places == [("𰀀", "salutation", 1), ("𰀀", "body[1]", 4)]
    assert "U+30000" in str(err.value) and "正文第2段第5字" in str(err.value)
    assert [m.field for m in check_letter(doc, fonts)] == ["salutation", "body[1]"]
    assert check_letter(letter(), fonts) == []

    info = render_letter(doc, out, fonts=fonts, allow_missing=True)
    assert [m.char for m in info.missing_glyphs] == ["𰀀", "𰀀"]
    assert "申请人王" in read(out).pages[0].extract_text()  # 𰀀 prints as an empty box


def test_rare_han_hangul_greek_polish_and_emoji_come_from_the_bundled_fallbacks(tmp_path, fonts):
    text = "申请人王𠮷、𪚥、김민준、Łukasz Wójcik、Ωμέγα、Жанна 😀"
    out = tmp_path / "rare.pdf"
    info = render_letter(letter(salutation="王𠮷：", body=[RECITAL, text]), out, fonts=fonts)
    assert info.missing_glyphs == ()
    families = {family for _, family in info.fallback_chars}
    assert {"HanaMinB", "Noto Sans KR", "Noto Serif", "Noto Emoji"} <= families
    assert dict(info.fallback_chars)["𠮷"] == "HanaMinB" and dict(info.fallback_chars)["김"] == "Noto Sans KR"
    assert "王𠮷：" in read(out).pages[0].extract_text()


def test_fallback_font_covers_a_character_the_body_font_lacks(tmp_path):
    override = tmp_path / "fonts"
    override.mkdir()
    _link(letter_fonts.bundled_fonts_dir() / letter_fonts.BUNDLED_SERIF_BOLD, override / "body.ttf")  # GB 2312 only
    lf = letter_fonts.load_letter_fonts(override, system_dirs=[])
    out = tmp_path / "fallback.pdf"
    info = render_letter(letter(salutation="李堃："), out, fonts=lf)
    assert ("堃", "Noto Serif SC") in info.fallback_chars
    assert "李堃：" in read(out).pages[0].extract_text()


def test_line_breaker_keeps_numbers_and_dashes_whole(fonts):
    shaper = Shaper(fonts, 0)
    text = "联系电话：" + "政" * 18 + "0527-12345678，" + "办" * 20 + "——" + "理" * 30
    glyphs = shaper.shape(text, letter_fonts.BODY, grid.BODY_SIZE, "x")
    lines = ["".join(g.ch for g in ln.glyphs) for ln in layout_paragraph(glyphs, grid.BODY_SIZE)]
    assert any("0527-12345678" in ln for ln in lines)
    assert not any(ln.endswith("—") and not ln.endswith("——") for ln in lines)
    assert "".join(lines) == text
    assert pdfmetrics.stringWidth("政" * 28, fonts.font_name(letter_fonts.BODY), 16) == pytest.approx(448)


@pytest.mark.parametrize("extra", range(10, 16))
def test_cc_record_stays_at_the_bottom_with_text_above_it(fonts, extra):
    doc = letter(body=[f"第{i}项。" for i in range(extra)], cc="甲局，乙局")
    buf = io.BytesIO()
    info = render_letter(doc, buf, fonts=fonts)
    pages = PdfReader(buf).pages
    assert len(pages) == info.page_count
    last = lines_of(pages[-1])
    assert "抄送：甲局，乙局。" in last
    assert last.index(AGENCY) >= (2 if len(pages) > 1 else 0)  # never a page of 版记 alone
    cc_run = next(r for r in text_runs(pages[-1]) if r[2].startswith("抄送"))
    assert cc_run[1] < 297 * mm - 37 * mm - 224 * mm + 14  # in the last grid line
    for page in pages:
        assert len(body_baselines(page)) <= 22
