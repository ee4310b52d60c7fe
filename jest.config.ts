/** @jest-config-loader ts-node */
import type { Config } from 'jest';

// One Jest run over every package. Sources are compiled by SWC (types are checked by `npm run
// lint` and `npm run build`); `jose` ships ESM only, so it is transformed too.
const swc = [
  '@swc/jest',
  {
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  },
] as const;

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/examples', '<rootDir>/test'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj)s$': swc as unknown as [string, Record<string, unknown>] },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: { '^@bearerguard/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 20000,
};

export default config;
