import { createSimulatedPsam } from '../../simulators/create-psam.js';
import { apduStack } from '../apdu/apdu-stack.js';
import { KeyError } from '../keys/key-error.js';
import { PsamKeyService } from '../keys/psam/psam-key-service.js';
import { MasterKeySet } from '../keys/soft/master-key-set.js';
import { SoftKeyService } from '../keys/soft/soft-key-service.js';
import type { KeyLease, KeyProvider } from '../service/key-provider.js';
import type { ReaderRegistry } from '../service/reader-registry.js';
import type { CardTransport } from '../transport/card-transport.js';
import { InProcessTransport } from '../transport/in-process/in-process-transport.js';
import type { ReaderInfo } from '../transport/reader-info.js';
import { ComposeError } from './compose-error.js';

/** Key source of a process (CLI flags `--keys …`, the daemon's `counterKeys`; docs/keys.md). */
export interface KeySourceConfig {
  /** soft | psam | hsm; undefined = not chosen (soft when an operation needs keys). */
  readonly source?: string | undefined;
  /** soft: master-key file (default: the public TEST keys, simulated readers only). */
  readonly keysFile?: string | undefined;
  /** soft: accept the TEST keys on readers that are not the built-in simulator (vpcd benches). */
  readonly allowTestKeys?: boolean | undefined;
  /** psam: the reader slot holding the PSAM; `sim` = a simulated PSAM (simulated cards only). */
  readonly psamReader?: string | undefined;
  /**
   * Use the keys where they are optional too (the authenticated 3.0 read, the birth date of the
   * PIN policy). Default: when a source was chosen. The daemon keeps its keys for the counter.
   */
  readonly optionalUse?: boolean | undefined;
  /**
   * Use the keys for the national basic-information read too (RKSSSE on 3.0 cards, INTERNAL
   * AUTHENTICATE), whatever optionalUse says. Default: optionalUse. The daemon sets it
   * (docs/national-interface.md "Keys").
   */
  readonly nationalRead?: boolean | undefined;
}

/**
 * The one place that picks a concrete key service. Soft keys are loaded once (the first time an
 * operation needs them; `reload()` forgets them, e.g. on SIGHUP); the test-key rule is applied
 * per reader (never on a card that claims to be real unless allowed). A PSAM is opened per
 * operation on its own reader slot and closed afterwards.
 */
export function createKeyProvider(config: KeySourceConfig, readers: ReaderRegistry, notice?: (line: string) => void, traffic?: (line: string) => void): KeyProvider {
  const source = config.source ?? 'soft';
  if (source !== 'soft' && source !== 'psam' && source !== 'hsm') throw new ComposeError('BAD_ARGUMENT', `--keys must be soft, psam or hsm, got "${source}"`);
  if (source === 'hsm') {
    throw new ComposeError('BAD_ARGUMENT', '--keys hsm: the HSM two-step read is an API (beginHsmRead, docs/keys.md); the CLI and the daemon offer soft and psam');
  }
  if (source === 'psam' && !config.psamReader) throw new ComposeError('BAD_ARGUMENT', '--keys psam needs --psam-reader <name> (the reader slot holding the PSAM)');
  let set: MasterKeySet | undefined;
  const chosen = config.optionalUse ?? config.source !== undefined;

  const softLease = (reader: ReaderInfo): KeyLease => {
    set ??= config.keysFile ? MasterKeySet.fromFile(config.keysFile) : MasterKeySet.testKeys();
    const keys = new SoftKeyService(set, { allowTestKeys: reader.simulated || config.allowTestKeys === true });
    if (keys.isTestKeySet) notice?.('using the public TEST keys of the reference profile (simulated / test cards only)');
    return { keys, release: async () => undefined };
  };

  const psamLease = async (reader: ReaderInfo, signal?: AbortSignal): Promise<KeyLease> => {
    let transport: CardTransport;
    if (config.psamReader === 'sim') {
      if (!reader.simulated) throw new ComposeError('BAD_ARGUMENT', '--psam-reader sim is only for the built-in simulated card (--sim)');
      transport = new InProcessTransport(createSimulatedPsam(), { id: 'sim:psam', name: 'Simulated PSAM', kind: 'simulated', simulated: true });
    } else {
      try {
        transport = await readers.connect(config.psamReader!, signal);
      } catch (e) {
        throw new KeyError('PSAM_NOT_FOUND', `the PSAM reader "${config.psamReader}" cannot be opened (${(e as { code?: string }).code ?? 'error'})`, {}, { cause: e });
      }
    }
    try {
      const keys = await PsamKeyService.open(apduStack(transport, { traffic }));
      return { keys, release: () => transport.close() };
    } catch (e) {
      await transport.close();
      throw e;
    }
  };

  return {
    chosen,
    nationalRead: config.nationalRead ?? chosen,
    lease: async (reader, signal) => (source === 'psam' ? psamLease(reader, signal) : softLease(reader)),
    reload: () => {
      set = undefined;
    },
  };
}
