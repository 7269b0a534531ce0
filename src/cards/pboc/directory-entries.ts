import type { BerTlv } from '../../core/ber-tlv.js';
import { toHex } from '../../core/hex.js';
import type { PbocSpec } from '../../specs/pboc-spec-schema.js';
import { CardError } from '../card-error.js';
import { decodeText } from './decode-values.js';
import type { DirectoryEntry } from './pboc-model.js';
import { child } from './parse-tlvs.js';

/** One `61` application template (EMV Book 1 §12.2.3 table 47): 4F AID, 50 label, 87 priority. */
export function parseDirectoryEntry(t: BerTlv): DirectoryEntry {
  const aid = child(t, 0x4f);
  if (!aid || aid.value.length < 5 || aid.value.length > 16) throw new CardError('BAD_CARD_DATA', 'directory entry: AID (4F) missing or not 5-16 bytes');
  const label = child(t, 0x50);
  const prio = child(t, 0x87);
  const p = prio && prio.value.length === 1 ? prio.value[0]! & 0x0f : 0;
  return { aid: toHex(aid.value), label: label ? decodeText(label.value, 'directory label (50)') : null, priority: p === 0 ? null : p };
}

/** Entries of a PSE directory record (`70` holding `61` templates). */
export function parseDirectoryRecord(record: BerTlv): DirectoryEntry[] {
  return record.children.filter((c) => c.tag === 0x61).map(parseDirectoryEntry);
}

/**
 * The UnionPay applications to try, best first (EMV Book 1 §12.4): directory entries whose AID
 * begins with one of the spec's AIDs, ordered by the card's priority indicator (1 highest; none
 * last), ties by the spec's own priority. Without usable entries: the spec's AID list.
 */
export function chooseApplications(entries: readonly DirectoryEntry[], spec: PbocSpec): { readonly aid: string; readonly fromDirectory: boolean }[] {
  const specRank = (aid: string) => spec.applications.find((a) => aid.startsWith(a.aid))?.priority;
  const usable = entries.filter((e) => specRank(e.aid) !== undefined);
  if (usable.length === 0) return [...spec.applications].sort((a, b) => a.priority - b.priority).map((a) => ({ aid: a.aid, fromDirectory: false }));
  const seen = new Set<string>();
  return [...usable]
    .sort((a, b) => (a.priority ?? 16) - (b.priority ?? 16) || specRank(a.aid)! - specRank(b.aid)!)
    .filter((e) => !seen.has(e.aid) && (seen.add(e.aid), true))
    .map((e) => ({ aid: e.aid, fromDirectory: true }));
}
