import type { CardTransport } from '../transport/card-transport.js';
import type { TargetOptions } from './cli-context.js';
import { CliError } from './cli-error.js';

/** PC/SC target: filled in by the PC/SC issue. */
export async function openPcscTarget(_opts: TargetOptions): Promise<CardTransport> {
  throw new CliError('NO_TARGET', 'no card reader available; use --sim to read the built-in simulated card');
}
