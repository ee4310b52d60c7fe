import { BearerError } from '@bearerguard/core';

// The realm of the verifier that let a request through unauthenticated (`optional: true`), so
// that a scope guard's own `missing_token` challenge names the same realm.
const realms = new WeakMap<object, string>();

/** Remembers which realm `request` was authenticated in. */
export function rememberRealm(request: object, realm: string): void {
  realms.set(request, realm);
}

/** The refusal of a scope guard that finds no verified token on `request`. */
export function missingToken(request: object): BearerError {
  return new BearerError('missing_token', { realm: realms.get(request) });
}
