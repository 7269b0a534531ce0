import { SscardError } from '../src/core/sscard-error.js';

export type SimulatorErrorCode = 'PROFILE_INVALID' | 'PROFILE_NOT_FOUND';

/**
 * Errors of the chip simulator's set-up (never of `execute`, which answers every command with a
 * status word). Profile problems name the file and the entry, like SpecError does:
 * `simulators/profiles/x.json: holder.name: ...`.
 */
export class SimulatorError extends SscardError {
  readonly layer = 'simulator';
  constructor(
    readonly code: SimulatorErrorCode,
    message: string,
    /** The profile file (or label) concerned. */
    readonly file?: string,
    /** Path of the offending entry, e.g. `holder.birthDate`. */
    readonly entry?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
