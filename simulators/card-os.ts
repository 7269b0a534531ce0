import { decodeCommand, type CommandApdu } from '../src/apdu/command-apdu.js';
import { encodeResponse } from '../src/apdu/response-apdu.js';
import { CardState } from './card-state.js';
import type { FileSystem } from './file-system.js';
import type { CommandFilter, InstructionEntry, InstructionHandler, InstructionOptions, Reply } from './instruction.js';
import type { Behaviour, CardProfile } from './profile-schema.js';
import { SecurityState } from './security-state.js';
import type { SimulatedCard } from './simulated-card.js';
import { SW } from './status.js';

export interface CardOsOptions {
  readonly atr: Uint8Array;
  readonly fileSystem: FileSystem;
  readonly behaviour: Behaviour;
  /** The profile the card was made from, for handlers that need more of it (PIN, keys). */
  readonly profile?: CardProfile;
}

const NO_DATA = new Uint8Array(0);

/**
 * The simulated card operating system (vsmartcard vicc style): ATR, power, and `execute`, which
 * decodes the command, dispatches INS through an instruction table to a handler and encodes the
 * handler's (sw, data). `execute` never throws: unsupported CLA -> 6E00, unknown INS -> 6D00,
 * length fields that do not match the bytes -> 6700 (ISO/IEC 7816-4 §5.1, §5.6), and a handler
 * failure -> 6F00. Instructions are registered from outside (`register`), so later modules add
 * PIN, authentication and MAC commands without touching this file.
 */
export class CardOs implements SimulatedCard {
  readonly fs: FileSystem;
  readonly behaviour: Behaviour;
  readonly profile: CardProfile | undefined;
  /** Granted rights; cleared on power-on, reset and DF selection. */
  readonly security = new SecurityState();
  /** Current DF/EF, record pointer, pending GET RESPONSE bytes. */
  readonly state: CardState;

  private readonly atrBytes: Uint8Array;
  private readonly table = new Map<number, InstructionEntry>();
  private readonly filters: CommandFilter[] = [];
  private readonly resetListeners: (() => void)[] = [];
  private poweredOn = true;

  constructor(options: CardOsOptions) {
    this.atrBytes = Uint8Array.from(options.atr);
    this.fs = options.fileSystem;
    this.behaviour = options.behaviour;
    this.profile = options.profile;
    this.state = new CardState(options.fileSystem.mf);
  }

  /** Adds (or replaces) the handler of one INS. */
  register(ins: number, handler: InstructionHandler, options: InstructionOptions = {}): this {
    this.table.set(ins, {
      ins,
      handler,
      classes: options.classes ?? [0x00],
      keepsPendingResponse: options.keepsPendingResponse ?? false,
      name: options.name ?? `INS ${ins.toString(16).toUpperCase().padStart(2, '0')}`,
    });
    return this;
  }

  /** The registered instructions, in INS order. */
  instructions(): InstructionEntry[] {
    return [...this.table.values()].sort((a, b) => a.ins - b.ins);
  }

  /** Adds a filter that sees every command first (see CommandFilter). */
  addFilter(filter: CommandFilter): this {
    this.filters.push(filter);
    return this;
  }

  /** Called whenever volatile state is cleared (power-on, power-off, reset), e.g. to forget a challenge. */
  onReset(listener: () => void): this {
    this.resetListeners.push(listener);
    return this;
  }

  get powered(): boolean {
    return this.poweredOn;
  }

  atr(): Uint8Array {
    return Uint8Array.from(this.atrBytes);
  }

  powerOn(): void {
    this.clearVolatile();
    this.poweredOn = true;
  }

  powerOff(): void {
    this.clearVolatile();
    this.poweredOn = false;
  }

  reset(): Uint8Array {
    this.powerOn();
    return this.atr();
  }

  execute(command: Uint8Array): Uint8Array {
    let result: Reply;
    try {
      result = this.poweredOn ? this.dispatch(command) : { sw: SW.NO_PRECISE_DIAGNOSIS };
    } catch {
      this.state.pendingResponse = undefined;
      result = { sw: SW.NO_PRECISE_DIAGNOSIS };
    }
    return encodeResponse(result.data ?? NO_DATA, result.sw);
  }

  private dispatch(bytes: Uint8Array): Reply {
    const [cla, ins] = [bytes[0], bytes[1]];
    const entry = ins === undefined ? undefined : this.table.get(ins);
    // Only GET RESPONSE may fetch the pending bytes; any other command discards them.
    if (!(entry?.keepsPendingResponse && cla !== undefined && entry.classes.includes(cla))) this.state.pendingResponse = undefined;

    for (const filter of this.filters) {
      const answer = filter(bytes, this);
      if (answer) return answer;
    }
    if (cla === undefined || ins === undefined || bytes.length < 4) return { sw: SW.WRONG_LENGTH };
    if (!this.knownClass(cla)) return { sw: SW.CLA_NOT_SUPPORTED };
    if (!entry) return { sw: SW.INS_NOT_SUPPORTED };
    if (!entry.classes.includes(cla)) return { sw: SW.CLA_NOT_SUPPORTED };
    let command: CommandApdu;
    try {
      command = decodeCommand(bytes);
    } catch {
      return { sw: SW.WRONG_LENGTH };
    }
    // A T=0 card has no extended length fields (ISO/IEC 7816-3 §12.1, docs/reference/card-spec.md §1),
    // unless the profile says this chip takes them (behaviour.extendedLength).
    if (command.extended && this.behaviour.extendedLength !== true) return { sw: SW.WRONG_LENGTH };
    return entry.handler(command, this);
  }

  private knownClass(cla: number): boolean {
    for (const e of this.table.values()) if (e.classes.includes(cla)) return true;
    return false;
  }

  private clearVolatile(): void {
    this.state.clear();
    this.security.clear();
    for (const listener of this.resetListeners) listener();
  }
}
