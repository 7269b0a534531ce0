import type { CardRead } from '../service/operations/read-card.js';
import { statusLine } from './status-format.js';
import { keyValueTable } from './text-table.js';

/** The JSON document `sscard read --json` prints (stable field names). */
export function readJson({ reader, atr, read, status, statusError }: CardRead): Record<string, unknown> {
  return {
    reader: { id: reader.id, name: reader.name, kind: reader.kind, simulated: reader.simulated },
    atr,
    application: read.application,
    card: read.card,
    holderStatus: read.holder.status,
    holder: read.holder.status === 'read' ? read.holder.data : null,
    ...(read.authenticated !== undefined ? { authenticated: read.authenticated } : {}),
    ...(read.genuine !== undefined ? { genuine: read.genuine } : {}),
    status: status ?? null,
    ...(statusError ? { statusError } : {}),
    warnings: read.warnings,
  };
}

const CHECK_TEXT = { valid: 'check OK', 'bad-check-character': 'CHECK CHARACTER WRONG', malformed: 'MALFORMED' } as const;

/** Human table for counter staff. */
export function readTable({ reader, atr, read, status, statusError }: CardRead): string {
  const c = read.card;
  const rows: [string, string | undefined][] = [
    [reader.simulated ? `Reader: ${reader.name}   *** SIMULATED CARD — not a real person ***` : `Reader: ${reader.name}`, undefined],
    ['ATR', atr],
    ['Status', status ? statusLine(status) : `unknown (${statusError?.code ?? 'no registry'})`],
    ['Algorithm', `${read.application.algorithm.id ?? '?'} ${read.application.algorithm.name ?? 'unknown'}`],
    ['Card (EF05)', undefined],
    ['Card identification code', c.cardIdentificationCode],
    ['Region code', c.regionCode],
    ['Card class', c.cardClass],
    ['Spec version', c.specVersion === c.specVersionText ? c.specVersion : `${c.specVersion} (written "${c.specVersionText}")`],
    ['Initializing institution', c.initializingInstitution],
    ['Issue date', c.issueDate ?? '(invalid)'],
    ['Expiry date', c.expiryDate ?? '(invalid)'],
    ['Card number', `${c.cardNumber}  (${CHECK_TEXT[c.cardNumberCheck]})`],
    [read.authenticated ? 'Holder (EF06, after RKSSSE external authentication)' : 'Holder (EF06)', undefined],
  ];
  if (read.holder.status === 'read') {
    const h = read.holder.data;
    rows.push(
      ['Social security number', `${h.ssn}  (${CHECK_TEXT[h.ssnCheck]})`],
      ['Name', h.name],
      ['Sex', `${h.sex.code} ${h.sex.label ?? '(unknown code)'}`],
      ['Ethnic group', `${h.ethnicGroup.code} ${h.ethnicGroup.name ?? (h.ethnicGroup.code === 'FF' ? '(not recorded)' : '(unknown code)')}`],
      ['Birthplace', h.birthplace],
      ['Birth date', h.birthDate ?? '(invalid)'],
    );
  } else {
    rows.push(['Holder data', `not read: needs authentication (card answered ${read.holder.sw})`]);
  }
  let out = keyValueTable(rows);
  if (read.warnings.length) out += `\nWarnings:\n${read.warnings.map((w) => `  - [${w.code}] ${w.message}`).join('\n')}`;
  return out;
}

