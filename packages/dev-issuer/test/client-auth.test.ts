import { authenticateClient, readClientCredentials } from '../src/client-auth';
import { basicAuth } from './helpers';

const form = (entries: Record<string, string> = {}) => new Map(Object.entries(entries));
const clients = [{ clientId: 'svc:a', clientSecret: 'p@ss wörd+%', scopes: [] }];

describe('readClientCredentials', () => {
  test('decodes form-urlencoded Basic credentials', () => {
    const credentials = readClientCredentials(basicAuth('svc:a', 'p@ss wörd+%'), form());

    expect(credentials).toEqual({ clientId: 'svc:a', clientSecret: 'p@ss wörd+%' });
  });

  test('reads the Basic scheme name case-insensitively', () => {
    const header = basicAuth('a', 'b').replace('Basic', 'bAsIc');

    expect(readClientCredentials(header, form())).toEqual({ clientId: 'a', clientSecret: 'b' });
  });

  test('splits at the first colon, so the secret may contain colons', () => {
    const header = `Basic ${Buffer.from('a:b:c').toString('base64')}`;

    expect(readClientCredentials(header, form())).toEqual({ clientId: 'a', clientSecret: 'b:c' });
  });

  test('reads client_id and client_secret from the body', () => {
    const body = form({ client_id: 'a', client_secret: 'b' });

    expect(readClientCredentials(undefined, body)).toEqual({ clientId: 'a', clientSecret: 'b' });
  });

  test('finds no credentials without a Basic header or body credentials', () => {
    expect(readClientCredentials('Bearer abc', form())).toBeUndefined();
  });

  test('refuses Basic and a body secret together with invalid_request', () => {
    const read = () => readClientCredentials(basicAuth('a', 'b'), form({ client_secret: 'b' }));

    expect(read).toThrow(expect.objectContaining({ code: 'invalid_request', status: 400 }));
  });
});

describe('authenticateClient', () => {
  test('returns the client whose id and secret match', () => {
    const client = authenticateClient(clients, { clientId: 'svc:a', clientSecret: 'p@ss wörd+%' });

    expect(client).toBe(clients[0]);
  });

  test.each([
    ['no credentials', undefined],
    ['an unknown id', { clientId: 'svc:b', clientSecret: 'p@ss wörd+%' }],
    ['a wrong secret', { clientId: 'svc:a', clientSecret: 'p@ss wörd+' }],
    ['an empty secret', { clientId: 'svc:a', clientSecret: '' }],
  ])('fails with 401 invalid_client for %s', (_, credentials) => {
    expect(() => authenticateClient(clients, credentials)).toThrow(
      expect.objectContaining({ code: 'invalid_client', status: 401 }),
    );
  });
});
