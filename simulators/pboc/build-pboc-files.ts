import { fromHex } from '../../src/core/hex.js';
import type { PbocSpec } from '../../src/specs/pboc-spec-schema.js';
import { DedicatedFile, RecordFile, type FileSystem } from '../file-system.js';
import { applicationFci, applicationRecords, directoryEntry, directoryFci, LOG_SFI, logRecord } from './encode-pboc.js';
import type { PbocProfile } from './pboc-profile-schema.js';
import { encodeBerTlv } from '../../src/core/ber-tlv.js';
import { concatBytes } from '../../src/core/hex.js';

/** Access condition of records that need GPO first: the right GPO grants (security state). */
export const GPO_RIGHT = 'GPO';
const FREE = { read: 'free', write: 'never' } as const;

/** The DFs of the financial application, to tell them apart from SSSE (firewall filter). */
export interface PbocFiles {
  readonly dfs: ReadonlySet<DedicatedFile>;
  /** ADF -> its AID (hex). */
  readonly adfs: ReadonlyMap<DedicatedFile, string>;
}

/**
 * Adds the financial application to the chip's tree (docs/reference/card-spec.md §1, JR/T 0025): MF >
 * `1PAY.SYS.DDF01` (the PSE, with its directory EF at SFI 1) > one ADF per application, each
 * with the issuer's record EFs (SFI 1-3) and the log EF (SFI 11); `2PAY.SYS.DDF01` (the PPSE,
 * FCI only) beside it. A profile without a PSE hangs the ADFs directly under the MF.
 */
export function buildPbocFiles(fs: FileSystem, p: PbocProfile, spec: PbocSpec): PbocFiles {
  const dfs = new Set<DedicatedFile>();
  const adfs = new Map<DedicatedFile, string>();
  const dirName = (id: 'pse' | 'ppse') => spec.directories.find((d) => d.id === id)!.name;
  let parent = fs.mf;
  if (p.directories.includes('pse')) {
    const name = dirName('pse');
    const pse = fs.mf.add(new DedicatedFile(undefined, Buffer.from(name, 'ascii'), 'PSE', directoryFci(name, p, false)));
    const record = encodeBerTlv(0x70, concatBytes(...p.applications.map((a) => directoryEntry(a))));
    pse.add(new RecordFile(0xef01, 1, 'PSE directory', FREE, [record]));
    dfs.add(pse);
    parent = pse;
  }
  if (p.directories.includes('ppse')) {
    const name = dirName('ppse');
    dfs.add(fs.mf.add(new DedicatedFile(undefined, Buffer.from(name, 'ascii'), 'PPSE', directoryFci(name, p, true))));
  }
  const records = applicationRecords(p);
  const access = p.recordsNeedGpo ? { read: GPO_RIGHT, write: 'never' } : FREE;
  for (const a of p.applications) {
    const adf = parent.add(new DedicatedFile(undefined, fromHex(a.aid), a.label, applicationFci(a, p)));
    for (const [sfi, recs] of records) adf.add(new RecordFile(0xef00 + sfi, sfi, `records SFI ${sfi}`, access, recs));
    if (p.logFormat) {
      const log = (p.log ?? []).slice(0, p.logCapacity ?? 10).map((e) => logRecord(e, p.logFormat!, spec));
      adf.add(new RecordFile(0xef00 + LOG_SFI, LOG_SFI, 'transaction log', FREE, log));
    }
    dfs.add(adf);
    adfs.set(adf, a.aid);
  }
  return { dfs, adfs };
}
