// The report: a Markdown document with the machine, the targets and one table per scenario.
import { int } from './format.mjs';
import { coreTable, httpTable, jwksTable, memoryTable, targetsTable } from './tables.mjs';

function header(results) {
  const { machine, run } = results;
  const plural = (n) => `${n} round${n === 1 ? '' : 's'}`;
  // Rounds are the core scenarios'; HTTP has its own (of short slices).
  const core = run.sections.includes('core') || !run.sections.includes('http');
  const rounds = [
    core ? plural(run.rounds) : undefined,
    run.sections.includes('http')
      ? `${core ? run.httpRounds : plural(run.httpRounds)} for HTTP`
      : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const mode = run.quick
    ? `quick run (${rounds}, short runs: for development, not comparison)`
    : rounds;
  return [
    `# bearerguard benchmarks`,
    '',
    `${run.date} · ${mode} · ${int(run.durationS)} s`,
    '',
    `Node ${machine.node} on ${machine.platform}, ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; ` +
      `load average ${machine.loadAverage[0]} at the start and ${run.loadAtEnd} at the end; commit ${machine.commit}.`,
    // The run itself keeps about two processes busy: more than that at the end is other work.
    machine.loadAverage[0] > machine.cores / 2 || run.loadAtEnd > machine.cores + 1
      ? '\n**The machine was busy with other work during this run: expect noisy numbers.**'
      : '',
  ].join('\n');
}

// fast-jwt's default cache size.
const FAST_JWT_CACHE = 1000;

function distinctNote({ tokens, tokenCacheSize }) {
  const largest = Math.max(tokenCacheSize ?? 0, FAST_JWT_CACHE);
  const caches = `bearerguard's token cache (${int(tokenCacheSize ?? 0)}) or fast-jwt's (${int(FAST_JWT_CACHE)})`;
  return tokens > largest
    ? `more than ${caches} holds, so that, taken in turn, none is ever found in a cache`
    : `fewer than ${caches} holds: cached verifiers find repeats`;
}

function section(title, intro, table) {
  return `## ${title}\n\n${intro}\n\n${table}`;
}

/** The whole report; `chart` is the file name of the SVG to show, if any. */
export function renderDocument(results, chart) {
  const { run } = results;
  const parts = [header(results)];
  if (chart) parts.push(`![Ratios per scenario](${chart})`);
  parts.push(
    section('Targets', 'Ratios and medians from this run.', targetsTable(results.targets)),
  );
  if (results.core) {
    parts.push(
      section(
        'Core verification',
        `One verification at a time, ${run.coreTimeMs} ms per verifier and round (tinybench). ` +
          `"distinct": a rotating set of ${int(run.tokens)} tokens, ${distinctNote(run)}; ` +
          '"repeated": one token over and over. ' +
          'Median verifications/s (range over rounds), and the ratio to the node:crypto floor.',
        coreTable(results.core, run.rounds),
      ),
    );
  }
  if (results.http) {
    parts.push(
      section(
        'HTTP',
        'GET /v1/alerts on 127.0.0.1, each server in its own process, autocannon with ' +
          `${run.connections} connections; RS256 tokens (the same sets as above). ` +
          "All of a framework's servers run at the same time: each is warmed up for " +
          `${run.httpWarmupS} s, then they take turns, ${run.httpDurationS} s each, for ` +
          `${run.httpRounds} rounds, starting with a different server each round. ` +
          'The speed of a shared machine drifts over tens of seconds; this way a contender and ' +
          'its bare server are measured seconds apart, not minutes. ' +
          'Median requests/s and p99 latency (range over rounds). × bare: in each round, the ' +
          "contender's requests/s over the bare server's in the same round; the median (range) " +
          'of those ratios. The node:crypto floor checks only the signature and exp: no verifier ' +
          "of a fresh token can do better. Server CPU µs/req: the server process's CPU time " +
          '(user + system, all threads, so offloaded signature checks count) over its slice, per ' +
          "request it got; added µs/req: in each round, that minus the bare server's, then the " +
          'median over rounds: what the middleware itself costs. CPU time moves less than ' +
          'requests/s, which also depend on how autocannon and the server share the cores. ' +
          'Drifts faster than a round, and other work on the machine, still show up as noise.',
        httpTable(results.http, run.httpRounds),
      ),
    );
  }
  if (results.jwks) {
    parts.push(
      section(
        'JWKS fetches',
        `Requests reaching the JWKS endpoint. Cold: a new verifier and ${results.jwksScenario.COLD_REQUESTS} ` +
          `concurrent good tokens. Flood: a warm verifier and ${results.jwksScenario.FLOOD_TOKENS} tokens with ` +
          `random unknown kids, ${results.jwksScenario.FLOOD_CONCURRENCY} at once, for at most ${run.jwksDeadlineS} s ` +
          '(tokens still unanswered then are "pending").',
        jwksTable(results.jwks),
      ),
    );
  }
  if (results.memory?.rows) {
    parts.push(
      section(
        'Memory',
        `Heap retained by one verifier after verifying that many distinct ${results.memory.alg} ` +
          'tokens, each twice, so that bearerguard caches every one (after garbage collection). ' +
          'The first step is below the cache size: its bytes per token are what a cached token ' +
          'costs. Bounded: under 50 bytes per token over the last step.',
        memoryTable(results.memory),
      ),
    );
  } else if (results.memory?.skipped) {
    parts.push(section('Memory', `Skipped: ${results.memory.skipped}.`, ''));
  }
  return `${parts.join('\n\n')}\n`;
}
