import type { HidDeviceInfo } from '../../../native-shims/node-hid.js';
import type { CardInterface } from '../reader-info.js';
import type { HidReportChannel } from './hid-report-channel.js';

/** What a card slot of a HID reader reports (GET STATUS of the reference format). */
export interface HidCardStatus {
  readonly present: boolean;
  /** The interface the card answers on, when the reader tells. */
  readonly cardInterface?: 'contact' | 'contactless' | undefined;
}

/**
 * One open HID reader, spoken to in its vendor's frame format. Every method is one or more
 * request/answer exchanges of reports on the channel; errors are TransportErrors (HidFrameError
 * for framing). Calls are serialized by the caller (HidReaderSource holds one per device).
 */
export interface HidDriverSession {
  /** Powers the card and returns its ATR; NO_CARD when the slot is empty. */
  powerOn(signal?: AbortSignal): Promise<Uint8Array>;
  powerOff(signal?: AbortSignal): Promise<void>;
  cardStatus(signal?: AbortSignal): Promise<HidCardStatus>;
  /** One command APDU to the powered card; the response APDU (data ‖ SW1 SW2). */
  transmit(command: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
}

/**
 * A HID reader driver (docs/readers.md "Adding a driver"): which devices it serves, its report
 * size, the interface it reads cards on, and how to speak to an open device.
 */
export interface HidReaderDriver {
  /** Stable id, e.g. `sscard-ref-1`. */
  readonly id: string;
  /** Size of one input/output report, without the report id. */
  readonly reportSize: number;
  matches(device: HidDeviceInfo): boolean;
  /** Contact, contactless, or both (a dual reader then reports per card in HidCardStatus). */
  readonly cardInterface: CardInterface;
  session(channel: HidReportChannel, options: { timeoutMs: number }): HidDriverSession;
}
