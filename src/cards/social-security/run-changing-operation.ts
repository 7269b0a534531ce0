import { isTransportFailure, OperationInterruptedError } from './operation-interrupted-error.js';

/**
 * Runs the steps of a changing operation. `prepare` (SELECT, reads, GET CHALLENGE, key service)
 * failing on the transport -> `not-done`; `commit` (the one changing APDU) failing on the
 * transport -> `unknown`. Other errors pass through unchanged.
 */
export async function runChangingOperation<P, R>(operation: string, prepare: () => Promise<P>, commit: (prepared: P) => Promise<R>): Promise<R> {
  let prepared: P;
  try {
    prepared = await prepare();
  } catch (e) {
    if (isTransportFailure(e)) throw new OperationInterruptedError(operation, 'not-done', e.code, { cause: e });
    throw e;
  }
  try {
    return await commit(prepared);
  } catch (e) {
    if (isTransportFailure(e)) throw new OperationInterruptedError(operation, 'unknown', e.code, { cause: e });
    throw e;
  }
}
