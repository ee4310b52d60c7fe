import { createSecretKey, type KeyObject } from 'node:crypto';
import { ALGORITHMS, DEFAULT_ALGORITHMS, HMAC_ALGORITHMS, isHmac } from './keys/algorithms';
import type { RemoteKeySettings } from './keys/remote-key-source';
import type { ClaimPolicy } from './claims';
import type {
  JsonWebKeySet,
  JwksOptions,
  TokenLocation,
  ValidateHook,
  VerifierOptions,
} from './types';
import type { BearerEvent } from './events';
import { DEFAULT_REALM } from './errors';
import type { AbuseMonitor } from './abuse/monitor';
import type { RevocationList } from './abuse/revocation';

/** Every default, in one place. */
export const DEFAULTS = {
  clockTolerance: 5,
  maxTokenLength: 8192,
  tokenCacheSize: 10_000,
  tokenLocations: ['header'] as readonly TokenLocation[],
  realm: DEFAULT_REALM,
  jwks: {
    timeoutMs: 5000,
    maxResponseBytes: 256 * 1024,
    cacheMaxAgeMs: 10 * 60 * 1000,
    cooldownMs: 30 * 1000,
    staleIfErrorMs: 60 * 60 * 1000,
    maxKeys: 100,
    allowInsecureHttp: false,
  },
} as const;

// RFC 7518 §3.2: an HMAC key at least as long as the hash output; HS256 needs 32 bytes.
const MIN_SECRET_BYTES = 32;

/** Options after validation, with defaults applied. */
export interface ResolvedOptions {
  issuers: readonly string[];
  jwksUri: string | undefined;
  staticKeys: JsonWebKeySet | undefined;
  secret: KeyObject | undefined;
  algorithms: ReadonlySet<string>;
  claims: ClaimPolicy;
  validate: ValidateHook | undefined;
  tokenLocations: ReadonlySet<TokenLocation>;
  maxTokenLength: number;
  tokenCacheSize: number;
  offloadSignatures: boolean;
  realm: string;
  onEvent: ((event: BearerEvent) => void) | undefined;
  abuse: AbuseMonitor | undefined;
  revocations: RevocationList | undefined;
  isRevoked: VerifierOptions['isRevoked'];
  jwks: RemoteKeySettings;
  now: () => number;
}

function fail(message: string): never {
  throw new TypeError(`bearerguard: ${message}`);
}

function stringList(value: unknown, name: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) fail(`"${name}" must be a string or a list`);
  for (const item of list) {
    if (typeof item !== 'string' || item.length === 0) fail(`"${name}" must hold strings`);
  }
  return list as string[];
}

function positive(value: unknown, name: string, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value);
  if (!ok || value < 0 || (!allowZero && value === 0)) fail(`"${name}" must be a positive number`);
  return value;
}

