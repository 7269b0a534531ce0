import { SscardError } from '../core/sscard-error.js';

export type KeyErrorCode =
  | 'ALGORITHM_UNSUPPORTED' // tag 86 names an algorithm sscard does not implement (02 SSF33, unknown ids)
  | 'BAD_KEY_INPUT' // wrong length or format of a key, factor, challenge, region code, ATR, ...
  | 'KEY_NOT_AVAILABLE' // the source has no master key for that role
  | 'KEY_FILE_MISSING' // master-key file cannot be read
  | 'KEY_FILE_INVALID' // master-key file is not JSON or fails its schema (names file and entry)
  | 'KEY_FILE_EXISTS' // `keys init` would overwrite an installation key (without --force)
  | 'KEY_FILE_PERMISSIONS' // an installation key file readable by group or others
  | 'TEST_KEYS_REFUSED' // the public test keys were offered where real keys are required
  | 'PSAM_NOT_FOUND' // SELECT of the PSAM application failed
  | 'PSAM_CONDITIONS_NOT_SATISFIED' // 6985: CIPHER DATA without INIT FOR DESCRYPT / without R8
  | 'PSAM_BAD_PARAMETER' // 6A86: unknown role, algorithm or mode
  | 'PSAM_WRONG_LENGTH' // 6700
  | 'PSAM_ERROR' // any other status word or a malformed PSAM answer
  | 'HSM_BAD_VALUES' // step-2 text or values malformed
  | 'HSM_OPERATION_NOT_PREPARED'; // the two-step source was asked for something step 1 did not prepare

/**
 * Errors of the key service (`src/keys`). Messages never contain key material or PINs; PSAM
 * errors carry the status word as 4 hex digits; key-file errors name the file and the entry.
 */
export class KeyError extends SscardError {
  readonly layer = 'keys';
  constructor(
    readonly code: KeyErrorCode,
    message: string,
    readonly details: { sw?: string; file?: string; entry?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get sw(): string | undefined {
    return this.details.sw;
  }
}
