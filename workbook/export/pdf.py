"""The model summary as a PDF for the steering committee.

A title page (name, version, status, approvals, date, the committee), then the thresholds and the
grid, the weights with every value's points and match rule in words, the scenarios with the
team's estimate beside the computed result, and the changes since the last approval (from the
model's ``metadata``).

Built with ReportLab (``reportlab``): mature, pure-Python page layout (tables, page breaks,
repeated headers) with TrueType embedding, so the text can be extracted. Text is set in DejaVu
Sans where the system has it (it covers Latin, Greek and Cyrillic: “Łukasz Dvořák — VP”), else
in Bitstream Vera, which ships inside ReportLab (Western European accents and punctuation). A
character the font lacks is written without its accent (ō → o), or as “?”, never dropped silently
and never a crash. Every text from the model is escaped before ReportLab's paragraph markup sees it.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import LongTable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from workbook.engine import evaluate_scenarios
from workbook.export.base import Exported, ExportFormat
from workbook.export.naming import draft_notice, file_name, is_draft, report_of
from workbook.export.platforms.common import as_of_option, exact_points, number, rule_words
from workbook.model import ChangeNote, ScoringModel

FONT, BOLD = "WorkbookSans", "WorkbookSans-Bold"
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
              "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")
_MISSING = {"zero": "earn 0 points", "neutral": "are left out and the other weights scaled up to 100"}
_glyphs: set[int] = set()


def _font_files() -> tuple[str, str]:
    """DejaVu Sans from the system if present, else ReportLab's own Vera."""
    for folder in _FONT_DIRS:
        regular, bold = Path(folder, "DejaVuSans.ttf"), Path(folder, "DejaVuSans-Bold.ttf")
        if regular.is_file() and bold.is_file():
            return str(regular), str(bold)
    return "Vera.ttf", "VeraBd.ttf"


def _fonts() -> None:
    if not _glyphs:
        regular, bold = _font_files()
        font = TTFont(FONT, regular)
        pdfmetrics.registerFont(font)
        pdfmetrics.registerFont(TTFont(BOLD, bold))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
        _glyphs.update(font.face.charToGlyph)


def printable(text: str) -> str:
    """The text with every character the font can draw: others lose their accent, or become “?”."""
    out = []
    for ch in text:
        if _drawable(ch) or ch in "\n\t":
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if _drawable(c) and not unicodedata.combining(c))
        out.append(base or "?")
    return "".join(out)


