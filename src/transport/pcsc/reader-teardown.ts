import type { PcscReader } from '../../../native-shims/pcsclite.js';

/**
 * Helpers to close binding objects safely (docs/pcsc.md, "Teardown traps").
 * `deferred` runs an action on the next setImmediate: never inside a binding callback, because
 * the binding holds the reader's mutex while it calls listeners and close() takes it again.
 */
export function deferred(action: () => void): Promise<void> {
  return new Promise((resolve) =>
    setImmediate(() => {
      try {
        action();
      } finally {
        resolve();
      }
    }),
  );
}

/** Resolves on the reader's first status, error or end, or after `timeoutMs`. */
export function firstSignal(raw: PcscReader, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      raw.removeListener('status', done);
      raw.removeListener('error', done);
      raw.removeListener('end', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    raw.once('status', done);
    raw.once('error', done);
    raw.once('end', done);
  });
}
