import type { KeyService } from '../keys/key-service.js';
import type { ReaderInfo } from '../transport/reader-info.js';

/** A key service lent to one card operation; `release` closes what it opened (e.g. a PSAM connection). */
export interface KeyLease {
  readonly keys: KeyService;
  release(): Promise<void>;
}

/**
 * Where the keys of the counter operations and the authenticated 3.0 read come from (soft, PSAM,
 * HSM; docs/keys.md). Built once by the composition root (src/compose/) from config and flags;
 * the operations only ask it for a lease on the reader they hold.
 */
export interface KeyProvider {
  /** True when a key source was chosen explicitly: optional users (read, pin.change) then use it too. */
  readonly chosen: boolean;
  /**
   * True when the national basic-information read (iReadCardBas and its faces) leases these keys
   * for RKSSSE / INTERNAL AUTHENTICATE even when `chosen` is false (the daemon: its configured
   * keys; docs/national-interface.md "Keys"). A refused TEST key set then means "no keys".
   */
  readonly nationalRead?: boolean;
  /** Keys for an operation on `reader` (the test-key rule looks at the reader). */
  lease(reader: ReaderInfo, signal?: AbortSignal): Promise<KeyLease>;
  /** Reloads key material (the daemon on SIGHUP); no-op for sources without files. */
  reload(): void;
}
