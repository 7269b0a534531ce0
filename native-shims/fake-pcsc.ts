/**
 * A fake PC/SC implementing the same `PcscBinding` contract as the real binding (docs/architecture.md "Conventions",
 * web-eid's mock PC/SC): readers and cards are added and removed by the test, a transmit handler
 * plays the card, and any SCARD_E_* / SCARD_W_* status can be injected. Behaviour mirrors what
 * was measured on the real binding (native-shims/pcsclite.ts header, docs/pcsc.md):
 * asynchronous callbacks, errors as `Error("<Fn> error: <text>.(0x8010xxxx)")`, `end` after a
 * reader's status thread stops, "Command cancelled" on context close, and a service-down that
 * makes every context and reader emit `error` 0x80100013 (readers then `end`).
 */
import { EventEmitter } from 'node:events';
import { PCSC, type PcscBinding, type PcscCallback, type PcscConnectOptions, type PcscContext, type PcscDisposition, type PcscReader } from './pcsclite.js';

const TEXT: Readonly<Record<number, string>> = {
  0x80100002: 'Command cancelled.',
  0x80100008: 'Insufficient buffer.',
  0x80100009: 'Unknown reader specified.',
  0x8010000a: 'Command timeout.',
  0x8010000b: 'Sharing violation.',
  0x8010000c: 'No smart card inserted.',
  0x80100013: 'RPC transport error.',
  0x80100017: 'Reader is unavailable.',
  0x8010001d: 'Service not available.',
  0x8010002e: 'Cannot find a smart card reader.',
  0x80100066: 'Card is unresponsive.',
  0x80100068: 'Card was reset.',
  0x80100069: 'Card was removed.',
};

/** An error exactly as the binding builds it (node_modules/pcsclite/src/common.h). */
export function fakePcscError(fn: string, status: number): Error {
  const hex = (status >>> 0).toString(16).padStart(8, '0');
  return new Error(`${fn} error: ${TEXT[status >>> 0] ?? 'Unknown error.'}(0x${hex})`);
}

export type FakeFaultOperation = 'establish' | 'connect' | 'transmit' | 'disconnect';
export interface FakeFault {
  operation: FakeFaultOperation;
  /** PC/SC status to report, e.g. 0x80100069. */
  status: number;
  /** Only on this reader (any reader when absent). */
  reader?: string;
  /** How many times it fires (default 1; Infinity for always). */
  times?: number;
}

/** The card: ATR and a transmit handler (command -> data ‖ SW1 SW2). */
export interface FakeCard {
  atr: Uint8Array;
  transmit(command: Uint8Array): Uint8Array;
}

const SERVICE_LOST = 0x80100013;
const NO_SERVICE = 0x8010001d;

export class FakePcsc implements PcscBinding {
  /** Number of createContext() calls, successful or not (lets tests check the retry pace). */
  establishAttempts = 0;
  readonly contexts: FakeContext[] = [];
  private readonly readerNames: string[] = [];
  private readonly cards = new Map<string, { card: FakeCard; generation: number }>();
  private readonly faults: FakeFault[] = [];
  private down = false;
  private cardGeneration = 0;
  private eventCounter = 0;

  createContext(): PcscContext {
    this.establishAttempts++;
    if (this.down) throw fakePcscError('SCardEstablishContext', NO_SERVICE);
    const fault = this.takeFault('establish', undefined);
    if (fault !== undefined) throw fakePcscError('SCardEstablishContext', fault);
    const context = new FakeContext(this);
    this.contexts.push(context);
    setImmediate(() => this.readerNames.forEach((name) => context.announce(name)));
    return context;
  }

  // ---- test controls -------------------------------------------------------------------
  addReader(name: string): void {
    if (this.readerNames.includes(name)) return;
    this.readerNames.push(name);
    if (!this.down) for (const c of this.liveContexts()) setImmediate(() => c.announce(name));
  }

  removeReader(name: string): void {
    const index = this.readerNames.indexOf(name);
    if (index < 0) return;
    this.readerNames.splice(index, 1);
    this.cards.delete(name);
    // The binding's enumeration closes readers that vanished: they emit `end` (lib/pcsclite.js).
    for (const r of this.liveReaders(name)) setImmediate(() => r.end());
  }

