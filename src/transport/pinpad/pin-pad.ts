import type { CardTransport } from '../card-transport.js';
import type { ReaderControl } from '../reader-control.js';
import { readerControlOf } from '../reader-control.js';
import { TransportError } from '../transport-error.js';
import { CM_IOCTL_GET_FEATURE_REQUEST, Part10Feature, parseFeatureList } from './part10-features.js';

/** Largest control answer we accept (a feature list or a card response). */
const CONTROL_MAX = 512;

/**
 * A PC/SC part 10 reader with a PIN pad: the PIN is typed on the reader and goes from the pad to
 * the card; the PC sends only the structure (an APDU template without the PIN) and gets the
 * card's response (docs/readers.md "PIN pads").
 */
export class PinPad {
  constructor(
    private readonly control: ReaderControl,
    /** Feature tag -> control code, as the reader listed them. */
    readonly features: ReadonlyMap<number, number>,
  ) {}

  get canVerify(): boolean {
    return this.features.has(Part10Feature.VERIFY_PIN_DIRECT);
  }

  get canModify(): boolean {
    return this.features.has(Part10Feature.MODIFY_PIN_DIRECT);
  }

  /** FEATURE_VERIFY_PIN_DIRECT with a PIN_VERIFY_STRUCTURE; resolves with the card's response APDU. */
  verifyPinDirect(structure: Uint8Array): Promise<Uint8Array> {
    return this.send(Part10Feature.VERIFY_PIN_DIRECT, structure);
  }

  /** FEATURE_MODIFY_PIN_DIRECT with a PIN_MODIFY_STRUCTURE; resolves with the card's response APDU. */
  modifyPinDirect(structure: Uint8Array): Promise<Uint8Array> {
    return this.send(Part10Feature.MODIFY_PIN_DIRECT, structure);
  }

  private async send(feature: number, structure: Uint8Array): Promise<Uint8Array> {
    const code = this.features.get(feature);
    if (code === undefined) throw new TransportError('PROTOCOL_ERROR', `the reader does not list part 10 feature ${feature}`);
    const answer = await this.control.control(code, structure, CONTROL_MAX);
    if (answer.length < 2) throw new TransportError('PROTOCOL_ERROR', `PIN pad answer of ${answer.length} bytes (no SW1 SW2)`);
    return answer;
  }
}

/**
 * Asks the reader of an open connection for its part 10 features (CM_IOCTL_GET_FEATURE_REQUEST).
 * A PinPad when it lists VERIFY_PIN_DIRECT; `undefined` for transports without reader control,
 * readers whose driver does not support the request (vpcd, many plain readers) or without a pad.
 * Card removal and a lost service are errors, not "no pad".
 */
export async function discoverPinPad(transport: CardTransport): Promise<PinPad | undefined> {
  const control = readerControlOf(transport);
  if (!control) return undefined;
  let answer: Uint8Array;
  try {
    answer = await control.control(CM_IOCTL_GET_FEATURE_REQUEST, new Uint8Array(0), CONTROL_MAX);
  } catch (e) {
    if (e instanceof TransportError && (e.code === 'IO_ERROR' || e.code === 'PROTOCOL_ERROR')) return undefined;
    throw e;
  }
  const pad = new PinPad(control, parseFeatureList(answer));
  return pad.canVerify ? pad : undefined;
}
