import { z } from 'zod';

/**
 * The `pboc` section of a simulator profile (docs/simulator.md, docs/financial.md): the
 * UnionPay financial application the simulated chip carries beside SSSE. Synthetic people only.
 */

const upperHex = z.string().regex(/^([0-9A-F]{2})*$/, 'must be upper-case hex with whole bytes');
const isoDate = z
  .string()
  .regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, d));
    return y >= 1950 && y <= 2049 && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  }, 'is not a calendar date in 1950-2049 (YYMMDD on the card)');
const fen = z.number().int().min(0).max(999_999_999_999);

export const pbocApplicationSchema = z.strictObject({
  aid: upperHex.refine((s) => s.length >= 10 && s.length <= 32, 'must be 5-16 bytes'),
  label: z.string().min(1).max(16),
  /** Priority indicator 87, low nibble (1 highest); omitted = no 87. */
  priority: z.number().int().min(1).max(15).optional(),
  preferredName: z.string().min(1).max(16).optional(),
  /** 9F11: ISO/IEC 8859 part of the preferred name; omitted = GBK, no 9F11. */
  codeTableIndex: z.number().int().min(1).max(10).optional(),
});

export const pbocLogEntrySchema = z.strictObject({
  date: isoDate,
  time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/, 'must be HH:MM:SS'),
  amountFen: fen,
  otherAmountFen: fen.optional(),
  /** ISO 4217 / 3166 numeric, 3 digits (default 156). */
  currency: z.string().regex(/^[0-9]{3}$/).optional(),
  country: z.string().regex(/^[0-9]{3}$/).optional(),
  /** Transaction type, 2 digits (default 00 purchase). */
  type: z.string().regex(/^[0-9]{2}$/).optional(),
  merchantName: z.string().max(40).optional(),
  atc: z.number().int().min(0).max(0xffff).optional(),
});

export const pbocProfileSchema = z.strictObject({
  /** Which directories the chip has: [] = no PSE nor PPSE (selection by AID list only). */
  directories: z.array(z.enum(['pse', 'ppse'])).max(2),
  applications: z.array(pbocApplicationSchema).min(1).max(3),
  /** 5F2D, e.g. "zhen". */
  language: z.string().regex(/^([a-z]{2}){1,4}$/).optional(),
  /** 9F38 as hex DOL (default: the qPBOC PDOL of docs/financial.md). */
  pdol: upperHex.optional(),
  gpoFormat: z.union([z.literal(1), z.literal(2)]),
  /** AIP answered by GPO, 2 bytes. */
  aip: upperHex.length(4, 'must be 2 bytes of hex').optional(),
  /** The records answer 6985 until GPO has run in this selection. */
  recordsNeedGpo: z.boolean(),
  /** ATC the card starts with; GPO adds one. */
  atc: z.number().int().min(0).max(0xfffe),
  account: z.strictObject({
    pan: z.string().regex(/^[0-9]{12,19}$/, 'must be 12-19 digits'),
    panSequenceNumber: z.string().regex(/^[0-9]{2}$/, 'must be 2 digits'),
    expiryDate: isoDate,
    effectiveDate: isoDate,
    /** 5F20, GBK (ASCII is a subset), at most 26 bytes. */
    holderName: z.string().min(1),
    /** 9F0B, GBK, at most 45 bytes. */
    holderNameExtended: z.string().min(1).optional(),
    holderIdNumber: z.string().regex(/^[0-9A-Z]{1,40}$/).optional(),
    holderIdType: z.string().regex(/^[0-9]{2}$/).optional(),
  }),
  ecBalanceFen: fen.optional(),
  ecLimitFen: fen.optional(),
  ecSingleLimitFen: fen.optional(),
  /** 9F4F as hex DOL; omitted = no log at all (no 9F4D, GET DATA 9F4F answers 6A88). */
  logFormat: upperHex.optional(),
  /** Log records the log file holds (9F4D count), default 10. */
  logCapacity: z.number().int().min(1).max(50).optional(),
  /** Newest first (record 1). */
  log: z.array(pbocLogEntrySchema).max(50).optional(),
  /** Extra BER-TLV objects (hex) in a second record of SFI 2: tags the reader must keep raw. */
  extraObjects: upperHex.optional(),
});

export type PbocProfile = z.output<typeof pbocProfileSchema>;
export type PbocLogProfileEntry = z.output<typeof pbocLogEntrySchema>;
