"""``patientguide`` command line: the same core checks as the MkDocs build, for editors and CI.

Exit status: 0 clean, 1 errors (or warnings with ``--strict``), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import NoReturn

from . import __version__
from .diagnostics import format_github, format_json, format_text
from .options import load_site_config
from .settings import ConfigError, today_from_env
from .sitecache import checked_site

#: The other commands: each is ``function(args)`` in its module, imported when it runs.
COMMANDS = {
    "new-page": ("newpage", "new_page"),
    "new-brand": ("newbrand", "new_brand"),
    "new-site": ("newsite", "new_site"),
    "sign-off": ("signoff", "sign_off"),
    "review-packet": ("review_packet_cli", "review_packets"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit 2 with a one-line message, like a compiler
        self.print_usage(sys.stderr)
        print(f"patientguide: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="patientguide", description="Check and build patient-education sites.")
    p.add_argument("--version", action="version", version=f"patientguide {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ck = sub.add_parser("check", help="check citations, references and pages; print every problem")
    ck.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml (default: %(default)s)")
    ck.add_argument("--format", choices=("text", "json", "github"), default="text")
    ck.add_argument("--strict", action="store_true", help="warnings fail the check too")
    ck.add_argument("--today", help="the date to check review dates against (YYYY-MM-DD); "
                    "default: SOURCE_DATE_EPOCH, then the clock")
    ck.add_argument("--report", action="store_true", help="print a per-page table and a summary")
    ck.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    ck.add_argument("-v", "--verbose", action="store_true", help="also print notes (such as draft pages)")
    np_ = sub.add_parser("new-page", help="write a new page with complete front matter")
    np_.add_argument("title")
    np_.add_argument("-f", "--config-file", default="mkdocs.yml")
    np_.add_argument("--file", help="file name under the docs folder (default: from the title)")
    np_.add_argument("--today")
    nb = sub.add_parser("new-brand", help="write brands/<id>/mkdocs.yml: a clinic profile to fill in")
    nb.add_argument("id", help="the brand's folder name: lower-case letters, digits and hyphens")
    nb.add_argument("-f", "--config-file", default="mkdocs.yml",
                    help="the site's top mkdocs.yml (default: %(default)s)")
    ns = sub.add_parser("new-site", help="write a complete new guide into DIR (a new or empty folder)")
    ns.add_argument("dir", metavar="DIR", help="the folder to create (or an empty one)")
    ns.add_argument("--title", required=True, help="the guide's name, shown on every page")
    ns.add_argument("--locale", default="en", help="the pages' language: en, en-GB, en-US … (default: %(default)s)")
    ns.add_argument("--country", help="two-letter country code (GB, US …) for the clinic profile's emergency number")
    ns.add_argument("--today", help="the date written as last reviewed (YYYY-MM-DD; default: today)")
    _review_commands(sub)
    zb = sub.add_parser("zensical-build", help="check, build with Zensical, check the output (see zensical_build.py)")
    zb.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml (default: %(default)s)")
    zb.add_argument("-d", "--site-dir", required=True, help="where the site goes: a new or empty folder")
    return p


_TODAY = "the date counted as today (YYYY-MM-DD; default: SOURCE_DATE_EPOCH, then the clock)"


def _review_commands(sub: argparse._SubParsersAction) -> None:
    """``sign-off`` and ``review-packet``: a clinician's review, recorded and prepared."""
    so = sub.add_parser("sign-off", help="record a clinician's review of a page in its front matter")
    so.add_argument("page", metavar="PAGE", help="the page: content/side-effects.md, side-effects.md or side-effects")
    so.add_argument("--by", required=True, metavar="REVIEWER", help="the reviewer's id or name in the reviewers file")
    so.add_argument("--date", help="the day of the review (YYYY-MM-DD; default: today)")
    so.add_argument("--fingerprint", metavar="SHA256", help="the fingerprint in the review packet the reviewer read: "
                    "refused if the page has changed since")
    rp = sub.add_parser("review-packet", help="write a clinician's review packet (HTML and PDF) for pages")
    rp.add_argument("pages", nargs="*", metavar="PAGE", help="pages to write packets for (default: every page)")
    rp.add_argument("--out", required=True, type=Path, metavar="DIR", help="the folder to write the packets into")
    rp.add_argument("--no-pdf", action="store_true", help="write the HTML only")
    for cmd in (so, rp):
        cmd.add_argument("-f", "--config-file", default="mkdocs.yml",
                         help="the site's mkdocs.yml (default: %(default)s)")
        cmd.add_argument("--today", help=_TODAY)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "zensical-build":
            from .zensical_build import build
            return build(Path(args.config_file), Path(args.site_dir).resolve())
        module, function = COMMANDS[args.command]
        return int(getattr(importlib.import_module(f".{module}", __package__), function)(args))
    except ConfigError as e:
        if e.diagnostics:
            sys.stderr.write(format_text(e.diagnostics))
        else:
            print(f"patientguide: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _check(args: argparse.Namespace) -> int:
    cfg = Path(args.config_file)
    if not cfg.is_file():
        raise ConfigError(f"config file '{cfg}' not found (use -f to name it)")
    settings = load_site_config(cfg, today=today_from_env(args.today), strict=args.strict).settings
    report = checked_site(settings)
    diags = report.diagnostics
    if args.quiet:
        diags = [d for d in diags if d.severity.value == "error"]
    elif not args.verbose and args.format != "json":
        diags = [d for d in diags if d.severity.value != "info"]
    out = sys.stdout
    if args.format == "json":
        out.write(format_json(diags, report.pages_json(), {"unused_references": report.unused_json()}))
    elif args.format == "github":
        out.write(format_github(diags))
    else:
        out.write(format_text(diags))
        if args.report:
            from .report_table import format_report
            out.write(format_report(report, settings))
        if not args.quiet:
            print(f"patientguide: {report.summary()}", file=sys.stderr)
    return 1 if report.failed(args.strict) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
