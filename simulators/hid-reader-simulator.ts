import type { SimulatedCard } from './simulated-card.js';

/**
 * A simulated USB-HID card reader speaking frame format SSCARD-HID-1 (docs/readers.md "Reference
 * frame format") on the device side of the node-hid wrapper: it receives output reports and
 * answers with input reports, and holds a simulated card (any card OS) in its slot. Written from
 * the format description, independently of the reader's driver in src/transport/hid/reference/,
 * so each side checks the other. Misbehaviours inject framing faults that a checksum cannot
 * catch (wrong sequence, index, length, magic): the driver must still give typed errors.
 */
const SIZE = 64;
const HEADER = 6;
const MAX_PAYLOAD = SIZE - HEADER - 1;
const MAGIC = 0xa5;
const MORE = 0x01;
const ERROR = 0xee;
const CMD = { POWER_ON: 0x10, POWER_OFF: 0x11, GET_STATUS: 0x12, XFR_APDU: 0x13 } as const;
const STATUS = { NO_CARD: 0x01, CARD_MUTE: 0x02, BAD_CHECKSUM: 0x03, BAD_FRAME: 0x04, UNKNOWN_COMMAND: 0x05 } as const;

export type HidReaderMisbehaviour = 'bad-sequence' | 'bad-index' | 'bad-length' | 'bad-magic' | 'wrong-code';

export class SimulatedHidReader {
  /** Every complete request message received (code and length only: no APDU bytes kept). */
  readonly requests: { code: number; length: number }[] = [];
  private card: SimulatedCard | undefined;
  private cardInterface: 'contact' | 'contactless' = 'contact';
  private powered = false;
  private pending: { seq: number; code: number; parts: Uint8Array[] } | undefined;
  private misbehaviour: HidReaderMisbehaviour | undefined;
  /** When true the card never answers (the reader reports CARD_MUTE). */
  mute = false;

  constructor(card?: SimulatedCard, cardInterface: 'contact' | 'contactless' = 'contact') {
    if (card) this.insert(card, cardInterface);
  }

  insert(card: SimulatedCard, cardInterface: 'contact' | 'contactless' = 'contact'): void {
    this.card = card;
    this.cardInterface = cardInterface;
    this.powered = false;
  }

  remove(): void {
    this.card = undefined;
    this.powered = false;
  }

  /** The next answer is sent with this framing fault (once). */
  misbehaveOnce(m: HidReaderMisbehaviour): void {
    this.misbehaviour = m;
  }

  /** Device side of the wire: one output report in, the input reports of the answer out. */
  onOutputReport(report: Uint8Array): Uint8Array[] {
    if (report.length !== SIZE) return this.answer(0, ERROR, Uint8Array.of(STATUS.BAD_FRAME));
    let x = 0;
    for (let i = 0; i < SIZE - 1; i++) x ^= report[i]!;
    const seq = report[1]!;
    if (x !== report[SIZE - 1]) return this.fail(seq, STATUS.BAD_CHECKSUM);
    const [magic, , code, index, flags, length] = report as unknown as number[];
    if (magic !== MAGIC || length! > MAX_PAYLOAD) return this.fail(seq, STATUS.BAD_FRAME);
    const expected = this.pending && this.pending.seq === seq ? this.pending.parts.length : 0;
    if (index !== expected || (this.pending && index! > 0 && this.pending.code !== code)) return this.fail(seq, STATUS.BAD_FRAME);
    if (index === 0) this.pending = { seq, code: code!, parts: [] };
    this.pending!.parts.push(report.slice(HEADER, HEADER + length!));
    if (flags! & MORE) return [];
    const { parts } = this.pending!;
    this.pending = undefined;
    const message = Buffer.concat(parts);
    this.requests.push({ code: code!, length: message.length });
    const result = this.execute(code!, message);
    message.fill(0);
    return result.ok ? this.answer(seq, code! | 0x80, result.data) : this.answer(seq, ERROR, Uint8Array.of(result.status));
  }

  private execute(code: number, message: Uint8Array): { ok: true; data: Uint8Array } | { ok: false; status: number } {
    switch (code) {
      case CMD.GET_STATUS:
        return { ok: true, data: Uint8Array.of(this.card ? (this.cardInterface === 'contact' ? 1 : 2) : 0) };
      case CMD.POWER_ON:
        if (!this.card) return { ok: false, status: STATUS.NO_CARD };
        if (this.mute) return { ok: false, status: STATUS.CARD_MUTE };
        if (!this.powered) this.card.powerOn();
        this.powered = true;
        return { ok: true, data: this.card.atr() };
      case CMD.POWER_OFF:
        if (this.card && this.powered) this.card.powerOff();
        this.powered = false;
        return { ok: true, data: new Uint8Array(0) };
      case CMD.XFR_APDU:
        if (!this.card) return { ok: false, status: STATUS.NO_CARD };
        if (this.mute || !this.powered) return { ok: false, status: STATUS.CARD_MUTE };
        return { ok: true, data: this.card.execute(message) };
      default:
        return { ok: false, status: STATUS.UNKNOWN_COMMAND };
    }
  }

  private fail(seq: number, status: number): Uint8Array[] {
    this.pending = undefined;
    return this.answer(seq, ERROR, Uint8Array.of(status));
  }

  private answer(seq: number, code: number, data: Uint8Array): Uint8Array[] {
    const count = Math.max(1, Math.ceil(data.length / MAX_PAYLOAD));
    const out: Uint8Array[] = [];
    const fault = this.misbehaviour;
    this.misbehaviour = undefined;
    for (let i = 0; i < count; i++) {
      const chunk = data.subarray(i * MAX_PAYLOAD, (i + 1) * MAX_PAYLOAD);
      const r = new Uint8Array(SIZE);
      r[0] = fault === 'bad-magic' ? 0x5a : MAGIC;
      r[1] = fault === 'bad-sequence' ? (seq + 1) & 0xff : seq;
      r[2] = fault === 'wrong-code' ? code ^ 0x01 : code;
      r[3] = fault === 'bad-index' ? i + 1 : i;
      r[4] = i < count - 1 ? MORE : 0;
      r[5] = fault === 'bad-length' ? MAX_PAYLOAD + 1 : chunk.length;
      r.set(chunk, HEADER);
      let x = 0;
      for (let k = 0; k < SIZE - 1; k++) x ^= r[k]!;
      r[SIZE - 1] = x;
      out.push(r);
    }
    return out;
  }
}
