import { routePinEntry } from '../../cards/social-security/pin/pin-entry-route.js';
import type { PinPad } from '../../transport/pinpad/pin-pad.js';
import type { PinBuffer } from '../../core/pin-buffer.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import { beforeChange, type CardContext } from './on-card.js';
import type { CardTarget } from './operation-deps.js';

/** How long a PIN operation may take when the PIN is typed during it (pad or prompt). */
export const PIN_ENTRY_OPERATION_MS = 90_000;

/** How a face lets the holder enter the PIN(s) (docs/readers.md "PIN pads"). */
export interface HolderPinEntry {
  /** Use the PINs typed on the PC although the reader has a PIN pad (refused otherwise). */
  readonly forcePcEntry?: boolean | undefined;
  /** Told "enter the PIN on the reader" (and which reader) right before the pad waits. */
  readonly onPinPad?: ((prompt: string, reader: ReaderInfo) => void) | undefined;
}

/**
 * The operation's target with a longer time limit when the PIN is entered during the operation
 * (on a pad, or at a PC prompt asked once the reader is known): `given` = the PINs came with the request.
 */
export function pinEntryTarget(input: { readonly target: CardTarget }, given: boolean): CardTarget {
  return given ? input.target : { ...input.target, operationTimeoutMs: input.target.operationTimeoutMs ?? PIN_ENTRY_OPERATION_MS };
}

/**
 * Pad or PC for this card's reader (cards/…/pin-entry-route.ts), then the matching body. PINs
 * asked on the PC here are wiped afterwards; given PINs stay the caller's. A transport failure
 * while asking the reader for its features is `not-done`.
 */
export async function routeHolderPins(
  c: CardContext,
  operation: string,
  entry: HolderPinEntry,
  given: readonly PinBuffer[] | undefined,
  ask: (() => Promise<PinBuffer[]>) | undefined,
  body: { pad: (pad: PinPad) => Promise<unknown>; pc: (pins: readonly PinBuffer[]) => Promise<unknown> },
): Promise<void> {
  const route = await beforeChange(operation, () =>
    routePinEntry(c.op.transport, { pc: given, ask, forcePc: entry.forcePcEntry, onPinPad: entry.onPinPad && ((prompt) => entry.onPinPad!(prompt, c.reader)) }),
  );
  if (route.where === 'pad') {
    await body.pad(route.pad);
    return;
  }
  try {
    await body.pc(route.pins);
  } finally {
    if (route.pins !== given) for (const p of route.pins) p.wipe();
  }
}

/** The one PIN of a route (typed as present: routePinEntry never returns an empty list). */
export function onlyPin(pin: PinBuffer | undefined): PinBuffer {
  if (!pin) throw new TypeError('no PIN in the route');
  return pin;
}
