import { parseSimpleTlvs, type SimpleTlv } from '../../core/simple-tlv.js';
import { CodecError } from '../../core/codec-error.js';
import type { ApduChannel } from '../../apdu/apdu-channel.js';
import { constantCommand, type CommandApdu } from '../../apdu/command-apdu.js';
import { statusWords } from '../../apdu/status-words.js';
import { swHex } from '../../apdu/response-apdu.js';
import type { FileSpec, RecordSpec } from '../../specs/spec-schemas.js';
import { CardError } from '../card-error.js';
import { buildReadRecord } from './commands/read-record.js';

export type RecordFileRead =
  | { readonly status: 'read'; readonly tlvs: SimpleTlv[]; readonly path: 'to-end' | 'per-record' }
  /** 6982: the file needs an access right we do not hold (3.0 EF06 before RKSSSE). */
  | { readonly status: 'denied'; readonly sw: string };

/** What READ RECORD's status word means (apdu-specs/status-words.json, command READ RECORD). */
const outcomeOf = (sw: number): string | undefined => statusWords().outcome('READ RECORD', sw)?.outcome;

/**
 * Reads a record EF by SFI with the fewest APDUs (docs/reference/card-spec.md §2):
 * 1. fast path: READ RECORD P1=01, mode 101 (records 1 to last), Le = the exact total the
 *    spec table gives for the expected records (a 6Cxx card would otherwise cost a retry);
 * 2. fallback when the card refuses read-to-end: one READ RECORD per record number, items
 *    assigned by their tag (record numbering differs between generations), missing records
 *    (6A83) skipped, stopping as soon as every expected tag is in.
 * 61xx and 6Cxx are handled below us by the processors.
 */
export async function readRecordFile(channel: ApduChannel, file: FileSpec, expected: readonly RecordSpec[]): Promise<RecordFileRead> {
  const fast = await channel.send(readToEnd(file, expected));
  const first = outcomeOf(fast.sw);
  if (first === 'OK') return { status: 'read', tlvs: parse(file, fast.data), path: 'to-end' };
  if (first === 'DENIED') return { status: 'denied', sw: swHex(fast.sw) };
  if (first === 'FILE_NOT_FOUND') throw statusWords().errorFor(fast.sw, `READ RECORD ${file.id}`);

  const wanted = new Set(expected.map((r) => parseInt(r.tag, 16)));
  const tlvs: SimpleTlv[] = [];
  const maxRecord = Math.max(...file.records.map((r) => r.number));
  for (let n = 1; n <= maxRecord && wanted.size > 0; n++) {
    const guess = expected[n - 1] ?? file.records[n - 1];
    const r = await channel.send(buildReadRecord({ sfi: file.sfi, p1: n, mode: 'byNumber', ne: guess ? 2 + guess.length : 256 }));
    const outcome = outcomeOf(r.sw);
    if (outcome === 'RECORD_NOT_FOUND') continue;
    if (outcome === 'DENIED') return { status: 'denied', sw: swHex(r.sw) };
    if (outcome !== 'OK') throw statusWords().errorFor(r.sw, `READ RECORD ${file.id} #${n}`);
    for (const tlv of parse(file, r.data)) {
      wanted.delete(tlv.tag);
      tlvs.push(tlv);
    }
  }
  return { status: 'read', tlvs, path: 'per-record' };
}

/** The fast path's READ RECORD per file and expected records (spec-table arrays: built once). */
const readsToEnd = new WeakMap<readonly RecordSpec[], { readonly file: FileSpec; readonly command: CommandApdu }>();

function readToEnd(file: FileSpec, expected: readonly RecordSpec[]): CommandApdu {
  const known = readsToEnd.get(expected);
  if (known?.file === file) return known.command;
  const total = expected.reduce((n, r) => n + 2 + r.length, 0);
  const command = constantCommand(buildReadRecord({ sfi: file.sfi, p1: 1, mode: 'toEnd', ne: Math.min(total, 256) }));
  readsToEnd.set(expected, { file, command });
  return command;
}

function parse(file: FileSpec, data: Uint8Array): SimpleTlv[] {
  try {
    return parseSimpleTlvs(data);
  } catch (e) {
    if (e instanceof CodecError) throw new CardError('BAD_CARD_DATA', `${file.id} records cannot be decoded: ${e.message}`, undefined, { cause: e });
    throw e;
  }
}
