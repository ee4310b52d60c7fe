// The operators' view of bearerguard: every event becomes one structured JSON log line (pino)
// and a Prometheus counter by type and reason (prom-client). Pass `onEvent` to requireBearer.
import pino from 'pino';
import { Counter, Registry } from 'prom-client';

/**
 * @param {{ destination?: import('node:stream').Writable, level?: string }} [options]
 * @returns {{ onEvent: (event: object) => void, registry: Registry, logger: pino.Logger }}
 */
export function createMonitoring(options = {}) {
  const logger = pino(
    { level: options.level ?? 'info', base: { service: 'alerts-api' }, messageKey: 'message' },
    options.destination ?? process.stdout,
  );
  const registry = new Registry();
  const events = new Counter({
    name: 'bearerguard_events_total',
    help: 'bearerguard events by type and reason',
    labelNames: ['type', 'reason'],
    registers: [registry],
  });

  // Refusals are warnings, suspected abuse an error, the rest (verified, key refreshes) info.
  const level = (type) =>
    type === 'abuse.suspected'
      ? 'error'
      : type.startsWith('token.') && type !== 'token.verified'
        ? 'warn'
        : type === 'scope.insufficient' || type === 'keys.refresh_failed'
          ? 'warn'
          : 'info';

  function onEvent(event) {
    events.inc({ type: event.type, reason: event.reason ?? '' });
    // The event carries no raw token, only a fingerprint: it is safe to log as it is.
    const { message, ...fields } = event;
    logger[level(event.type)]({ event: fields }, message);
  }

  return { onEvent, registry, logger };
}