  insertCard(name: string, card: FakeCard): void {
    this.cards.set(name, { card, generation: ++this.cardGeneration });
    this.broadcastStatus(name);
  }

  removeCard(name: string): void {
    this.cards.delete(name);
    this.broadcastStatus(name);
  }

  injectFault(fault: FakeFault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Every live context's enumeration thread fails with `status` (then stops, like the binding). */
  failContexts(status: number): void {
    for (const c of this.liveContexts()) setImmediate(() => c.fail(status));
  }

  /** A reader's status thread fails with `status`: `error` then `end`. */
  failReader(name: string, status: number): void {
    for (const r of this.liveReaders(name)) setImmediate(() => r.fail(status));
  }

  /** pcscd dies: contexts and readers emit `error` 0x80100013, readers `end`; establish throws. */
  serviceDown(): void {
    this.down = true;
    for (const c of this.liveContexts()) setImmediate(() => c.fail(SERVICE_LOST));
    for (const r of this.liveReaders()) setImmediate(() => r.fail(SERVICE_LOST));
  }

  serviceUp(): void {
    this.down = false;
  }

  /** Contexts not yet closed plus reader objects whose status thread still runs (leak check). */
  openHandles(): { contexts: number; readers: number } {
    return { contexts: this.contexts.filter((c) => !c.closed).length, readers: this.liveReaders().length };
  }

  // ---- used by FakeContext / FakeReader --------------------------------------------------
  get serviceDownNow(): boolean {
    return this.down;
  }

  hasReader(name: string): boolean {
    return this.readerNames.includes(name);
  }

  cardIn(name: string): { card: FakeCard; generation: number } | undefined {
    return this.cards.get(name);
  }

  statusOf(name: string): { state: number; atr?: Buffer } {
    const inserted = this.cards.get(name);
    const counter = (++this.eventCounter & 0xffff) << 16;
    const held = this.liveReaders(name).some((r) => r.connected);
    const base = counter | PCSC.SCARD_STATE_CHANGED;
    if (!inserted) return { state: base | PCSC.SCARD_STATE_EMPTY };
    const inUse = held ? PCSC.SCARD_STATE_EXCLUSIVE | PCSC.SCARD_STATE_INUSE : 0;
    return { state: base | PCSC.SCARD_STATE_PRESENT | inUse, atr: Buffer.from(inserted.card.atr) };
  }

  /** Another reader object (of any context) holds the card of `name`. */
  heldByOther(name: string, self: FakeReader): boolean {
    // Reader objects keep their card handle after their context closed; a dead service drops it.
    return this.allReaders(name).some((r) => r !== self && r.connected && !r.context.failed);
  }

  takeFault(operation: FakeFaultOperation, reader: string | undefined): number | undefined {
    const fault = this.faults.find((f) => f.operation === operation && (f.reader === undefined || f.reader === reader) && (f.times ?? 0) > 0);
    if (!fault) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    return fault.status;
  }

  /** Every reader object of `name` reports its status (state bits change on connect too). */
  broadcastStatus(name: string): void {
    for (const r of this.liveReaders(name)) setImmediate(() => r.pushStatus());
  }

  private liveContexts(): FakeContext[] {
    return this.contexts.filter((c) => !c.closed && !c.failed);
  }

  private allReaders(name?: string): FakeReader[] {
    return this.contexts.flatMap((c) => c.created).filter((r) => name === undefined || r.name === name);
  }

  private liveReaders(name?: string): FakeReader[] {
    return this.allReaders(name).filter((r) => !r.ended);
  }
}

export class FakeContext extends EventEmitter implements PcscContext {
  readonly readers: Record<string, PcscReader> = {};
  readonly created: FakeReader[] = [];
  closed = false;
  failed = false;

  constructor(readonly fake: FakePcsc) {
    super();
  }

  announce(name: string): void {
    if (this.closed || this.failed || this.readers[name] || !this.fake.hasReader(name)) return;
    const reader = new FakeReader(name, this);
    this.created.push(reader);
    this.readers[name] = reader;
    setImmediate(() => reader.pushStatus());
    this.emit('reader', reader);
  }

