import type { CipherAlgorithm } from '../crypto/block-cipher.js';
import type { KeyRole } from '../crypto/test-master-keys.js';

/** What INIT FOR DESCRYPT leaves for the CIPHER DATA commands that follow it. */
export interface PsamKeySession {
  readonly role: KeyRole;
  readonly alg: CipherAlgorithm;
  /** The card key CK (security profile step 2). */
  readonly cardKey: Uint8Array;
  /** The session key SK (step 3), only when INIT carried R8. */
  readonly sessionKey: Uint8Array | undefined;
}

/**
 * The simulated PSAM's volatile state: the key session of the last successful INIT FOR DESCRYPT.
 * A new INIT replaces it; reset and power clear it; a failing INIT leaves it unchanged.
 */
export class PsamSession {
  current: PsamKeySession | undefined;

  clear(): void {
    this.current = undefined;
  }
}
