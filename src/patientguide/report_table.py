"""``patientguide check --report``: a per-page table and a summary, for editors and pull requests."""

from __future__ import annotations

import datetime as dt

from .checks.site import Report
from .settings import Settings


def rows(report: Report, settings: Settings) -> list[dict]:
    out = []
    for page in sorted(report.pages.values(), key=lambda p: p.path):
        if page.src_uri == settings.bibliography_page:
            continue
        s = page.scores
        nxt = page.meta.get("next_review_due")
        out.append({
            "path": page.path,
            "words": s.words if s else None,
            "smog": s.smog if s else None,
            "fkgl": s.fkgl if s else None,
            "citations": len(page.citations),
            "references": len({c.key.lower() for c in page.citations}),
            "status": page.meta.get("status") or "-",
            "next_review": nxt.isoformat() if isinstance(nxt, dt.date) else "-",
        })
    return out


def format_report(report: Report, settings: Settings) -> str:
    """A Markdown table (it reads well in a terminal and in a pull-request comment)."""
    table = rows(report, settings)
    head = "| page | words | SMOG | FKGL | citations | references | status | next review |"
    lines = ["", head, "|---|---:|---:|---:|---:|---:|---|---|"]

    def num(v: object) -> str:
        return "-" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))

    for r in table:
        lines.append(f"| {r['path']} | {num(r['words'])} | {num(r['smog'])} | {num(r['fkgl'])} | {r['citations']} | "
                     f"{r['references']} | {r['status']} | {r['next_review']} |")
    scored = [r for r in table if r["smog"] is not None]
    drafts = sum(1 for r in table if r["status"] == "draft")
    cited = len(report.cited_on)
    summary = (f"{len(table)} pages, {sum(r['words'] or 0 for r in table)} words, "
               f"{sum(r['citations'] for r in table)} citations of {cited} references; ")
    if scored:
        summary += f"SMOG {min(r['smog'] for r in scored):g}–{max(r['smog'] for r in scored):g}; "
    summary += (f"{drafts} draft{'s' if drafts != 1 else ''}; "
                f"{len(report.errors)} errors, {len(report.warnings)} warnings")
    lines += ["", summary, ""] + unused_lines(report)
    return "\n".join(lines)


def unused_lines(report: Report) -> list[str]:
    """The entries no page cites, with where each is defined (the check prints only their count)."""
    if not report.unused:
        return []
    out = [f"{len(report.unused)} reference{'s' if len(report.unused) != 1 else ''} not cited on any page:", "",
           "| key | defined at |", "|---|---|"]
    out += [f"| {r.key} | {r.path}:{r.line} |" for r in sorted(report.unused, key=lambda r: (r.path, r.line))]
    return out + [""]
