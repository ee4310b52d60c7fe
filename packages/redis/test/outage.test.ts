import { createRedisStore } from '../src';
import {
  freshPrefix,
  startInstance,
  timed,
  untilAvailable,
  type Instance,
} from './support/instances';
import { freePort, startRedisServer, stopAllRedisServers } from './support/redis-server';
import { token } from './support/tokens';

// Timing bounds are deliberately loose: they tell "answers after the command timeout" from
// "hangs until Redis returns", nothing finer.
const COMMAND_TIMEOUT_MS = 100;
const BOUND_MS = COMMAND_TIMEOUT_MS + 1000;

const started: Instance[] = [];

function instance(url: string): Instance {
  const created = startInstance(url, {
    keyPrefix: freshPrefix(),
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
  });
  started.push(created);
  return created;
}

/** Runs `attempt` and checks both its answer and that it did not wait for Redis. */
async function answers(subject: Instance, jwt: string, expected: string): Promise<void> {
  const { ms, value } = await timed(() => subject.attempt(jwt));
  expect(value).toBe(expected);
  expect(ms).toBeLessThan(BOUND_MS);
}

/** A valid token, and refusals that must keep their codes whatever the state of Redis. */
async function verificationWorks(subject: Instance): Promise<void> {
  await answers(subject, token(), 'accepted');
  await answers(subject, 'garbage', 'malformed_token');
  await answers(subject, token({ exp: 1 }), 'token_expired');
  await answers(subject, token({ iss: 'https://elsewhere.example.test' }), 'issuer_mismatch');
  await answers(subject, token().slice(0, -4) + 'AAAA', 'signature_invalid');
}

afterAll(async () => {
  await Promise.all(started.map((subject) => subject.store.close()));
  await stopAllRedisServers();
});

describe('with Redis unreachable from the start', () => {
  it('answers every call at once as if the store were empty', async () => {
    const store = createRedisStore(
      { url: `redis://127.0.0.1:${await freePort()}` },
      { commandTimeoutMs: COMMAND_TIMEOUT_MS },
    );
    const now = Date.now();
    const calls: [() => Promise<unknown>, unknown][] = [
      [() => store.addToWindow('w', 'm', now, 60_000), []],
      [() => store.setIfAbsent('k', 60_000, now), false],
      [() => store.put('k', 60_000, now), undefined],
      [() => store.expiresAt('k', now), undefined],
    ];
    for (const [call, empty] of calls) {
      const { ms, value } = await timed(call);
      expect(value).toEqual(empty);
      expect(ms).toBeLessThan(BOUND_MS);
    }
    expect(store.status().available).toBe(false);
    await store.close();
  });

  it('keeps verifying tokens', async () => {
    const subject = instance(`redis://127.0.0.1:${await freePort()}`);
    await verificationWorks(subject);
    // Refusals are not counted, so nothing is blocked either.
    for (let i = 0; i < 5; i++) await subject.attempt('garbage');
    await answers(subject, token(), 'accepted');
  });

  it('reports the connection error through status', async () => {
    const subject = instance(`redis://127.0.0.1:${await freePort()}`);
    const deadline = Date.now() + 5000;
    while (subject.store.status().lastError === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(subject.store.status()).toMatchObject({
      available: false,
      lastError: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describe('across a Redis restart', () => {
  it('keeps verifying while Redis is down and works again once it is back', async () => {
    const server = await startRedisServer();
    const subject = instance(server.url);
    await untilAvailable(subject.store);
    const revoked = token({ jti: 'revoked-before-the-outage' });
    await subject.revocations.revoke('revoked-before-the-outage', Date.now() / 1000 + 300);
    await answers(subject, revoked, 'token_revoked');

    await server.stop();
    await verificationWorks(subject);
    // Fail open: the revocation lived in Redis and is not seen while Redis is away.
    await answers(subject, revoked, 'accepted');
    // The client notices the lost connection when its socket closes, which may come later.
    await untilAvailable(subject.store, 5000, false);

    await server.start();
    await untilAvailable(subject.store);
    await answers(subject, token(), 'accepted');
    // The same client works again (on an empty Redis): new revocations and blocks are seen.
    await subject.revocations.revoke('revoked-before-the-outage', Date.now() / 1000 + 300);
    await answers(subject, revoked, 'token_revoked');
    for (let i = 0; i < 3; i++) await subject.attempt('garbage');
    await answers(subject, token(), 'rate_limited');
  });
});

describe('with Redis frozen (connected, but not answering)', () => {
  it('answers within the command timeout and recovers when Redis thaws', async () => {
    const server = await startRedisServer();
    const subject = instance(server.url);
    await untilAvailable(subject.store);

    server.pause();
    try {
      await verificationWorks(subject);
      const { ms, value } = await timed(() => subject.store.expiresAt('k', Date.now()));
      expect(value).toBeUndefined();
      expect(ms).toBeLessThan(BOUND_MS);
    } finally {
      server.resume();
    }

    await untilAvailable(subject.store);
    await subject.revocations.revoke('after-the-thaw', Date.now() / 1000 + 300);
    await answers(subject, token({ jti: 'after-the-thaw' }), 'token_revoked');
  });
});
