import { pino, type Logger } from 'pino';

/**
 * Structured logs (pino, JSON lines on stderr). What is logged: method names, reader ids, error
 * codes, durations, connection ids, origins. Never params, results, PINs, tokens or card data:
 * call sites do not pass them, and `redact` removes them anyway if one ever slips in.
 */
export const REDACT_PATHS = [
  'params',
  '*.params',
  'result',
  '*.result',
  'pin',
  '*.pin',
  'oldPin',
  '*.oldPin',
  'newPin',
  '*.newPin',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers',
  '*.headers',
  'data',
  '*.data',
  'holder',
  '*.holder',
  'ssn',
  '*.ssn',
];

export function createDaemonLogger(level: string, destination: NodeJS.WritableStream | number = 2): Logger {
  const stream = typeof destination === 'number' ? pino.destination({ dest: destination, sync: true }) : destination;
  return pino({ level, base: { svc: 'sscard-daemon' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream);
}
