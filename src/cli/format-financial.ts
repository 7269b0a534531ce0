import type { FinancialRead } from '../service/domain-types.js';
import { columnTable, keyValueTable } from './text-table.js';
import { wireFinancial } from '../daemon/wire-financial-map.js';
import type { WireFinancialRead } from '../daemon/protocol/wire-financial.js';

/** How many log records the text view shows (the JSON has them all). */
const SHOWN_TRANSACTIONS = 10;

/**
 * The `financial` object of `sscard read --financial|--all --json`: exactly the daemon's wire
 * object (docs/financial.md field names), so the two faces cannot drift.
 */
export function financialJson(f: FinancialRead): WireFinancialRead {
  return wireFinancial(f);
}

/** Fen as yuan text: 2350 -> "23.50". */
const yuan = (fen: number | null) => (fen === null ? '-' : `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`);

/** Human view: summary, balance, last transactions. */
export function financialTable(f: FinancialRead): string {
  const a = f.application;
  const via = a.selectedVia === 'aid-list' ? 'AID list (no PSE)' : a.selectedVia.toUpperCase();
  const path =
    f.path === 'records'
      ? 'records without GPO (the card’s transaction counter is untouched)'
      : `GPO format ${f.gpoFormat ?? '?'} (${f.gpoReason === 'requested' ? 'asked for' : 'the card refused the records without it'}; one ATC spent)`;
  const rows: [string, string | undefined][] = [
    [`Financial application (${a.kind ? `UnionPay ${a.kind}` : 'unknown kind'})`, undefined],
    ['AID', `${a.aid}  via ${via}`],
    ['Label', [a.label, a.preferredName].filter(Boolean).join(' / ') || '-'],
    ['Read', path],
    ['PAN', f.pan === null ? '-' : `${f.pan}${f.panMasked ? '  (masked)' : ''}`],
    ['PAN sequence number', f.panSequenceNumber ?? '-'],
    ['Effective / expiry', `${f.effectiveDate ?? '-'} / ${f.expiryDate ?? '-'}`],
    ['Holder', f.holderName ?? '-'],
  ];
  if (f.holderIdNumber || f.holderIdType) rows.push(['Holder ID', `${f.holderIdNumber ?? '-'}${f.holderIdType ? `  (${f.holderIdType.code} ${f.holderIdType.label ?? 'unknown type'})` : ''}`]);
  rows.push(['EC balance', f.ecBalanceFen === null ? '-' : `${yuan(f.ecBalanceFen)} yuan  (limit ${yuan(f.ecLimitFen)}, single ${yuan(f.ecSingleLimitFen)})`]);
  let out = keyValueTable(rows);
  if (f.transactions.length) {
    const shown = f.transactions.slice(0, SHOWN_TRANSACTIONS).map((t) => [t.date ?? '-', t.time ?? '-', yuan(t.amountFen), t.type ?? '-', t.merchantName ?? '']);
    out += `\n  Last transactions (${f.transactions.length}):\n${columnTable(['date', 'time', 'amount', 'type', 'merchant'], shown).replace(/^/gm, '    ')}`;
  } else out += '\n  No transactions in the card log.';
  if (f.warnings.length) out += `\nWarnings:\n${f.warnings.map((w) => `  - [${w.code}] ${w.message}`).join('\n')}`;
  return out;
}
