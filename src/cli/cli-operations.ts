import type { Command } from 'commander';
import { composeOperations, type Composition } from '../compose/compose-operations.js';
import { hidWanted, pcscWanted, simulatedProfilesOf, simulatedPullAtApdu } from '../compose/reader-sources.js';
import { isSscardError, SscardError } from '../core/sscard-error.js';
import { isStatusInputError, refusalRule } from '../service/input-errors.js';
import type { CardOperations } from '../service/operations/card-operations.js';
import type { CardTarget } from '../service/operations/operation-deps.js';
import { err, type TargetOptions } from './cli-context.js';
import { CliError } from './cli-error.js';
import { interfaceRequest } from './interface-option.js';

/** Key-source flags of the counter operations and the authenticated 3.0 read (docs/pin.md). */
export interface KeyOptions {
  keys?: string;
  keysFile?: string;
  allowTestKeys?: boolean;
  psamReader?: string;
}

export function addKeyOptions(cmd: Command, required: boolean): Command {
  return cmd
    .option('--keys <source>', `key source: soft | psam | hsm${required ? ' (default soft)' : ' (none by default)'}`)
    .option('--keys-file <path>', 'soft: master-key file (default: the public TEST keys, simulated readers only)')
    .option('--allow-test-keys', 'soft: accept the public TEST keys on a reader that is not the built-in simulator (vpcd, test benches)')
    .option('--psam-reader <name>', 'psam: the reader holding the PSAM (name or id; "sim" = a simulated PSAM, with --sim only)');
}

export interface CliOperationOptions extends TargetOptions, KeyOptions {
  site?: string;
  operator?: string;
}

/**
 * The CLI face's use of the composition root: builds the card operations from the flags (readers
 * of `--sim/--profile` and PC/SC, keys of `--keys…`, the status registry with `--site/--operator`),
 * runs `fn`, closes everything. Registry input errors become usage errors (exit 2) and registry
 * refusals name their rule.
 */
export async function withOperations<T>(
  opts: CliOperationOptions,
  setup: {
    /** `required`: a bad status config fails the command before the card is touched. */
    status: 'required' | 'none';
    /** false: registry-only commands (no PC/SC, no simulated reader). */
    readers?: boolean;
    /** Called before the readers start (to see their first events). */
    beforeStart?: (composition: Composition) => void;
  },
  fn: (ops: CardOperations, composition: Composition) => Promise<T>,
): Promise<T> {
  const { status, beforeStart } = setup;
  const readers = setup.readers !== false;
  const traffic = opts.traffic ? (line: string) => err(line) : undefined;
  let composition: Composition;
  try {
    composition = composeOperations({
      readers: readers ? { pcsc: pcscWanted(), hid: hidWanted(), simulatedProfiles: simulatedProfilesOf(opts), simulatedPullAtApdu: simulatedPullAtApdu() } : { pcsc: false },
      keys: { source: opts.keys, keysFile: opts.keysFile, allowTestKeys: opts.allowTestKeys, psamReader: opts.psamReader },
      status,
      site: opts.site,
      operator: opts.operator,
      service: { traffic },
      notice: (line) => err(line),
    });
  } catch (e) {
    throw asCliError(e);
  }
  try {
    beforeStart?.(composition);
    await composition.start();
    return await fn(composition.operations, composition);
  } catch (e) {
    throw asCliError(e);
  } finally {
    await composition.close(0);
  }
}

/** The card a command names: `--reader`, waiting up to `--wait` for a card ("insert a card…"). */
export function targetOf(opts: TargetOptions): CardTarget {
  const wait = waitSeconds(opts);
  return {
    reader: opts.reader,
    waitForCardMs: Math.max(wait * 1000, 1),
    onWaiting: (what) => err(`${what} (waiting up to ${wait} s)`),
    cardInterface: interfaceRequest(opts),
  };
}

/** Parses `--wait SECONDS` strictly. */
export function waitSeconds(opts: Pick<TargetOptions, 'wait'>): number {
  const raw = opts.wait ?? '30';
  const n = Number(raw);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(raw) || !Number.isFinite(n) || n > 3600) {
    throw new CliError('BAD_ARGUMENT', `--wait must be a number of seconds from 0 to 3600, got "${raw}"`);
  }
  return n;
}

function asCliError(e: unknown): unknown {
  if (isStatusInputError(e)) return new CliError('BAD_ARGUMENT', `${(e as SscardError).code}: ${(e as SscardError).message}`, { cause: e });
  const rule = refusalRule(e);
  if (rule && isSscardError(e) && !e.message.includes('Rule:')) e.message = `${e.message}. Rule: ${rule}`;
  return e;
}
