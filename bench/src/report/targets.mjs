// The targets, checked against one run's medians.
import { fixed, int } from './format.mjs';

const find = (rows, where) =>
  rows?.find((row) => row.status === 'ok' && Object.entries(where).every(([k, v]) => row[k] === v));

/** A ratio to the baseline (`of`: the floor, or the bare server) at least `min`. */
function ratioAtLeast(text, rows, where, min, of = 'bare') {
  const row = find(rows, where);
  if (!row?.ratio) return { text, measured: 'not measured', met: undefined };
  return { text, measured: `${fixed(row.ratio.median)} × ${of}`, met: row.ratio.median >= min };
}

/** `ours` ahead of `theirs` in `metric`, both medians. */
function ahead(text, rows, where, ours, theirs, metric, unit) {
  const a = find(rows, { ...where, contender: ours })?.[metric];
  const b = find(rows, { ...where, contender: theirs })?.[metric];
  if (!a || !b) return { text, measured: 'not measured', met: undefined };
  return {
    text,
    measured: `${int(a.median)} vs ${int(b.median)} ${unit}`,
    met: a.median > b.median,
  };
}

function memoryBounded(memory) {
  const text = 'Memory: bearerguard retains a bounded heap (plateau past its token cache size)';
  const row = memory?.rows?.find((r) => r.contender === 'bearerguard' && r.status === 'ok');
  if (!row) return { text, measured: 'not measured', met: undefined };
  return {
    text,
    measured: `${int(row.bytesPerToken)} bytes/token over the last step`,
    met: row.bounded,
  };
}

/** Each target with what was measured and whether it was met (undefined: not measured). */
export function checkTargets({ core, http, memory }) {
  const rs256 = (tokens) => ({ alg: 'RS256', tokens });
  const express = (tokens) => ({
    framework: 'Express',
    tokens,
    contender: 'express requireBearer',
  });
  const koa = (tokens) => ({ framework: 'Koa', tokens, contender: 'koa requireBearer' });
  const offloaded = (framework, tokens) => ({
    framework,
    tokens,
    contender: `${framework.toLowerCase()} requireBearer (offload)`,
  });
  return [
    ratioAtLeast(
      'Core, distinct RS256: bearerguard (no cache) ≥ 0.9 × node:crypto floor',
      core,
      { ...rs256('distinct'), contender: 'bearerguard (no cache)' },
      0.9,
      'floor',
    ),
    ahead(
      'Core, distinct RS256: bearerguard (no cache) ahead of fast-jwt without its cache',
      core,
      rs256('distinct'),
      'bearerguard (no cache)',
      'fast-jwt',
      'opsPerSec',
      'verifications/s',
    ),
    ahead(
      'Core, repeated RS256: bearerguard ahead of fast-jwt with its cache',
      core,
      rs256('repeated'),
      'bearerguard',
      'fast-jwt (cache)',
      'opsPerSec',
      'verifications/s',
    ),
    ratioAtLeast(
      'Express, repeated token: requireBearer ≥ 0.9 × bare',
      http,
      express('repeated'),
      0.9,
    ),
    ratioAtLeast(
      'Express, distinct tokens: requireBearer ≥ 0.75 × bare',
      http,
      express('distinct'),
      0.75,
    ),
    ratioAtLeast(
      'Express, distinct tokens, offloadSignatures: requireBearer ≥ 0.75 × bare',
      http,
      offloaded('Express', 'distinct'),
      0.75,
    ),
    ratioAtLeast('Koa, repeated token: requireBearer ≥ 0.9 × bare', http, koa('repeated'), 0.9),
    ahead(
      'Koa, distinct tokens: requireBearer ahead of koa-jwt',
      http,
      { framework: 'Koa', tokens: 'distinct' },
      'koa requireBearer',
      'koa-jwt + jwks-rsa',
      'rps',
      'requests/s',
    ),
    ratioAtLeast('Koa, distinct tokens: requireBearer ≥ 0.5 × bare', http, koa('distinct'), 0.5),
    ratioAtLeast(
      'Koa, distinct tokens, offloadSignatures: requireBearer ≥ 0.5 × bare',
      http,
      offloaded('Koa', 'distinct'),
      0.5,
    ),
    memoryBounded(memory),
  ];
}
