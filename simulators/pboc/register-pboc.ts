import type { PbocSpec } from '../../src/specs/pboc-spec-schema.js';
import type { CardOs } from '../card-os.js';
import { buildPbocFiles } from './build-pboc-files.js';
import { PbocChipState } from './pboc-chip-state.js';
import { CLA_EMV, getData, getProcessingOptions, pbocFirewall, PBOC_INS } from './pboc-instructions.js';
import type { PbocProfile } from './pboc-profile-schema.js';

/**
 * Gives a simulated chip its financial personality (docs/simulator.md): the PSE / PPSE / ADF
 * files, GPO and GET DATA, and the firewall filter. Returns the persistent state (ATC).
 */
export function registerPboc(card: CardOs, p: PbocProfile, spec: PbocSpec): PbocChipState {
  const files = buildPbocFiles(card.fs, p, spec);
  const state = new PbocChipState(p.applications.map((a) => a.aid), p.atc);
  card
    .addFilter(pbocFirewall(files))
    .register(PBOC_INS.GET_PROCESSING_OPTIONS, getProcessingOptions(p, files, state), { classes: [CLA_EMV], name: 'GET PROCESSING OPTIONS' })
    .register(PBOC_INS.GET_DATA, getData(p, files, state), { classes: [CLA_EMV], name: 'GET DATA' });
  return state;
}
