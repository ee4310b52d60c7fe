export { startDevIssuer, type DevIssuer } from './dev-issuer';
export type { DevJwk } from './keys';
export type { MintOptions } from './mint';
export type { DevClient, DevIssuerAlgorithm, DevIssuerOptions } from './options';
