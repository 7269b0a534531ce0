import type { PinBuffer } from '../core/pin-buffer.js';
import { err } from './cli-context.js';
import { readPins } from './pin-entry.js';

export interface HolderPinOptions {
  pinStdin?: boolean;
  /** `--force-pc-pin`: type the PIN on the PC although the reader has a PIN pad. */
  forcePcPin?: boolean;
}

/** The PINs of a holder operation: given (`--pin-stdin`, read first) or asked at the prompt later. */
export interface HolderPins {
  readonly given?: PinBuffer[] | undefined;
  readonly ask?: (() => Promise<PinBuffer[]>) | undefined;
  readonly forcePcEntry: boolean;
  readonly onPinPad: (prompt: string) => void;
}

/**
 * PIN entry of `pin verify` / `pin change` (docs/readers.md "PIN pads"): with `--pin-stdin` the
 * PINs are read before the card is opened (and refused for a PIN-pad reader unless
 * `--force-pc-pin`); otherwise the prompt comes only once the reader is known to have no pad, and
 * a pad reader says "enter the PIN on the reader". `check` runs on the typed PINs (e.g. the new
 * PIN typed twice); every PinBuffer read here is wiped afterwards.
 */
export async function withHolderPins(
  labels: readonly string[],
  o: HolderPinOptions,
  check: (pins: readonly PinBuffer[]) => void,
  fn: (pins: HolderPins) => Promise<void>,
): Promise<void> {
  const common = { forcePcEntry: o.forcePcPin === true, onPinPad: (prompt: string) => err(`${prompt}…`) };
  const read: PinBuffer[] = [];
  try {
    if (o.pinStdin) {
      read.push(...(await readPins(labels, o)));
      check(read);
      return await fn({ ...common, given: read });
    }
    return await fn({
      ...common,
      ask: async () => {
        read.push(...(await readPins(labels, o)));
        check(read);
        return read.map((p) => p); // the operation wipes these; wiping twice is harmless
      },
    });
  } finally {
    for (const p of read) p.wipe();
  }
}
