import type { Command } from 'commander';
import { createSimulatedPsam } from '../../simulators/create-psam.js';
import { apduStack } from '../apdu/apdu-stack.js';
import type { KeyService } from '../keys/key-service.js';
import { PsamKeyService } from '../keys/psam/psam-key-service.js';
import { MasterKeySet } from '../keys/soft/master-key-set.js';
import { SoftKeyService } from '../keys/soft/soft-key-service.js';
import type { ReaderRegistry } from '../service/reader-registry.js';
import type { CardTransport } from '../transport/card-transport.js';
import { InProcessTransport } from '../transport/in-process/in-process-transport.js';
import { err } from './cli-context.js';
import { CliError } from './cli-error.js';

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

/** A key service and what to close when done. */
export interface OpenKeys {
  readonly keys: KeyService;
  close(): Promise<void>;
}

/**
 * Builds the key service the flags ask for. `undefined` when `--keys` is absent and not required.
 * Test keys: allowed on the built-in simulated reader; elsewhere only with --allow-test-keys
 * (security-profile.md: never on a card that claims to be real).
 */
export async function openKeys(
  opts: KeyOptions,
  target: { transport: CardTransport; registry: ReaderRegistry; traffic?: ((line: string) => void) | undefined },
  required: boolean,
): Promise<OpenKeys | undefined> {
  const source = opts.keys ?? (required ? 'soft' : undefined);
  if (source === undefined) return undefined;
  if (source === 'soft') {
    const allowTestKeys = target.transport.reader.simulated || opts.allowTestKeys === true;
    const set = opts.keysFile ? MasterKeySet.fromFile(opts.keysFile) : MasterKeySet.testKeys();
    const keys = new SoftKeyService(set, { allowTestKeys });
    if (keys.isTestKeySet) err('using the public TEST keys of the reference profile (simulated / test cards only)');
    return { keys, close: async () => undefined };
  }
  if (source === 'psam') {
    if (!opts.psamReader) throw new CliError('BAD_ARGUMENT', '--keys psam needs --psam-reader <name> (the reader slot holding the PSAM)');
    let psamTransport: CardTransport;
    if (opts.psamReader === 'sim') {
      if (!target.transport.reader.simulated) throw new CliError('BAD_ARGUMENT', '--psam-reader sim is only for the built-in simulated card (--sim)');
      psamTransport = new InProcessTransport(createSimulatedPsam(), { id: 'sim:psam', name: 'Simulated PSAM', kind: 'simulated', simulated: true });
    } else {
      psamTransport = await target.registry.connect(opts.psamReader);
    }
    try {
      const keys = await PsamKeyService.open(apduStack(psamTransport, { traffic: target.traffic }));
      return { keys, close: () => psamTransport.close() };
    } catch (e) {
      await psamTransport.close();
      throw e;
    }
  }
  if (source === 'hsm') {
    throw new CliError(
      'BAD_ARGUMENT',
      '--keys hsm: the HSM two-step read is an API (beginHsmRead, docs/pin.md "HSM two-step"); the CLI offers soft and psam',
    );
  }
  throw new CliError('BAD_ARGUMENT', `--keys must be soft, psam or hsm, got "${source}"`);
}
