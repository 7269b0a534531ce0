import type { PinBuffer } from '../../../core/pin-buffer.js';
import type { CardTransport } from '../../../transport/card-transport.js';
import { discoverPinPad, type PinPad } from '../../../transport/pinpad/pin-pad.js';
import { PinError } from './pin-error.js';
import { assertPcPinEntryAllowed, PIN_PAD_PROMPT } from './pin-pad-operations.js';

/**
 * Where the PIN(s) of one operation come from (docs/readers.md "PIN pads"):
 * - `pc`: PINs already typed on the PC or sent by a page (refused for a pad reader unless forced);
 * - `ask`: asked on the PC only once the reader is known to have no pad (the CLI's prompt);
 * - neither: the PIN must be typed on the reader's pad.
 */
export interface PinEntryRequest {
  readonly pc?: readonly PinBuffer[] | undefined;
  readonly ask?: (() => Promise<PinBuffer[]>) | undefined;
  /** Take PC-side PINs even though the reader has a pad. */
  readonly forcePc?: boolean | undefined;
  /** Told (with PIN_PAD_PROMPT) right before the pad waits for the holder. */
  readonly onPinPad?: ((prompt: string) => void) | undefined;
}

export type PinEntryRoute = { readonly where: 'pad'; readonly pad: PinPad } | { readonly where: 'pc'; readonly pins: readonly PinBuffer[] };

/**
 * Decides pad or PC for the reader of `transport` (asks its part 10 features): a pad takes the PIN
 * unless PC entry is forced; PINs given on the PC for a pad reader -> PIN_PAD_REQUIRED; no pad and
 * no PC PIN -> PIN_PAD_UNSUPPORTED. PINs returned by `ask` are the caller's to wipe, like `pc`.
 */
export async function routePinEntry(transport: CardTransport, request: PinEntryRequest): Promise<PinEntryRoute> {
  const pad = await discoverPinPad(transport);
  if (pad && !request.forcePc) {
    if (request.pc) assertPcPinEntryAllowed(pad, false);
    request.onPinPad?.(PIN_PAD_PROMPT);
    return { where: 'pad', pad };
  }
  if (request.pc) return { where: 'pc', pins: request.pc };
  if (request.ask) return { where: 'pc', pins: await request.ask() };
  throw new PinError('PIN_PAD_UNSUPPORTED', `"${transport.reader.name}" has no PIN pad: the PIN must be entered on the PC`);
}
