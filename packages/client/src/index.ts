export { createTokenClient } from './token-client';
export type { TokenClient } from './token-client';
export { requestToken } from './request-token';
export type { TokenResponse } from './token-request';
export { TokenRequestError } from './errors';
export type { TokenErrorCode } from './errors';
export { DEFAULTS } from './options';
export type { ClientAuthMethod, TokenClientOptions, TokenRequestOptions } from './options';
