"""The review packet's stylesheet, inlined into every packet (nothing is fetched): readable on
screen and on A4 or Letter paper, black on white, no colour that carries meaning alone."""

CSS = """
:root { color: #111; background: #fff; }
body { font: 11pt/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem;
  /* reviewers copy and search the text: "side effects", never one "ff" glyph, whatever the font */
  font-variant-ligatures: none; font-feature-settings: "liga" 0, "clig" 0; }
h1 { font-size: 1.7em; margin: 0.2em 0 0.6em; } h2 { font-size: 1.3em; margin-top: 2em;
  border-bottom: 2px solid #111; padding-bottom: 0.2em; } h3 { font-size: 1.05em; margin-top: 1.4em; }
a { color: #0b4f9c; } code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
pre { white-space: pre-wrap; word-break: break-all; border: 1px solid #999; padding: 0.6em; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; } .facts th { width: 13em; } td { overflow-wrap: anywhere; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.85em; margin: 0; }
.notice { border: 2px solid #111; padding: 0.5em 0.8em; margin: 0.8em 0; }
article.page { border: 1px solid #999; padding: 0.4em 1.2em; }
.admonition, details { border-left: 4px solid #555; background: #f4f4f4; padding: 0.2em 0.9em; margin: 1em 0; }
.admonition.danger { border-left-width: 8px; } .admonition-title, summary { font-weight: bold; }
.pg-keypoints { border: 1px solid #555; padding: 0.2em 0.9em; } .pg-keypoints__title { font-weight: bold; }
.pg-backlinks { display: none; } .pg-references li, .source { margin-bottom: 0.5em; }
.pg-evidence, .kind { display: inline-block; border: 1px solid currentColor; border-radius: 0.25em;
  padding: 0 0.35em; font-size: 0.85em; white-space: nowrap; }
  .cited td:first-child { width: 2em; } .cited td:nth-child(2) { width: 42%; }
.cited ul { margin: 0; padding-left: 1.1em; }
.where { color: #444; font-size: 0.85em; margin: 0.3em 0 0; }
tr.weak td { border-left: 4px double #111; } .flag { font-weight: bold; margin: 0.3em 0 0; }
.source h3 { margin-bottom: 0.2em; } .checklist { list-style: none; padding-left: 0; }
.blanks td { height: 2.2em; } .blanks td.tall { height: 6em; } .block { margin: 1em 0; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; } tr, .source, .block { break-inside: avoid; }
  #checklist { break-before: page; } a { color: #111; }
}
"""
