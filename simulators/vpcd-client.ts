import { Socket } from 'node:net';
import type { SimulatedCard } from './simulated-card.js';
import { VpcdClientError } from './vpcd-client-error.js';

/**
 * Plugs a SimulatedCard into a running pcscd through the vpcd virtual reader driver.
 *
 * Protocol (docs/pcsc.md, "vpcd"; vsmartcard's vicc): the simulator is the TCP
 * *client* of vpcd (slot 0 = port 35963 `Virtual PCD 00 00`, slot 1 = 35964 `Virtual PCD 00 01`).
 * Every frame is a 2-byte big-endian length + payload. A 1-byte payload is a control:
 * 00 power off, 01 power on, 02 reset, 04 get ATR (the only control that is answered, with the
 * ATR). Anything else is a command APDU, answered with `card.execute()`.
 * Insert = connect; remove = close the socket. pcscd polls with `04` every ~300-400 ms, so the
 * client answers from socket events only and never blocks the event loop (a synchronous child
 * process in the same Node process would deadlock pcscd's poll).
 */
export const VPCD_BASE_PORT = 35963;

const CTRL_OFF = 0x00;
const CTRL_ON = 0x01;
const CTRL_RESET = 0x02;
const CTRL_ATR = 0x04;

export interface VpcdClientOptions {
  /** vpcd slot: 0 -> port 35963, 1 -> 35964. Default 0. */
  slot?: number;
  /** Overrides the port computed from `slot`. */
  port?: number;
  /** Loopback only: vpcd binds 0.0.0.0 (docs/pcsc.md). */
  host?: string;
  /** Fault injection: when the n-th APDU (0-based, counted from insert) arrives, close instead of answering. */
  pullAtApdu?: number;
  /** Sees every APDU before the card does (index counted from insert). */
  onApdu?: (command: Uint8Array, index: number) => void;
  /** Called once per insert when the connection ends: by remove(), a pull, or the peer (pcscd died). */
  onRemoved?: (reason: 'removed' | 'pulled' | 'peer-closed') => void;
}

export class VpcdClient {
  readonly port: number;
  readonly host: string;
  /** May be changed between inserts (or during one): see VpcdClientOptions.pullAtApdu. */
  pullAtApdu: number | undefined;
  private readonly onApdu: VpcdClientOptions['onApdu'];
  private readonly onRemoved: VpcdClientOptions['onRemoved'];
  private socket: Socket | undefined;
  private closed: Promise<void> | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private apdus = 0;
  private removalReason: 'removed' | 'pulled' | 'peer-closed' = 'peer-closed';

  constructor(
    private readonly card: SimulatedCard,
    options: VpcdClientOptions = {},
  ) {
    this.port = options.port ?? VPCD_BASE_PORT + (options.slot ?? 0);
    this.host = options.host ?? '127.0.0.1';
    this.pullAtApdu = options.pullAtApdu;
    this.onApdu = options.onApdu;
    this.onRemoved = options.onRemoved;
  }

  get inserted(): boolean {
    return this.socket !== undefined;
  }

  /** APDUs received since the last insert. */
  get apduCount(): number {
    return this.apdus;
  }

  /** Connects to vpcd (= inserts the card). Resolves once connected; pcscd notices within ~0.5 s. */
  insert(): Promise<void> {
    if (this.socket) return Promise.reject(new VpcdClientError('VPCD_ALREADY_INSERTED', `card already inserted on port ${this.port}`));
    this.apdus = 0;
    this.pending = Buffer.alloc(0);
    this.removalReason = 'peer-closed';
    const socket = new Socket();
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      this.onRemoved?.(this.removalReason);
    });
    return new Promise((resolve, reject) => {
      const onConnectError = (error: Error): void => {
        reject(new VpcdClientError('VPCD_UNREACHABLE', `cannot reach vpcd at ${this.host}:${this.port} (is pcscd running?): ${error.message}`, { cause: error }));
      };
      socket.once('error', onConnectError);
      socket.connect(this.port, this.host, () => {
        socket.removeListener('error', onConnectError);
        // After connect, errors (ECONNRESET when pcscd dies) just end the connection.
        socket.on('error', () => undefined);
        socket.setNoDelay(true); // our side of the Nagle trap (see native-shims/tcp-nodelay-preload.c)
        socket.on('data', (chunk) => this.onData(socket, chunk));
        resolve();
      });
    });
  }

  /** Closes the connection (= pulls the card). Resolves when the socket is closed. */
  remove(): Promise<void> {
    const socket = this.socket;
    if (!socket) return this.closed ?? Promise.resolve();
    this.removalReason = 'removed';
    socket.destroy();
    return this.closed ?? Promise.resolve();
  }

  private onData(socket: Socket, chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 2 && this.socket === socket) {
      const length = this.pending.readUInt16BE(0);
      if (this.pending.length < 2 + length) return;
      const payload = this.pending.subarray(2, 2 + length);
      this.pending = this.pending.subarray(2 + length);
      const answer = length === 1 ? this.control(payload[0] ?? -1) : this.apdu(socket, Uint8Array.from(payload));
      if (answer) this.send(socket, answer);
    }
  }

  private control(code: number): Uint8Array | undefined {
    switch (code) {
      case CTRL_OFF:
        this.card.powerOff();
        return undefined;
      case CTRL_ON:
        this.card.powerOn();
        return undefined;
      case CTRL_RESET:
        this.card.reset();
        return undefined;
      case CTRL_ATR:
        return this.card.atr();
      default:
        return undefined; // unknown control: vpcd expects no answer
    }
  }

  private apdu(socket: Socket, command: Uint8Array): Uint8Array | undefined {
    const index = this.apdus++;
    this.onApdu?.(command, index);
    if (this.pullAtApdu !== undefined && index === this.pullAtApdu) {
      this.removalReason = 'pulled';
      socket.destroy();
      return undefined;
    }
    try {
      return this.card.execute(command);
    } catch {
      // execute() must answer every command with a status word (simulated-card.ts); a throw is
      // a simulator bug: answer 6F00 (no precise diagnosis, ISO 7816-4 §5.1.3) rather than hang pcscd.
      return Uint8Array.of(0x6f, 0x00);
    }
  }

  private send(socket: Socket, payload: Uint8Array): void {
    const frame = Buffer.allocUnsafe(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    frame.set(payload, 2);
    socket.write(frame);
  }
}