function resolveSecret(secret: VerifierOptions['secret']): KeyObject | undefined {
  if (secret === undefined) return undefined;
  const key =
    typeof secret === 'string'
      ? createSecretKey(Buffer.from(secret, 'utf8'))
      : secret instanceof Uint8Array
        ? createSecretKey(secret)
        : secret;
  if (key.type !== 'secret') fail('"secret" must be a shared secret');
  if ((key.symmetricKeySize ?? 0) < MIN_SECRET_BYTES) {
    fail(`"secret" must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  return key;
}

function resolveAlgorithms(list: readonly string[] | undefined, hmac: boolean): Set<string> {
  const algorithms = list ?? (hmac ? HMAC_ALGORITHMS : DEFAULT_ALGORITHMS);
  for (const alg of stringList(algorithms, 'algorithms')) {
    if (!ALGORITHMS[alg]) fail(`algorithm "${alg}" is not supported`);
    // RFC 8725 §3.1: a verifier keyed for HMAC must not accept public-key algorithms, and the
    // reverse, or a public key could be used as an HMAC secret.
    if (isHmac(alg) !== hmac) {
      fail(hmac ? 'with "secret", only HS* algorithms' : `"${alg}" needs a "secret"`);
    }
  }
  return new Set(algorithms);
}

function resolveJwks(options: VerifierOptions): RemoteKeySettings {
  const given = options.jwks ?? {};
  const d = DEFAULTS.jwks;
  if (given.fetch !== undefined && typeof given.fetch !== 'function') fail('"jwks.fetch"');
  return {
    timeoutMs: positive(given.timeoutMs, 'jwks.timeoutMs', d.timeoutMs),
    maxResponseBytes: positive(given.maxResponseBytes, 'jwks.maxResponseBytes', d.maxResponseBytes),
    cacheMaxAgeMs: positive(given.cacheMaxAgeMs, 'jwks.cacheMaxAgeMs', d.cacheMaxAgeMs),
    cooldownMs: positive(given.cooldownMs, 'jwks.cooldownMs', d.cooldownMs, true),
    staleIfErrorMs: positive(given.staleIfErrorMs, 'jwks.staleIfErrorMs', d.staleIfErrorMs, true),
    maxKeys: positive(given.maxKeys, 'jwks.maxKeys', d.maxKeys),
    allowInsecureHttp: given.allowInsecureHttp ?? d.allowInsecureHttp,
    fetch: given.fetch ?? fetch,
  };
}

function resolveKeySource(options: VerifierOptions, issuers: string[]) {
  const given = [options.jwksUri, options.keys, options.secret].filter((v) => v !== undefined);
  if (given.length > 1) fail('give one of "jwksUri", "keys" and "secret"');
  if (options.jwksUri !== undefined && issuers.length > 1) {
    fail('"jwksUri" serves one issuer; several issuers are discovered from their metadata');
  }
  if (options.jwksUri !== undefined && typeof options.jwksUri !== 'string') fail('"jwksUri"');
  if (options.keys !== undefined && !Array.isArray(options.keys?.keys)) {
    fail('"keys" must be a JWKS ({ keys: [...] })');
  }
}

const KNOWN_OPTIONS = new Set<string>([
  'issuer',
  'audience',
  'jwksUri',
  'keys',
  'secret',
  'algorithms',
  'clockTolerance',
  'maxTokenAge',
  'strict',
  'requiredClaims',
  'validate',
  'tokenLocations',
  'maxTokenLength',
  'tokenCacheSize',
  'offloadSignatures',
  'realm',
  'onEvent',
  'jwks',
  'abuse',
  'revocations',
  'isRevoked',
  'now',
] satisfies (keyof VerifierOptions)[]);
const KNOWN_JWKS_OPTIONS = new Set<string>([
  'timeoutMs',
  'maxResponseBytes',
  'cacheMaxAgeMs',
  'cooldownMs',
  'staleIfErrorMs',
  'maxKeys',
  'allowInsecureHttp',
  'fetch',
] satisfies (keyof JwksOptions)[]);

// A misspelt option would silently leave a check off: name it instead.
function checkNames(given: object, known: ReadonlySet<string>, where: string): void {
  for (const name of Object.keys(given)) {
    if (!known.has(name)) fail(`unknown option "${where}${name}"`);
  }
}

/** Validates options eagerly: a bad configuration is a TypeError now, not a 401 later. */
export function resolveOptions(options: VerifierOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('options are required');
  checkNames(options, KNOWN_OPTIONS, '');
  if (options.jwks !== undefined) checkNames(options.jwks, KNOWN_JWKS_OPTIONS, 'jwks.');
  const issuers = stringList(options.issuer, 'issuer');
  if (options.audience === undefined) {
    fail('"audience" is required (null turns the audience check off on purpose)');
  }
  const audiences = options.audience === null ? null : stringList(options.audience, 'audience');
  resolveKeySource(options, issuers);
  const secret = resolveSecret(options.secret);
  const locations = options.tokenLocations ?? DEFAULTS.tokenLocations;
  for (const where of locations) {
    if (!['header', 'query', 'body'].includes(where)) fail(`token location "${where}"`);
  }
  for (const name of ['validate', 'onEvent', 'now', 'isRevoked'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') fail(`"${name}"`);
  }

  return {
    issuers,
    jwksUri: options.jwksUri,
    staticKeys: options.keys,
    secret,
    algorithms: resolveAlgorithms(options.algorithms, secret !== undefined),
    claims: {
      audiences: audiences && new Set(audiences),
      clockTolerance: positive(
        options.clockTolerance,
        'clockTolerance',
        DEFAULTS.clockTolerance,
        true,
      ),
      maxTokenAge:
        options.maxTokenAge === undefined
          ? undefined
          : positive(options.maxTokenAge, 'maxTokenAge', 0),
      strict: options.strict === true,
      requiredClaims: options.requiredClaims
        ? stringList(options.requiredClaims, 'requiredClaims')
        : [],
    },
    validate: options.validate,
    tokenLocations: new Set(locations),
    maxTokenLength: positive(options.maxTokenLength, 'maxTokenLength', DEFAULTS.maxTokenLength),
    offloadSignatures: options.offloadSignatures === true,
    tokenCacheSize: positive(
      options.tokenCacheSize,
      'tokenCacheSize',
      DEFAULTS.tokenCacheSize,
      true,
    ),
    realm: options.realm ?? DEFAULTS.realm,
    onEvent: options.onEvent,
    abuse: options.abuse,
    revocations: options.revocations,
    isRevoked: options.isRevoked,
    jwks: resolveJwks(options),
    now: options.now ?? Date.now,
  };
}
