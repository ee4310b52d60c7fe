import { BearerError, createVerifier, type BearerRequest, type TokenLocation } from '../src';
import { accessClaims, generateKey, signToken } from './support/tokens';

const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'https://api.example.test';
const key = generateKey('ES256', 'k1');
const TOKEN = signToken(
  { alg: 'ES256', kid: 'k1' },
  accessClaims(ISSUER, AUDIENCE),
  key.privateKey,
);

function verifier(tokenLocations?: TokenLocation[]) {
  return createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { keys: [key.jwk] },
    tokenLocations,
  });
}

function request(parts: Partial<BearerRequest> = {}): BearerRequest {
  return { headers: {}, method: 'GET', path: '/v1/alerts', ...parts };
}

async function outcome(req: BearerRequest, locations?: TokenLocation[]): Promise<string> {
  try {
    await verifier(locations).authenticate(req);
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(BearerError);
    return `${(err as BearerError).status} ${(err as BearerError).code}`;
  }
}

describe('authenticate (RFC 6750 §2)', () => {
  it.each<[string, Partial<BearerRequest>, string]>([
    ['a Bearer header', { headers: { authorization: `Bearer ${TOKEN}` } }, 'accepted'],
    ['the scheme in any case', { headers: { authorization: `bEaReR ${TOKEN}` } }, 'accepted'],
    ['no token at all', {}, '401 missing_token'],
    ['another scheme', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }, '400 invalid_request'],
    ['a scheme without a token', { headers: { authorization: 'Bearer' } }, '400 invalid_request'],
    ['an empty header', { headers: { authorization: '' } }, '400 invalid_request'],
    [
      'characters outside token68',
      { headers: { authorization: 'Bearer a b' } },
      '400 invalid_request',
    ],
    ['a quoted token', { headers: { authorization: `Bearer "${TOKEN}"` } }, '400 invalid_request'],
    [
      'two Authorization headers',
      {
        headers: { authorization: `Bearer ${TOKEN}` },
        rawHeaders: ['Authorization', `Bearer ${TOKEN}`, 'authorization', `Bearer ${TOKEN}`],
      },
      '400 invalid_request',
    ],
    ['a garbage token', { headers: { authorization: 'Bearer abc' } }, '401 malformed_token'],
    [
      'a query token when the query is not enabled',
      { query: { access_token: TOKEN } },
      '401 missing_token',
    ],
  ])('answers %s with %s', async (_name, parts, expected) => {
    expect(await outcome(request(parts))).toBe(expected);
  });

  it.each([
    ['Basic dXNlcjpwYXNz', 'The Authorization header does not use the Bearer scheme'],
    [
      `Bearer\t${TOKEN}`,
      'The Authorization header must separate "Bearer" from its token with spaces only',
    ],
  ])('says what is wrong with the header %#', async (authorization, description) => {
    const refusal = verifier().authenticate(request({ headers: { authorization } }));
    await expect(refusal).rejects.toMatchObject({ code: 'invalid_request', description });
  });

  it('takes a query token when enabled, and refuses a token in two places', async () => {
    const both: TokenLocation[] = ['header', 'query'];
    expect(await outcome(request({ query: { access_token: TOKEN } }), both)).toBe('accepted');
    const twice = request({
      headers: { authorization: `Bearer ${TOKEN}` },
      query: { access_token: TOKEN },
    });
    expect(await outcome(twice, both)).toBe('400 invalid_request');
    expect(await outcome(request({ query: { access_token: [TOKEN, TOKEN] } }), both)).toBe(
      '400 invalid_request',
    );
  });

  it('takes a form body token when enabled, never on GET or from JSON', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const body = { access_token: TOKEN };
    const post = request({ method: 'POST', headers: form, body });
    expect(await outcome(post, ['body'])).toBe('accepted');
    expect(await outcome({ ...post, method: 'GET' }, ['body'])).toBe('401 missing_token');
    const json = request({ method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(await outcome(json, ['body'])).toBe('401 missing_token');
  });

  it('lets a request without a token through when optional, but not a bad one', async () => {
    await expect(verifier().authenticate(request(), { optional: true })).resolves.toBeUndefined();
    const bad = request({ headers: { authorization: 'Bearer abc' } });
    await expect(verifier().authenticate(bad, { optional: true })).rejects.toMatchObject({
      code: 'malformed_token',
    });
  });
});