def _drawable(ch: str) -> bool:
    # beyond the Basic Multilingual Plane ReportLab's text map is not read back reliably (emoji)
    return ord(ch) <= 0xFFFF and ord(ch) in _glyphs


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=BOLD, fontSize=22, leading=27),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontName=BOLD, fontSize=15, spaceBefore=6),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=BOLD, fontSize=11.5, spaceBefore=8),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10),
        "head": ParagraphStyle("head", parent=body, fontName=BOLD, fontSize=8, leading=10),
    }


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: whatever the model holds is escaped, never read as markup."""
    return Paragraph(escape(printable("" if text is None else str(text))).replace("\n", "<br/>"), style)


def _table(s: dict[str, ParagraphStyle], head: Sequence[str], rows: Sequence[Sequence[Any]],
           widths: Sequence[float] | None = None) -> LongTable:
    data = [[_p(h, s["head"]) for h in head]] + [[_p(c, s["cell"]) for c in row] for row in rows]
    table = LongTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9AA5B1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def changes_since_approval(model: ScoringModel) -> list[ChangeNote]:
    """The change notes after the last approval (by revision, else by date); all of them without one."""
    meta = model.metadata
    if meta is None:
        return []
    approved = [a for a in meta.approvals if a.decision == "approved"]
    if not approved:
        return list(meta.changes)
    last_rev = max((a.revision for a in approved if a.revision is not None), default=None)
    last_at = max((a.at for a in approved if a.at is not None), default=None)
    out = []
    for note in meta.changes:
        if last_rev is not None and note.revision is not None:
            if note.revision > last_rev:
                out.append(note)
        elif last_at is not None and note.at is not None:
            if note.at > last_at:
                out.append(note)
        else:
            out.append(note)  # no way to tell: shown rather than hidden
    return out


def _title_page(model: ScoringModel, s: dict[str, ParagraphStyle], day: dt.date, notice: str | None) -> list[Any]:
    meta = model.metadata
    story: list[Any] = [Spacer(1, 3 * cm), _p(model.name, s["title"]), Spacer(1, 0.4 * cm)]
    if notice:
        story += [_p(notice, s["h2"]), Spacer(1, 0.3 * cm)]
    if model.description:
        story.append(_p(model.description, s["body"]))
    facts = [("Date", day.isoformat())]
    if meta is not None:
        facts += [("Version", meta.version or "—"), ("Revision", meta.revision if meta.revision is not None else "—"),
                  ("Status", (meta.status or "—").replace("_", " ")), ("Approved on", _when(meta.approved_at))]
    committee = [m.name + (f" ({m.title})" if m.title else "") for m in model.team if m.steering_committee]
    facts.append(("Steering committee", ", ".join(committee) or "—"))
    story += [Spacer(1, 0.6 * cm), _table(s, ["", ""], facts, [4.5 * cm, 11.5 * cm]), Spacer(1, 0.6 * cm),
              _p("Approvals", s["h2"])]
    approvals = meta.approvals if meta is not None else []
    if approvals:
        story.append(_table(s, ["Member", "Decision", "Revision", "Date", "Comment"],
                            [(a.member, a.decision, a.revision if a.revision is not None else "—", _when(a.at),
                              a.comment or "") for a in approvals], [4 * cm, 2.3 * cm, 1.8 * cm, 2.4 * cm, 5.5 * cm]))
    else:
        story.append(_p("No approvals recorded yet.", s["body"]))
    return [*story, PageBreak()]


def _thresholds(model: ScoringModel, s: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [_p("Thresholds and grid", s["h1"])]
    story += [_p("Profile grades (best first)", s["h2"]),
              _table(s, ["Grade", "Profile % at least"], [(b.grade, number(b.min)) for b in model.profile_grades],
                     [3 * cm, 4 * cm]),
              _p("Engagement levels (best first)", s["h2"]),
              _table(s, ["Level", "Engagement % at least"],
                     [(b.level, number(b.min)) for b in model.engagement_levels], [3 * cm, 4 * cm]),
              _p("Grid: the state of each cell (A1 is the hottest)", s["h2"])]
    rows = [[g, *(model.matrix.get(g + lvl, "—") for lvl in model.levels)] for g in model.grades]
    story.append(_table(s, ["Grade \\ level", *model.levels], rows))
    story += [_p("States", s["h2"]),
              _table(s, ["State", "What happens"], [(st.name, st.action or "") for st in model.states],
                     [4 * cm, 12 * cm]),
              Spacer(1, 0.3 * cm),
              _p(f"Missing values: {_MISSING[model.missing]}. A knocked-out lead is set to "
                 f"“{model.effective_knockout_state}” whatever its cell.", s["body"])]
    return story


def _weights(model: ScoringModel, s: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [PageBreak(), _p("Weights and values", s["h1"]),
                        _p("Points = weight × score / 100; the values of an attribute are tried in order and the "
                           "first that matches wins.", s["body"])]
    for section, factors in (("ICP attributes", model.profile), ("Activities", model.engagement)):
        story.append(_p(f"{section} (weights add up to {number(sum(f.weight for f in factors))} %)", s["h2"]))
        for f in factors:
            story.append(_p(f"{f.name} — weight {number(f.weight)} %, lead-list column “{f.source_column}”", s["body"]))
            rows = [(v.label, number(v.score), number(exact_points(f, v)), rule_words(f, v),
                     "knockout" if v.knockout else "") for v in f.values]
            story += [_table(s, ["Value", "Score %", "Points", "Matches when", ""], rows,
                             [4 * cm, 1.6 * cm, 1.5 * cm, 7.4 * cm, 1.7 * cm]), Spacer(1, 0.25 * cm)]
    return story


def _scenarios(model: ScoringModel, s: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [PageBreak(), _p("Scenarios: estimated and computed", s["h1"])]
    results = evaluate_scenarios(model)
    if not results:
        return [*story, _p("No scenarios.", s["body"])]
    agree = sum(1 for r in results if r.agrees)
    given = sum(1 for r in results if r.agrees is not None)
    story.append(_p(f"{agree} of {given} scenarios with an estimate agree with the model.", s["body"]))
    rows = []
    for r in results:
        est = r.scenario.estimate.given() if r.scenario.estimate else {}
        estimated = " / ".join(est.get(k, "—") for k in ("profile", "engagement", "state"))
        res = r.result
        computed = (f"{res.cell or '—'} {res.state or '—'}" + (" (knocked out)" if res.knocked_out else ""))
        verdict = "—" if r.agrees is None else "yes" if r.agrees else "no"
        rows.append((r.name, estimated, f"{number(round(res.profile_pct, 1))} / {number(round(res.engagement_pct, 1))}",
                     computed, verdict))
    story.append(_table(s, ["Scenario", "Estimated grade / level / state", "Profile / engagement %", "Computed",
                            "Agrees"], rows, [5.2 * cm, 3.6 * cm, 2.6 * cm, 3.4 * cm, 1.4 * cm]))
    return story


def _changes(model: ScoringModel, s: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [_p("Changes since the last approval", s["h1"])]
    notes = changes_since_approval(model)
    if not notes:
        return [*story, _p("No change notes recorded since the last approval.", s["body"])]
    rows = [(n.revision if n.revision is not None else "—", _when(n.at), n.author or "", n.summary) for n in notes]
    return [*story, _table(s, ["Revision", "Date", "Author", "Change"], rows, [1.8 * cm, 2.4 * cm, 3.5 * cm, 8.5 * cm])]


def pdf_bytes(model: ScoringModel, *, day: dt.date | None = None, notice: str | None = None) -> bytes:
    """The model summary as a PDF document; ``notice`` (a draft's) is printed under the title."""
    _fonts()
    s = _styles()
    day = day or dt.date.today()
    buffer = io.BytesIO()

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.drawString(2 * cm, 1.2 * cm, printable(f"{model.name} — model summary, {day.isoformat()}"))
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                            bottomMargin=2 * cm, title=model.name, author="Lead Scoring Workbook",
                            subject="Lead scoring model summary",
                            # invariant: no creation time or random id, so the same model and day give the same bytes
                            invariant=True)
    story = [*_title_page(model, s, day, notice), *_thresholds(model, s), *_weights(model, s), *_scenarios(model, s),
             Spacer(1, 0.5 * cm), *_changes(model, s)]
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def render(model: ScoringModel, options: Mapping[str, Any]) -> Exported:
    draft = is_draft(options)
    notice = draft_notice(report_of(model, options)) if draft else None
    data = pdf_bytes(model, day=as_of_option(options), notice=notice)
    return Exported(data, file_name(model, "pdf", draft=draft, suffix="-summary"), "application/pdf")


FORMAT = ExportFormat(
    name="pdf",
    label="Model summary (PDF)",
    description="A printable summary for the steering committee: title page with version and approvals, "
    "thresholds and grid, weights and match rules in words, scenarios, changes since the last approval.",
    render=render,
    options=("as_of",),
    binary=True,
)
