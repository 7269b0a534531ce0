import { toHex } from '../core/hex.js';
import { ApduError } from './apdu-error.js';
import { isSecretCommand } from './mask-secrets.js';

/**
 * A command APDU (ISO/IEC 7816-4 §5.1). `ne` is the expected response length Ne: undefined =
 * no Le field; 1..256 short (256 is coded 00); up to 65536 extended (65536 coded 0000).
 */
export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array;
  readonly ne?: number | undefined;
  /** Force extended length fields even when the values fit short ones. */
  readonly extended?: boolean | undefined;
}

export function command(cla: number, ins: number, p1: number, p2: number, data?: Uint8Array, ne?: number): CommandApdu {
  return { cla, ins, p1, p2, data: data ?? new Uint8Array(0), ne };
}

function checkByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new ApduError('MALFORMED_COMMAND', `${name} must be a byte, got ${v}`);
}

/** Encodings of the commands made by `constantCommand`, done once. */
const encodedOnce = new WeakMap<CommandApdu, Uint8Array>();

/**
 * A command sent unchanged on every read (SELECT SSSE, the READ RECORDs of a spec table's files):
 * frozen, with its own copy of the data, and encoded once; `encodeCommand` then returns a copy of
 * that encoding. Not for commands with secret data (their wire copy is wiped once sent).
 */
export function constantCommand(c: CommandApdu): CommandApdu {
  const frozen: CommandApdu = Object.freeze({ ...c, data: c.data.slice() });
  const bytes = encodeCommand(frozen);
  if (isSecretCommand(bytes)) throw new ApduError('MALFORMED_COMMAND', 'a command carrying a PIN is never kept as a constant');
  encodedOnce.set(frozen, bytes);
  return frozen;
}

/** Serializes to the ISO 7816-4 cases 1-4, short or extended (§5.1, table 1). */
export function encodeCommand(c: CommandApdu): Uint8Array {
  const once = encodedOnce.get(c);
  if (once) return once.slice();
  checkByte('CLA', c.cla);
  checkByte('INS', c.ins);
  checkByte('P1', c.p1);
  checkByte('P2', c.p2);
  const nc = c.data.length;
  const ne = c.ne;
  if (nc > 65535) throw new ApduError('MALFORMED_COMMAND', `command data of ${nc} bytes exceeds 65535`);
  if (ne !== undefined && (!Number.isInteger(ne) || ne < 1 || ne > 65536)) {
    throw new ApduError('MALFORMED_COMMAND', `Ne must be 1..65536, got ${ne}`);
  }
  const ext = c.extended === true || nc > 255 || (ne !== undefined && ne > 256);
  const out: number[] = [c.cla, c.ins, c.p1, c.p2];
  if (!ext) {
    if (nc > 0) out.push(nc, ...c.data);
    if (ne !== undefined) out.push(ne === 256 ? 0 : ne);
  } else {
    if (nc > 0) out.push(0, nc >> 8, nc & 0xff, ...c.data);
    if (ne !== undefined) {
      const le = ne === 65536 ? 0 : ne;
      if (nc === 0) out.push(0);
      out.push(le >> 8, le & 0xff);
    }
  }
  const bytes = Uint8Array.from(out);
  out.fill(0); // the intermediate array may hold PIN material (VERIFY, CHANGE PIN)
  return bytes;
}

/**
 * Parses command bytes (the simulator's view). Throws MALFORMED_COMMAND when the length
 * fields do not match the number of bytes (ISO/IEC 7816-3 §12.1.2 case decoding).
 */
export function decodeCommand(bytes: Uint8Array): CommandApdu {
  if (bytes.length < 4) throw new ApduError('MALFORMED_COMMAND', `command of ${bytes.length} bytes is shorter than a header`);
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const body = bytes.subarray(4);
  const n = body.length;
  const bad = () => new ApduError('MALFORMED_COMMAND', `inconsistent length fields in command ${toHex(bytes.subarray(0, 8))}…`);
  if (n === 0) return { cla, ins, p1, p2, data: new Uint8Array(0) }; // case 1
  const b1 = body[0]!;
  if (n === 1) return { cla, ins, p1, p2, data: new Uint8Array(0), ne: b1 === 0 ? 256 : b1 }; // case 2S
  if (b1 !== 0) {
    // short case 3 or 4
    if (n === 1 + b1) return { cla, ins, p1, p2, data: body.slice(1) };
    if (n === 2 + b1) {
      const le = body[n - 1]!;
      return { cla, ins, p1, p2, data: body.slice(1, 1 + b1), ne: le === 0 ? 256 : le };
    }
    throw bad();
  }
  // b1 = 00 with more bytes: extended
  if (n === 3) {
    const le = (body[1]! << 8) | body[2]!;
    return { cla, ins, p1, p2, data: new Uint8Array(0), ne: le === 0 ? 65536 : le, extended: true }; // case 2E
  }
  if (n < 3) throw bad();
  const nc = (body[1]! << 8) | body[2]!;
  if (nc === 0) throw bad();
  if (n === 3 + nc) return { cla, ins, p1, p2, data: body.slice(3), extended: true }; // case 3E
  if (n === 5 + nc) {
    const le = (body[3 + nc]! << 8) | body[4 + nc]!;
    return { cla, ins, p1, p2, data: body.slice(3, 3 + nc), ne: le === 0 ? 65536 : le, extended: true }; // case 4E
  }
  throw bad();
}
