import { encodeBerTlv } from '../src/core/ber-tlv.js';
import { concatBytes, fromHex } from '../src/core/hex.js';
import type { SsseSpec } from '../src/specs/spec-schemas.js';
import { encodeProfile } from './encode-profile.js';
import { DedicatedFile, FileSystem, MF_FID, RecordFile, TransparentFile } from './file-system.js';
import type { CardProfile } from './profile-schema.js';
import { SimulatorError } from './sim-error.js';

/** FCI template (ISO/IEC 7816-4 §5.3.3) and the two FCI values docs/reference/card-spec.md §1 shows but the table does not hold. */
const TAG_FCI = 0x6f;
const TAG_ISSUER_DISCRETIONARY = 0x9f0c; // primitive; its value is `86 01 <alg>` (docs/reference/card-spec.md §1)
const DIRECTORY_SFI = 0x1e; // `88 01 1E` (docs/reference/card-spec.md §1)

/**
 * SSSE's FCI (docs/reference/card-spec.md §1): `6F 1C 84 0F <df name> A5 09 88 01 1E 9F 0C 03 86 01 <alg>`; the tags
 * 84, A5, 88, 86 come from `apdu-specs/ssse.json`.
 */
export function ssseFci(ssse: SsseSpec, algorithm: string): Uint8Array {
  const t = ssse.application.fciTags;
  const tag = (hex: string) => parseInt(hex, 16);
  const algorithmTlv = encodeBerTlv(tag(t.algorithm), fromHex(algorithm));
  const proprietary = concatBytes(
    encodeBerTlv(tag(t.directorySfi), Uint8Array.of(DIRECTORY_SFI)),
    encodeBerTlv(TAG_ISSUER_DISCRETIONARY, algorithmTlv),
  );
  return encodeBerTlv(TAG_FCI, concatBytes(encodeBerTlv(tag(t.dfName), fromHex(ssse.application.dfName)), encodeBerTlv(tag(t.proprietary), proprietary)));
}

/**
 * The card's file tree from a profile and the spec table (docs/reference/card-spec.md §1): MF 3F00 > SSSE (by DF
 * name, with FCI) > the sub-application DFs (AID + fid, empty) and the EFs with their SFIs,
 * records or bodies, and read access for the card's generation (`readByVersion`).
 */
export function buildSsseFileSystem(profile: CardProfile, ssse: SsseSpec, source = `profile ${profile.id}`): FileSystem {
  const encoded = encodeProfile(profile, ssse);
  const first = encoded.issues[0];
  if (first) {
    const entry = first.path.join('.');
    throw new SimulatorError('PROFILE_INVALID', `${source}: ${entry}: ${first.message}`, source, entry);
  }
  const mf = new DedicatedFile(MF_FID, undefined, 'MF');
  const app = mf.add(new DedicatedFile(undefined, fromHex(ssse.application.dfName), ssse.application.name, ssseFci(ssse, profile.algorithm)));
  for (const sub of ssse.subApplications) app.add(new DedicatedFile(parseInt(sub.fid, 16), fromHex(sub.aid), sub.label));
  for (const f of ssse.files) {
    const access = { read: f.readByVersion[profile.generation] ?? f.read, write: f.write };
    const fid = parseInt(f.fid, 16);
    if (f.structure === 'records') app.add(new RecordFile(fid, f.sfi, f.label, access, encoded.records.get(f.id) ?? []));
    else app.add(new TransparentFile(fid, f.sfi, f.label, access, encoded.bodies.get(f.id) ?? new Uint8Array(f.size ?? 0)));
  }
  return new FileSystem(mf);
}
