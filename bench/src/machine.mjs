// What the numbers were measured on: they mean little without it.
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

function gitCommit() {
  try {
    const cwd = new URL('../..', import.meta.url);
    const run = (args) =>
      execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const dirty = run(['status', '--porcelain', '--', 'packages']) !== '';
    return `${run(['rev-parse', '--short', 'HEAD'])}${dirty ? ' (packages/ modified)' : ''}`;
  } catch {
    return 'unknown';
  }
}

/** Node version, CPU, cores, memory, load average and commit, at the time of the call. */
export function describeMachine() {
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((n) => Number(n.toFixed(2))),
    commit: gitCommit(),
  };
}

/** The 1-minute load average now; above the core count, other work competed for the CPU. */
export const currentLoad = () => Number(loadavg()[0].toFixed(2));
