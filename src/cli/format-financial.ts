import type { FinancialRead } from '../service/domain-types.js';
import { columnTable, keyValueTable } from './text-table.js';

/** How many log records the text view shows (the JSON has them all). */
const SHOWN_TRANSACTIONS = 10;

/** The `financial` object of `sscard read --financial|--all --json` (docs/financial.md field names). */
export function financialJson(f: FinancialRead): Record<string, unknown> {
  return {
    pan: f.pan,
    panMasked: f.panMasked,
    panSequenceNumber: f.panSequenceNumber,
    expiryDate: f.expiryDate,
    effectiveDate: f.effectiveDate,
    holderName: f.holderName,
    holderIdNumber: f.holderIdNumber,
    holderIdType: f.holderIdType,
    ecBalanceFen: f.ecBalanceFen,
    ecBalance: f.ecBalance,
    ecLimitFen: f.ecLimitFen,
    ecSingleLimitFen: f.ecSingleLimitFen,
    transactions: f.transactions,
    path: f.path,
    ...(f.gpoReason ? { gpoReason: f.gpoReason } : {}),
    ...(f.gpoFormat ? { gpoFormat: f.gpoFormat } : {}),
    application: f.application,
    logFormat: f.logFormat,
    unknownTags: f.unknownTags,
    warnings: f.warnings,
  };
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
