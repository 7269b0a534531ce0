import { createSimulatedCard } from '../../simulators/create-card.js';
import { defaultProfileId } from '../../simulators/load-profile.js';
import { apduStack } from '../apdu/apdu-stack.js';
import type { Transmitter } from '../apdu/transmitter.js';
import { ReaderRegistry } from '../service/reader-registry.js';
import { INTERFACE_REQUEST_OF_ITYPE, type InterfaceRequest } from '../transport/card-interface.js';
import type { CardTransport } from '../transport/card-transport.js';
import { HidReaderSource } from '../transport/hid/hid-reader-source.js';
import { InProcessReaderSource } from '../transport/in-process/in-process-reader-source.js';
import { PcscReaderSource } from '../transport/pcsc/pcsc-reader-source.js';
import type { ReaderSource } from '../transport/reader-source.js';
import { err, type TargetOptions } from './cli-context.js';
import { CliError } from './cli-error.js';

export interface OpenTarget {
  readonly transport: CardTransport;
  /** The transport wrapped in the standard processor stack. */
  readonly stack: Transmitter;
  /** The registry the card was found in (to open a second reader, e.g. a PSAM slot). */
  readonly registry: ReaderRegistry;
}

/**
 * Composition root for CLI card commands: the PC/SC readers, plus the built-in simulated reader
 * only when `--sim` is given (issue #3: never a silent stand-in for a real reader).
 */
export function buildRegistry(opts: Pick<TargetOptions, 'sim' | 'profile'>): ReaderRegistry {
  // SSCARD_NO_PCSC=1: no PC/SC at all (machines without pcscd; in-process tests that must not
  // see cards that other tests put into the vpcd readers).
  const sources: ReaderSource[] = process.env.SSCARD_NO_PCSC === '1' ? [] : [new PcscReaderSource()];
  // USB-HID readers (docs/readers.md); SSCARD_NO_HID=1 leaves them out.
  if (process.env.SSCARD_NO_HID !== '1') sources.push(new HidReaderSource());
  if (opts.sim === true || opts.profile !== undefined) {
    const profileId = opts.profile ?? defaultProfileId;
    sources.push(new InProcessReaderSource([{ profileId, card: createSimulatedCard(profileId) }]));
  }
  return new ReaderRegistry(sources);
}

/**
 * Runs `fn` with a connection to the chosen card: `--reader`, else the one reader holding a card
 * (with `--sim` the simulated reader counts as one); none -> "insert card…" and wait up to
 * `--wait`; several -> AMBIGUOUS_READER naming them. Everything is closed afterwards.
 */
export async function withTarget<T>(opts: TargetOptions, fn: (target: OpenTarget) => Promise<T>): Promise<T> {
  const wait = waitSeconds(opts);
  const registry = buildRegistry(opts);
  try {
    await registry.start();
    const state = await registry.choose({
      reader: opts.reader,
      cardInterface: interfaceRequest(opts),
      timeoutMs: wait * 1000,
      onWaiting: (what) => err(`${what} (waiting up to ${wait} s)`),
    });
    const transport = await registry.connect(state.reader.id);
    try {
      const traffic = opts.traffic ? (line: string) => err(line) : undefined;
      return await fn({ transport, stack: apduStack(transport, { traffic }), registry });
    } finally {
      await transport.close();
    }
  } finally {
    await registry.stop();
  }
}

/** Parses `--interface` (the national interface's iType as words, or 1-4). */
export function interfaceRequest(opts: Pick<TargetOptions, 'interface'>): InterfaceRequest | undefined {
  const raw = opts.interface;
  if (raw === undefined) return undefined;
  const request = /^[1-4]$/.test(raw) ? INTERFACE_REQUEST_OF_ITYPE[Number(raw)] : (INTERFACES as readonly string[]).includes(raw) ? (raw as InterfaceRequest) : undefined;
  if (!request) throw new CliError('BAD_ARGUMENT', `--interface must be one of ${INTERFACES.join(', ')} (or iType 1-4), got "${raw}"`);
  return request;
}

const INTERFACES = ['contact', 'contactless', 'contact-first', 'contactless-first'] as const;

/** Parses `--wait SECONDS` strictly. */
export function waitSeconds(opts: Pick<TargetOptions, 'wait'>): number {
  const raw = opts.wait ?? '30';
  const n = Number(raw);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(raw) || !Number.isFinite(n) || n > 3600) {
    throw new CliError('BAD_ARGUMENT', `--wait must be a number of seconds from 0 to 3600, got "${raw}"`);
  }
  return n;
}
