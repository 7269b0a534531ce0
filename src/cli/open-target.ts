import { createSimulatedCard } from '../../simulators/create-card.js';
import { defaultProfileId } from '../../simulators/load-profile.js';
import { apduStack } from '../apdu/apdu-stack.js';
import type { Transmitter } from '../apdu/transmitter.js';
import type { CardTransport } from '../transport/card-transport.js';
import { InProcessTransport, simulatedReader } from '../transport/in-process/in-process-transport.js';
import { err, type TargetOptions } from './cli-context.js';
import { CliError } from './cli-error.js';
import { openPcscTarget } from './open-pcsc-target.js';

export interface OpenTarget {
  readonly transport: CardTransport;
  /** The transport wrapped in the standard processor stack. */
  readonly stack: Transmitter;
}

/**
 * Composition root for CLI card commands: chooses the concrete transport. The simulated card is
 * used only when `--sim` is given (issue #3: never a silent stand-in for a real reader).
 */
export async function openTarget(opts: TargetOptions): Promise<OpenTarget> {
  if (opts.sim !== undefined && opts.sim !== false && opts.reader !== undefined) {
    throw new CliError('BAD_ARGUMENT', '--sim and --reader exclude each other');
  }
  let transport: CardTransport;
  if (opts.sim !== undefined && opts.sim !== false) {
    const profileId = opts.sim === true ? defaultProfileId : opts.sim;
    transport = new InProcessTransport(createSimulatedCard(profileId), simulatedReader(profileId));
  } else {
    transport = await openPcscTarget(opts);
  }
  const traffic = opts.traffic ? (line: string) => err(line) : undefined;
  return { transport, stack: apduStack(transport, { traffic }) };
}

/** Parses `--wait SECONDS` strictly. */
export function waitSeconds(opts: TargetOptions): number {
  const raw = opts.wait ?? '30';
  const n = Number(raw);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(raw) || !Number.isFinite(n) || n > 3600) {
    throw new CliError('BAD_ARGUMENT', `--wait must be a number of seconds from 0 to 3600, got "${raw}"`);
  }
  return n;
}
