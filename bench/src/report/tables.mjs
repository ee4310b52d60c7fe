// The tables of the report, one per scenario, as Markdown.
import { fixed, int, markdownTable, ms, ratioText, us, withRange } from './format.mjs';

const broken = (row) => `broken: ${row.error}`;

export function coreTable(rows, rounds) {
  const body = rows.map((r) =>
    r.status === 'ok'
      ? [r.alg, r.tokens, r.contender, withRange(r.opsPerSec), ratioText(r.ratio, rounds)]
      : [r.alg, r.tokens, r.contender, broken(r), '–'],
  );
  return markdownTable(['alg', 'tokens', 'verifier', 'verifications/s', '× floor'], body, [
    'l',
    'l',
    'l',
    'r',
    'r',
  ]);
}

export function httpTable(rows, rounds) {
  const body = rows.map((r) =>
    r.status === 'ok'
      ? [
          r.framework,
          r.tokens,
          r.contender,
          withRange(r.rps),
          ratioText(r.ratio, rounds),
          withRange(r.p99, ms),
          withRange(r.cpuUsPerRequest, us),
          r.addedUsPerRequest === undefined ? '–' : us(r.addedUsPerRequest),
          r.failures ? int(r.failures) : '0',
        ]
      : [r.framework, r.tokens, r.contender, broken(r), '–', '–', '–', '–', '–'],
  );
  return markdownTable(
    [
      'server',
      'tokens',
      'contender',
      'requests/s',
      '× bare',
      'p99 ms',
      'server CPU µs/req',
      'added µs/req',
      'non-2xx',
    ],
    body,
    ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

export function jwksTable(rows) {
  const body = rows.map((r) => {
    if (r.status !== 'ok') return [r.contender, broken(r), '', '', '', ''];
    const { cold, flood } = r;
    return [
      r.contender,
      int(cold.fetches),
      `${cold.accepted}/${cold.requests}${cold.pending ? `, ${cold.pending} pending` : ''}`,
      int(flood.fetches),
      `${flood.refused}/${flood.requests}${flood.pending ? `, ${flood.pending} pending` : ''}`,
      ms(flood.ms),
    ];
  });
  return markdownTable(
    ['library', 'cold: fetches', 'cold: accepted', 'flood: fetches', 'flood: refused', 'flood ms'],
    body,
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );
}

export function memoryTable(memory) {
  const headers = [
    'verifier',
    ...memory.checkpoints.map((n) => `after ${int(n)}`),
    'bytes/token, first step',
    'bytes/token, last step',
    'bounded',
  ];
  const body = memory.rows.map((r) =>
    r.status === 'ok'
      ? [
          r.contender,
          ...r.points.map((p) => `${fixed(p.bytes / 2 ** 20, 1)} MiB`),
          int(r.bytesPerTokenFilling),
          int(r.bytesPerToken),
          r.bounded ? 'yes' : 'no',
        ]
      : [r.contender, broken(r), ...memory.checkpoints.map(() => ''), '', ''],
  );
  return markdownTable(
    headers,
    body,
    headers.map((_, i) => (i === 0 ? 'l' : 'r')),
  );
}

export function targetsTable(targets) {
  const mark = (met) => (met === undefined ? 'not measured' : met ? 'yes' : 'NO');
  return markdownTable(
    ['target', 'measured', 'met'],
    targets.map((t) => [t.text, t.measured, mark(t.met)]),
  );
}
