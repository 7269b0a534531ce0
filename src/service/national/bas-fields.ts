import iconv from 'iconv-lite';
import { fromHex, toHex } from '../../core/hex.js';
import { atrHistoricalBytes } from '../../keys/card-key-context.js';
import { nationalInterfaceSpec } from '../../specs/load-national-interface.js';
import type { BasFieldName, NationalInterfaceSpec, NationalOptions } from '../../specs/national-interface-schema.js';
import type { CardData, HolderData } from '../domain-types.js';

/** The 11 fields of the national basic-information string, by name (docs/national-interface.md). */
export type BasFields = { readonly [K in BasFieldName]: string };

/**
 * The fields from what a read produced: the card data (EF05), the holder (EF06), the ATR, the
 * PSAM's terminal number (null without a PSAM) and the installation's device number.
 */
export function basFields(
  input: { card: CardData; holder: HolderData; atr: string; terminalNumber: string | null },
  options: Pick<NationalOptions, 'deviceNumber' | 'noPsamTerminalNumber' | 'emptySpecVersion'>,
): BasFields {
  const { card, holder } = input;
  return {
    regionCode: card.regionCode,
    ssn: holder.ssn,
    cardNumber: card.cardNumber,
    cardIdentificationCode: card.cardIdentificationCode,
    name: holder.name,
    atrHistorical: toHex(atrHistoricalBytes(fromHex(input.atr))),
    specVersion: specVersionField(card, options.emptySpecVersion),
    issueDate: compactDate(card.issueDate),
    expiryDate: compactDate(card.expiryDate),
    terminalNumber: input.terminalNumber ?? options.noPsamTerminalNumber,
    deviceNumber: options.deviceNumber,
  };
}

/** `1.00` / `2.00` / `3.00`; an empty version record reads as the configured default (1.00). */
function specVersionField(card: CardData, empty: string): string {
  if (card.specVersion === '1.0' || card.specVersion === '2.0' || card.specVersion === '3.0') return `${card.specVersion}0`;
  return card.specVersionText === '' ? empty : card.specVersionText;
}

/** ISO `YYYY-MM-DD` -> `YYYYMMDD`; a date the card did not hold validly is an empty field. */
function compactDate(iso: string | null): string {
  return iso ? iso.replaceAll('-', '') : '';
}

/** The `|`-terminated string in the table's field order; `|` inside a value would shift fields, so it is dropped. */
export function formatBas(fields: BasFields, options: Pick<NationalOptions, 'extraTrailingSeparator'>, spec: NationalInterfaceSpec = nationalInterfaceSpec()): string {
  const text = spec.basFields.map((f) => `${fields[f.name].replaceAll('|', '')}|`).join('');
  return options.extraTrailingSeparator ? `${text}|` : text;
}

/** The bytes for a caller's buffer in the configured encoding (GBK for ANSI-code-page callers). */
export function encodeNational(text: string, encoding: NationalOptions['encoding']): Buffer {
  return encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
}
