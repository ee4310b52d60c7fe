import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Every published package must load both ways from its built `dist/`: `npm test` builds first.
const root = join(__dirname, '..');
const packages = readdirSync(join(root, 'packages')).filter((name) =>
  existsSync(join(root, 'packages', name, 'package.json')),
);

function run(script: string, type: 'commonjs' | 'module'): string {
  const flag = type === 'module' ? '--input-type=module' : '--input-type=commonjs';
  return execFileSync(process.execPath, [flag, '-e', script], { cwd: root, encoding: 'utf8' });
}

describe.each(packages)('@bearerguard/%s', (name) => {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));

  it('declares types first in its exports map', () => {
    for (const condition of ['import', 'require']) {
      expect(Object.keys(manifest.exports['.'][condition])[0]).toBe('types');
    }
  });

  it('can be required and imported, with the same exports', () => {
    const list = 'Object.keys(m).filter((k) => k !== "default" && k !== "__esModule").sort()';
    const required = run(`const m = require('${manifest.name}'); console.log(${list})`, 'commonjs');
    const imported = run(`import * as m from '${manifest.name}'; console.log(${list})`, 'module');
    expect(imported).toBe(required);
    expect(required.trim()).not.toBe('[]');
  });
});

it('shares one BearerError class between import and require', () => {
  const script = `
    import { createRequire } from 'node:module';
    import { BearerError } from '@bearerguard/core';
    const cjs = createRequire(import.meta.url)('@bearerguard/core');
    console.log(BearerError === cjs.BearerError);`;
  expect(run(script, 'module').trim()).toBe('true');
});
