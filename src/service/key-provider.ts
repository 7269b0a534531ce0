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
  /** Keys for an operation on `reader` (the test-key rule looks at the reader). */
  lease(reader: ReaderInfo, signal?: AbortSignal): Promise<KeyLease>;
  /** Reloads key material (the daemon on SIGHUP); no-op for sources without files. */
  reload(): void;
}
