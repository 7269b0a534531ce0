/**
 * Runs `work` (decoding and checking an answer already received) while `inFlight` (the next
 * exchange with the card, or the card's release, already started) is pending, then waits for it:
 * the JS work leaves the critical path of a read without a second exchange being started
 * (docs/performance.md "Where the time of one sequential read goes"). Still one APDU in flight at
 * a time: the caller starts nothing else until this settles.
 *
 * Errors: a `work` error wins. It is thrown after `inFlight` has settled (its outcome dropped), so
 * the caller never sends or closes while an exchange is pending; otherwise `inFlight`'s own error
 * (transport, status, cancellation) is thrown as it is.
 */
export async function whileInFlight<W, F>(inFlight: Promise<F>, work: () => W): Promise<[W, F]> {
  let done: W;
  try {
    done = work();
  } catch (error) {
    await inFlight.then(
      () => undefined,
      () => undefined,
    );
    throw error;
  }
  return [done, await inFlight];
}
