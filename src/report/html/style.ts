/**
 * The report's stylesheet, inlined in its <style>: system fonts, a readable measure, quiet tables
 * with tabular figures, and print rules (A4, no chart or table split across pages).
 */
export const STYLE = `
:root { --text: #1a1a1a; --muted: #555; --rule: #dcdcdc; --strong-rule: #b5b5b5; --accent: #0060a0; --soft: #f4f6f8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: var(--text); background: #fff; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.page { max-width: 1060px; margin: 0 auto; padding: 2.5rem 1.5rem 4rem; }
header.masthead { border-bottom: 1px solid var(--rule); padding-bottom: 1.25rem; margin-bottom: 1.5rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .4rem; letter-spacing: -.01em; }
h2 { font-size: 1.55rem; line-height: 1.25; margin: 3.5rem 0 1rem; padding-top: .75rem; border-top: 3px solid var(--text); }
h3 { font-size: 1.25rem; line-height: 1.3; margin: 3rem 0 1rem; }
.subtitle { color: var(--muted); margin: 0; }
p { margin: .75rem 0; max-width: 50rem; }
p.headline { font-size: 1.2rem; line-height: 1.45; background: var(--soft); border-left: 4px solid #0072B2; padding: .8rem 1.1rem; max-width: none; }
p.note { color: var(--muted); font-size: .95rem; }
a { color: var(--accent); text-underline-offset: .15em; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .88em; background: var(--soft); padding: .05em .3em; border-radius: 3px; overflow-wrap: anywhere; }
nav.toc { background: var(--soft); padding: .9rem 1.25rem; border-radius: 6px; }
nav.toc h2 { font-size: 1rem; margin: 0 0 .4rem; padding: 0; border: 0; }
nav.toc ol { margin: 0; padding-left: 1.25rem; columns: 2 18rem; column-gap: 2rem; }
nav.toc ol ol { columns: 1; padding-left: 1.1rem; font-size: .95rem; }
nav.toc li { break-inside: avoid; }
figure.chart { margin: 1.75rem 0 2.75rem; }
figure.chart .svg svg { display: block; max-width: 100%; height: auto; overflow: visible; }
figure.chart.side .body { display: flex; flex-wrap: wrap; gap: 1.5rem 2.5rem; align-items: flex-start; }
figcaption { color: var(--muted); font-size: .92rem; margin: .6rem 0 .9rem; max-width: 50rem; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: .875rem; line-height: 1.4; font-variant-numeric: tabular-nums; margin: .5rem 0 1rem; }
caption { caption-side: top; text-align: left; font-weight: 600; color: var(--text); padding: 0 0 .45rem; }
th, td { text-align: left; vertical-align: top; padding: .32rem 1rem .32rem 0; border-bottom: 1px solid var(--rule); overflow-wrap: anywhere; }
td.empty { color: var(--muted); font-style: italic; }
th { font-weight: 600; border-bottom: 2px solid var(--strong-rule); white-space: nowrap; }
th.num, td.num { text-align: right; padding-left: 1rem; white-space: nowrap; }
tfoot td { font-weight: 600; border-top: 2px solid var(--strong-rule); border-bottom: 0; }
p.more { font-size: .85rem; color: var(--muted); margin-top: -.5rem; }
dl.definitions { margin: 0; }
dl.definitions dt { font-weight: 600; margin-top: 1.1rem; }
dl.definitions dd { margin: .2rem 0 0; max-width: 50rem; }
footer { margin-top: 4rem; padding-top: 1rem; border-top: 1px solid var(--rule); color: var(--muted); font-size: .875rem; }
@media (max-width: 700px) { .page { padding: 1.25rem .9rem 3rem; } h1 { font-size: 1.6rem; } }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  nav.toc { background: none; padding: 0; }
  h2 { break-before: page; margin-top: 0; }
  h2, h3 { break-after: avoid; }
  figure.chart, table, p.headline, dl.definitions dt { break-inside: avoid; }
  p.headline { background: none; }
  a { color: inherit; text-decoration: none; }
  .table-wrap { overflow: visible; }
}
`;
