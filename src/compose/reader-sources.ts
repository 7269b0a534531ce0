import { createSimulatedCard } from '../../simulators/create-card.js';
import { defaultProfileId } from '../../simulators/load-profile.js';
import { HidReaderSource } from '../transport/hid/hid-reader-source.js';
import { InProcessReaderSource } from '../transport/in-process/in-process-reader-source.js';
import { PcscReaderSource } from '../transport/pcsc/pcsc-reader-source.js';
import type { ReaderSource } from '../transport/reader-source.js';
import { ComposeError } from './compose-error.js';

export interface ReaderSourceConfig {
  /** PC/SC readers (off with SSCARD_NO_PCSC=1: machines without pcscd, in-process tests). */
  readonly pcsc: boolean;
  /** USB-HID readers (docs/readers.md); off with SSCARD_NO_HID=1. */
  readonly hid?: boolean | undefined;
  /** Built-in SIMULATED readers, one per profile; none unless asked for (never a silent stand-in). */
  readonly simulatedProfiles?: readonly string[] | undefined;
  /** Fault injection for the simulated readers: the card is pulled at this APDU index of each connection. */
  readonly simulatedPullAtApdu?: number | undefined;
  /** Further sources (tests: in-process readers with insert/remove hooks). */
  readonly extra?: readonly ReaderSource[] | undefined;
}

export interface BuiltSources {
  readonly sources: ReaderSource[];
  readonly pcsc: PcscReaderSource | undefined;
  readonly simulated: InProcessReaderSource | undefined;
  /** False while the PC/SC service is down (or not used). */
  pcscUp(): boolean;
}

/** The one place that picks concrete reader sources. */
export function buildReaderSources(config: ReaderSourceConfig): BuiltSources {
  const pcsc = config.pcsc ? new PcscReaderSource() : undefined;
  const hid = config.hid ? new HidReaderSource() : undefined;
  const profiles = config.simulatedProfiles;
  const simulated =
    profiles && profiles.length > 0 ? new InProcessReaderSource(profiles.map((profileId) => ({ profileId, card: createSimulatedCard(profileId), pullAtApdu: config.simulatedPullAtApdu }))) : undefined;
  return {
    sources: [...(pcsc ? [pcsc] : []), ...(hid ? [hid] : []), ...(simulated ? [simulated] : []), ...(config.extra ?? [])],
    pcsc,
    simulated,
    pcscUp: () => (pcsc ? pcsc.manager.state === 'up' || pcsc.manager.state === 'settling' : false),
  };
}

/** `--sim` / `--profile ID`: the simulated profiles a CLI command asks for. */
export function simulatedProfilesOf(o: { sim?: boolean | undefined; profile?: string | undefined }): string[] {
  return o.sim === true || o.profile !== undefined ? [o.profile ?? defaultProfileId] : [];
}

/** SSCARD_NO_HID=1 turns the USB-HID readers off for every face. */
export function hidWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SSCARD_NO_HID !== '1';
}

/**
 * `SSCARD_SIM_PULL_AT_APDU=N` (tests, simulated readers only; docs/simulator.md): the simulated
 * card is pulled when the APDU with 0-based index N of a connection arrives. Unset: never.
 */
export function simulatedPullAtApdu(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env.SSCARD_SIM_PULL_AT_APDU;
  if (v === undefined || v === '') return undefined;
  if (!/^[0-9]{1,4}$/.test(v)) throw new ComposeError('BAD_ARGUMENT', 'SSCARD_SIM_PULL_AT_APDU must be an APDU index 0-9999');
  return Number(v);
}

/** SSCARD_NO_PCSC=1 turns PC/SC off for every face. */
export function pcscWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SSCARD_NO_PCSC !== '1';
}

export { loadProfile as checkProfile } from '../../simulators/load-profile.js';
export { defaultProfileId };
