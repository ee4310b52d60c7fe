// Number formats and a Markdown table whose columns line up, so that it reads in a terminal too.

export const int = (n) => (Math.round(n) || 0).toLocaleString('en-US');
export function fixed(n, digits = 2) {
  const text = n.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}
export const ms = (n) => (n >= 100 ? int(n) : n.toFixed(1));
/** Microseconds, whole from ±100 up, with one decimal below; differences may be negative. */
export const us = (n) => (Math.abs(n) >= 100 ? int(n) : fixed(n, 1));

/** "1,234 (1,100–1,300)": a summary's median and range, in `format`. */
export function withRange(summary, format = int) {
  if (!summary) return '–';
  if (summary.rounds.length === 1) return format(summary.median);
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`;
}

/** "0.91 (0.88–0.95)" for a ratio, "–" for none. */
export function ratioText(ratio, rounds) {
  if (!ratio) return '–';
  if (rounds === 1) return fixed(ratio.median);
  return `${fixed(ratio.median)} (${fixed(ratio.min)}–${fixed(ratio.max)})`;
}

/** A Markdown table; `align` has 'l' or 'r' per column. */
export function markdownTable(headers, rows, align = headers.map(() => 'l')) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell ?? '')));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const pad = (text, i) => (align[i] === 'r' ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (row) => `| ${row.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}
