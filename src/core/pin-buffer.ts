import { SscardError } from './sscard-error.js';

/** A PIN that is not 1+ decimal digits, or a buffer used after `wipe()`. Never quotes the PIN. */
export class PinBufferError extends SscardError {
  readonly layer = 'core';
  constructor(readonly code: 'PIN_NOT_DIGITS' | 'PIN_WIPED', message: string) {
    super(message);
  }
}

const REDACTED = '<PIN redacted>';

/**
 * A PIN held as ASCII digits in a Uint8Array that can be wiped (docs/architecture.md "Conventions"). Every textual view
 * (`toString`, `toJSON`, template literals, `util.inspect` / console.log) is `<PIN redacted>`, so a
 * PIN cannot reach a log by accident. Whoever creates the buffer wipes it when done.
 */
export class PinBuffer {
  readonly #digits: Uint8Array;
  #wiped = false;

  private constructor(digits: Uint8Array) {
    this.#digits = digits;
  }

  /** From text typed by the holder. Only 0-9 allowed; the message never quotes the input. */
  static fromString(pin: string): PinBuffer {
    if (!/^[0-9]+$/.test(pin)) throw new PinBufferError('PIN_NOT_DIGITS', 'a PIN must be one or more decimal digits');
    const digits = new Uint8Array(pin.length);
    for (let i = 0; i < pin.length; i++) digits[i] = pin.charCodeAt(i);
    return new PinBuffer(digits);
  }

  /** From ASCII digit bytes (copied: the caller still wipes its own array). */
  static fromAscii(ascii: Uint8Array): PinBuffer {
    if (ascii.length === 0 || ascii.some((b) => b < 0x30 || b > 0x39)) {
      throw new PinBufferError('PIN_NOT_DIGITS', 'a PIN must be one or more decimal digits');
    }
    return new PinBuffer(Uint8Array.from(ascii));
  }

  /** Number of digits. */
  get length(): number {
    this.assertUsable();
    return this.#digits.length;
  }

  get wiped(): boolean {
    return this.#wiped;
  }

  /**
   * The digits as BCD with an F nibble pad to a whole byte (docs/reference/card-spec.md §3: "123456" -> 12 34 56,
   * "12345" -> 12 34 5F). A new array: the caller wipes it (`.fill(0)`) after use.
   */
  toBcd(): Uint8Array {
    this.assertUsable();
    const d = this.#digits;
    const out = new Uint8Array(Math.ceil(d.length / 2));
    for (let i = 0; i < out.length; i++) {
      const hi = d[2 * i]! - 0x30;
      const lo = 2 * i + 1 < d.length ? d[2 * i + 1]! - 0x30 : 0x0f;
      out[i] = (hi << 4) | lo;
    }
    return out;
  }

  /** A copy of the ASCII digits; the caller wipes it after use. */
  copyAscii(): Uint8Array {
    this.assertUsable();
    return Uint8Array.from(this.#digits);
  }

  /** Overwrites the digits with zeros; any later use throws. */
  wipe(): void {
    this.#digits.fill(0);
    this.#wiped = true;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  /** `util.inspect.custom`, spelled through the global registry so core stays platform-free. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }

  private assertUsable(): void {
    if (this.#wiped) throw new PinBufferError('PIN_WIPED', 'the PIN buffer was already wiped');
  }
}
