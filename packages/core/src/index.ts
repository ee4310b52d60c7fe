export { createVerifier } from './verifier';
export type { Verifier, AuthenticateOptions } from './verifier';
export { BearerError, isBearerError, DEFAULT_REALM } from './errors';
export type { BearerErrorBody, BearerErrorDetails } from './errors';
export { REASONS } from './reasons';
export type { ReasonCode, BearerErrorCode } from './reasons';
export { formatBearerChallenge } from './www-authenticate';
export type { ChallengeParams } from './www-authenticate';
export { toHttpRefusal } from './http';
export type { HttpRefusal } from './http';
export { checkScopes } from './scopes';
export type { ScopeMode } from './scopes';
export { eventChannel, fingerprint } from './events';
export type { BearerEvent, BearerEventType, EventRequest, EventToken } from './events';
export type { KeySourceHealth } from './keys/key-source';
export { DEFAULTS } from './options';
export { createAbuseMonitor } from './abuse/monitor';
export type { AbuseMonitor, AbuseMonitorOptions } from './abuse/monitor';
export { createRevocationList } from './abuse/revocation';
export type { RevocationList, RevocationListOptions } from './abuse/revocation';
export { createMemoryStore } from './abuse/store';
export type { BearerStore, MemoryStoreOptions } from './abuse/store';
export { reportError } from './abuse/fail-open';
export type { FailOpenHook } from './abuse/fail-open';
export type * from './types';
export {
  bearerGuard,
  frameworkRequest,
  refuseMissingToken,
  rememberUnauthenticated,
  scopeList,
} from './adapter';
export type { BearerGuard, FrameworkRequest, RequireBearerOptions } from './adapter';