  fail(status: number): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    this.emit('error', fakePcscError('SCardGetStatusChange', status));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Measured on the real binding: close() makes the context emit "Command cancelled".
    setImmediate(() => this.emit('error', fakePcscError('SCardGetStatusChange', 0x80100002)));
  }
}

export class FakeReader extends EventEmitter implements PcscReader {
  connected = false;
  ended = false;
  statusSeen = false;
  /** close() before the first status: the real binding leaks a libuv handle then (test this). */
  closedBeforeFirstStatus = false;
  private cardGeneration = 0;

  constructor(readonly name: string, readonly context: FakeContext) {
    super();
  }

  private get fake(): FakePcsc {
    return this.context.fake;
  }

  pushStatus(): void {
    if (this.ended) return;
    this.statusSeen = true;
    this.emit('status', this.fake.statusOf(this.name));
  }

  fail(status: number): void {
    if (this.ended) return;
    this.emit('error', fakePcscError('SCardGetStatusChange', status));
    this.end();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    delete this.context.readers[this.name];
    this.removeAllListeners('status');
    this.emit('end');
  }

  connect(options: PcscConnectOptions, callback: PcscCallback<number>): void {
    if (this.connected) {
      setImmediate(() => callback(undefined));
      return;
    }
    setImmediate(() => {
      const status = this.connectStatus(options);
      if (status !== undefined) return callback(fakePcscError('SCardConnect', status));
      this.connected = true;
      this.cardGeneration = this.fake.cardIn(this.name)?.generation ?? 0;
      this.fake.broadcastStatus(this.name); // pcscd reports EXCLUSIVE|INUSE (measured 0x..92/0x..122)
      callback(null, options.protocol & PCSC.SCARD_PROTOCOL_T1 ? PCSC.SCARD_PROTOCOL_T1 : PCSC.SCARD_PROTOCOL_T0);
    });
  }

  transmit(data: Buffer, responseMax: number, _protocol: number, callback: PcscCallback<Buffer>): void {
    if (!this.connected) return callback(new Error('Card Reader not connected'));
    const command = Uint8Array.from(data);
    setImmediate(() => {
      const status = this.transmitStatus();
      if (status !== undefined) return callback(fakePcscError('SCardTransmit', status));
      const response = this.fake.cardIn(this.name)?.card.transmit(command) ?? new Uint8Array(0);
      if (response.length > responseMax) return callback(fakePcscError('SCardTransmit', 0x80100008));
      callback(null, Buffer.from(response));
    });
  }

  disconnect(_disposition: PcscDisposition, callback: (err: Error | null | undefined) => void): void {
    if (!this.connected) {
      setImmediate(() => callback(null));
      return;
    }
    setImmediate(() => {
      const status = this.fake.takeFault('disconnect', this.name) ?? (this.fake.serviceDownNow ? NO_SERVICE : undefined);
      if (status !== undefined) return callback(fakePcscError('SCardDisconnect', status));
      this.connected = false;
      this.fake.broadcastStatus(this.name);
      callback(null);
    });
  }

  close(): void {
    if (this.ended) return;
    if (!this.statusSeen) this.closedBeforeFirstStatus = true;
    setImmediate(() => this.end());
  }

  private connectStatus(options: PcscConnectOptions): number | undefined {
    const fault = this.fake.takeFault('connect', this.name);
    if (fault !== undefined) return fault;
    if (this.fake.serviceDownNow || this.context.failed) return NO_SERVICE;
    if (!this.fake.hasReader(this.name)) return 0x80100009;
    if (!this.fake.cardIn(this.name)) return 0x8010000c;
    if (options.share_mode === PCSC.SCARD_SHARE_EXCLUSIVE && this.fake.heldByOther(this.name, this)) return 0x8010000b;
    return undefined;
  }

  private transmitStatus(): number | undefined {
    const fault = this.fake.takeFault('transmit', this.name);
    if (fault !== undefined) return fault;
    if (this.fake.serviceDownNow || this.context.failed) return NO_SERVICE;
    if (this.fake.cardIn(this.name)?.generation !== this.cardGeneration) return 0x80100069;
    return undefined;
  }
}
