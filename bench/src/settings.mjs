// Command-line settings. `--quick` is for development: few rounds, short runs.
import { parseArgs } from 'node:util';

export const SECTIONS = ['core', 'http', 'jwks', 'memory'];

const FULL = {
  rounds: 3,
  coreTimeMs: 500,
  coreWarmupMs: 100,
  // HTTP: all of a framework's servers at once, one slice each per round, in turn.
  httpRounds: 6,
  httpDurationS: 2,
  httpWarmupS: 1,
  connections: 50,
  jwksDeadlineS: 10,
};

const QUICK = {
  ...FULL,
  rounds: 1,
  coreTimeMs: 150,
  coreWarmupMs: 50,
  httpRounds: 2,
  httpDurationS: 1,
  jwksDeadlineS: 5,
};

const USAGE = `Usage: npm run bench [-- options]
  --quick              few rounds, short runs (development)
  --rounds N           rounds of the core scenarios (default 3; 1 with --quick)
  --http-rounds N      rounds of HTTP slices (default 6; 2 with --quick)
  --sections LIST      sections to run, comma-separated: ${SECTIONS.join(',')}
  --tokens N           distinct tokens per algorithm (default: 10% more than bearerguard's
                       verified-token cache holds, at least 2000)
  --duration S         seconds per HTTP slice (default 2; 1 with --quick)
  --connections N      autocannon connections (default 50)
  --out DIR            where to write latest.{md,json,svg} (default: bench/results for a
                       full run, bench/results/raw for --quick or --sections)
  --help
From the repository root, \`npm run bench -- --quick\` works; give values with "=" there
(\`npm run bench -- --rounds=2\`), since npm reads them as its own settings and passes them on
in the environment.`;

function positiveInt(value, name) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new TypeError(`--${name} must be a positive number`);
  return n;
}

const OPTIONS = {
  quick: { type: 'boolean' },
  rounds: { type: 'string' },
  'http-rounds': { type: 'string' },
  sections: { type: 'string' },
  tokens: { type: 'string' },
  duration: { type: 'string' },
  connections: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean' },
};

// `npm run bench -- --quick` at the root runs `npm run bench -w bench --quick`, where npm takes
// `--quick` as its own setting and hands it on as npm_config_quick (npm_config_http_rounds for
// `--http-rounds`).
function fromNpmEnvironment(env) {
  const values = {};
  for (const [name, { type }] of Object.entries(OPTIONS)) {
    const value = env[`npm_config_${name.replaceAll('-', '_')}`];
    if (value === undefined || value === '') continue;
    values[name] = type === 'boolean' ? value === 'true' : value;
  }
  return values;
}

// Only a full run replaces the published results; a quick or partial one goes to raw/ (ignored
// by git).
function defaultOutDir(partial) {
  return new URL(partial ? '../results/raw/' : '../results/', import.meta.url).pathname;
}

/** Settings from `argv`, or undefined after printing the usage for --help. */
export function readSettings(argv = process.argv.slice(2), env = process.env) {
  const parsed = parseArgs({ args: argv, options: OPTIONS }).values;
  const values = { ...fromNpmEnvironment(env), ...parsed };
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const base = values.quick ? QUICK : FULL;
  const only = values.sections ? values.sections.split(',').map((s) => s.trim()) : SECTIONS;
  for (const name of only) {
    if (!SECTIONS.includes(name)) throw new TypeError(`--sections: unknown section "${name}"`);
  }
  return {
    ...base,
    quick: values.quick === true,
    sections: new Set(only),
    rounds: values.rounds ? positiveInt(values.rounds, 'rounds') : base.rounds,
    httpRounds: values['http-rounds']
      ? positiveInt(values['http-rounds'], 'http-rounds')
      : base.httpRounds,
    tokens: values.tokens ? positiveInt(values.tokens, 'tokens') : undefined,
    httpDurationS: values.duration ? positiveInt(values.duration, 'duration') : base.httpDurationS,
    connections: values.connections
      ? positiveInt(values.connections, 'connections')
      : base.connections,
    outDir: values.out ?? defaultOutDir(values.quick === true || only.length < SECTIONS.length),
  };
}
