import type { HidDeviceInfo } from '../../../../native-shims/node-hid.js';
import { TransportError } from '../../transport-error.js';
import { HidFrameError } from '../hid-error.js';
import type { HidCardStatus, HidDriverSession, HidReaderDriver } from '../hid-reader-driver.js';
import type { HidReportChannel } from '../hid-report-channel.js';
import {
  REF_ERROR,
  REF_REPORT_SIZE,
  REF_RESPONSE_BIT,
  RefCommand,
  RefReassembler,
  RefSlot,
  RefStatus,
  decodeRefReport,
  encodeRefMessage,
} from './reference-frame.js';

/** USB ids of the reference reader: pid.codes' open vendor id and a test product id. */
export const REFERENCE_VENDOR_ID = 0x1209;
export const REFERENCE_PRODUCT_ID = 0x0001;

/** The reference driver for frame format SSCARD-HID-1 (docs/readers.md). */
export const referenceHidDriver: HidReaderDriver = {
  id: 'sscard-ref-1',
  reportSize: REF_REPORT_SIZE,
  cardInterface: 'dual',
  matches: (d: HidDeviceInfo) => d.vendorId === REFERENCE_VENDOR_ID && d.productId === REFERENCE_PRODUCT_ID,
  session: (channel, options) => new ReferenceDriverSession(channel, options.timeoutMs),
};

/** One request/answer at a time: send every report of the request, read until the last report. */
class ReferenceDriverSession implements HidDriverSession {
  private seq = 0;
  /** An exchange failed half-way: stale input reports may wait; drain before the next one. */
  private dirty = false;

  constructor(
    private readonly channel: HidReportChannel,
    private readonly timeoutMs: number,
  ) {}

  async powerOn(signal?: AbortSignal): Promise<Uint8Array> {
    const atr = await this.exchange(RefCommand.POWER_ON, new Uint8Array(0), signal);
    if (atr.length < 2) throw new HidFrameError('BAD_RESPONSE', `ATR of ${atr.length} bytes`);
    return atr;
  }

  async powerOff(signal?: AbortSignal): Promise<void> {
    await this.exchange(RefCommand.POWER_OFF, new Uint8Array(0), signal);
  }

  async cardStatus(signal?: AbortSignal): Promise<HidCardStatus> {
    const answer = await this.exchange(RefCommand.GET_STATUS, new Uint8Array(0), signal);
    if (answer.length !== 1) throw new HidFrameError('BAD_RESPONSE', `GET STATUS answer of ${answer.length} bytes`);
    switch (answer[0]) {
      case RefSlot.EMPTY:
        return { present: false };
      case RefSlot.CONTACT:
        return { present: true, cardInterface: 'contact' };
      case RefSlot.CONTACTLESS:
        return { present: true, cardInterface: 'contactless' };
      default:
        throw new HidFrameError('BAD_RESPONSE', `GET STATUS slot byte ${answer[0]}`);
    }
  }

  async transmit(command: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const response = await this.exchange(RefCommand.XFR_APDU, command, signal);
    if (response.length < 2) throw new HidFrameError('BAD_RESPONSE', `response APDU of ${response.length} bytes (no SW1 SW2)`);
    return response;
  }

  private async exchange(code: number, message: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    if (this.dirty) {
      await this.channel.drain();
      this.dirty = false;
    }
    this.seq = (this.seq + 1) & 0xff;
    const reports = encodeRefMessage(this.seq, code, message);
    this.dirty = true;
    try {
      for (const r of reports) await this.channel.send(r, signal);
      const reassembler = new RefReassembler(this.seq);
      for (;;) {
        const done = reassembler.push(decodeRefReport(await this.channel.receive(this.timeoutMs, signal)));
        if (!done) continue;
        this.dirty = false;
        if (done.code === REF_ERROR) throw readerError(done.message[0], this.channel.readerName);
        if (done.code !== (code | REF_RESPONSE_BIT)) throw new HidFrameError('BAD_RESPONSE', `answer code ${done.code.toString(16)} to request ${code.toString(16)}`);
        return done.message;
      }
    } finally {
      for (const r of reports) r.fill(0);
    }
  }
}

function readerError(status: number | undefined, reader: string): TransportError {
  switch (status) {
    case RefStatus.NO_CARD:
      return new TransportError('NO_CARD', `no card in HID reader "${reader}"`);
    case RefStatus.CARD_MUTE:
      return new TransportError('UNRESPONSIVE_CARD', `the card in HID reader "${reader}" does not answer`);
    case RefStatus.BAD_CHECKSUM:
      return new HidFrameError('BAD_CHECKSUM', `HID reader "${reader}" received a report with a bad checksum`, status);
    default:
      return new HidFrameError('READER_ERROR', `HID reader "${reader}" answered error ${status ?? 'without status'}`, status);
  }
}
