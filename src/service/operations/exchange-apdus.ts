import { decodeResponse } from '../../apdu/response-apdu.js';
import { maskCommandHex } from '../../apdu/mask-secrets.js';
import { statusWords } from '../../apdu/status-words.js';
import { toHex } from '../../core/hex.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import { onCard } from './on-card.js';
import type { CardTarget, OperationDeps } from './operation-deps.js';

export interface ApduExchange {
  /** The command, hex, with PIN data masked. */
  readonly command: string;
  readonly response: string;
  readonly data: string;
  readonly sw: string;
  /** The status word's code and meaning from apdu-specs/status-words.json. */
  readonly status: string;
  readonly meaning: string;
}

/**
 * `apdu`: raw commands (already checked by the caller) to the card, one exclusive operation;
 * `chain`: through the processor stack (61xx / 6Cxx handled), else exactly as given.
 */
export async function exchangeApdus(
  deps: OperationDeps,
  input: { readonly target: CardTarget; readonly commands: readonly Uint8Array[]; readonly chain: boolean },
): Promise<{ reader: ReaderInfo; exchanges: ApduExchange[] }> {
  return onCard(deps, 'apdu', input.target, async (c) => {
    const exchanges: ApduExchange[] = [];
    for (const command of input.commands) {
      const raw = await (input.chain ? c.op.stack : c.op.transport).transmit(command);
      const r = decodeResponse(raw);
      const info = statusWords().lookup(r.sw);
      exchanges.push({ command: maskCommandHex(command), response: toHex(raw), data: toHex(r.data), sw: toHex(raw.subarray(-2)), status: info.code, meaning: info.meaning });
    }
    return { reader: c.reader, exchanges };
  });
}
