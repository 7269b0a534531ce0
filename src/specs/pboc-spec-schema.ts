import { z } from 'zod';
import { hexString } from './spec-schemas.js';

/**
 * Schema of `apdu-specs/pboc.json`: the facts of the PBOC / UnionPay financial application
 * (JR/T 0025, EMV Book 1 §12 and Book 3 Annex A) that reader and simulator share.
 */

/** A BER-TLV tag of 1-3 bytes as upper-case hex (EMV Book 3 Annex B1). */
const berTag = z
  .string()
  .regex(/^([0-9A-F]{2}){1,3}$/, 'must be a 1-3 byte tag as upper-case hex')
  .refine((t) => {
    const b = t.match(/../g)!.map((x) => parseInt(x, 16));
    const multi = (b[0]! & 0x1f) === 0x1f;
    if (!multi) return b.length === 1;
    for (let i = 1; i < b.length - 1; i++) if ((b[i]! & 0x80) === 0) return false;
    return (b[b.length - 1]! & 0x80) === 0 && b.length >= 2;
  }, 'is not a well-formed BER-TLV tag');

/** How a value is coded (EMV Book 3 §4.3 data element formats, refined by meaning). */
export const pbocFormat = z.enum([
  'template', // constructed: children
  'binary', // b
  'numeric', // n: BCD, left-padded with 0
  'compressed-numeric', // cn: BCD, right-padded with F
  'text', // an / ans, GBK-aware (ASCII is a subset)
  'date', // n6 YYMMDD
  'time', // n6 HHMMSS
  'amount', // n12, in fen (minor unit)
  'track2', // track 2 equivalent data
  'dol', // data object list: tag + length pairs
]);

const camel = z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'must be a camelCase identifier');

export const pbocTagSchema = z.object({ tag: berTag, name: camel, format: pbocFormat, label: z.string().min(1) });

export const pbocSpecSchema = z
  .object({
    $comment: z.string().optional(),
    directories: z
      .array(z.object({ id: z.enum(['pse', 'ppse']), name: z.string().min(1).max(16), interface: z.enum(['contact', 'contactless']), label: z.string() }))
      .min(1),
    applications: z
      .array(
        z.object({
          aid: hexString().refine((s) => s.length >= 10 && s.length <= 32, 'must be 5-16 bytes'),
          kind: z.enum(['debit', 'credit', 'quasi-credit']),
          label: z.string(),
          priority: z.number().int().min(1).max(15),
        }),
      )
      .min(1),
    recordScan: z.object({
      $comment: z.string().optional(),
      sfiFrom: z.number().int().min(1).max(30),
      sfiTo: z.number().int().min(1).max(30),
      maxRecordsPerSfi: z.number().int().min(1).max(255),
      stopWhenFound: z.array(berTag),
    }),
    getData: z.array(z.object({ tag: berTag, item: camel, defaultRead: z.boolean() })).min(1),
    maxLogRecords: z.number().int().min(1).max(255),
    pdolDefaults: z.array(
      z.union([
        z.object({ tag: berTag, value: hexString(), label: z.string() }),
        z.object({ tag: berTag, source: z.enum(['date', 'time', 'random']), label: z.string() }),
      ]),
    ),
    logFields: z.array(
      z.object({
        tag: berTag,
        field: z.enum(['date', 'time', 'amountFen', 'otherAmountFen', 'country', 'currency', 'type', 'merchantName', 'atc']),
      }),
    ),
    holderIdTypes: z.array(z.object({ code: z.string().regex(/^[0-9]{2}$/), label: z.string() })),
    tags: z.array(pbocTagSchema).min(1),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.tags.forEach((t, i) => {
      if (seen.has(t.tag)) ctx.addIssue({ code: 'custom', path: ['tags', i, 'tag'], message: `duplicate tag ${t.tag}` });
      seen.add(t.tag);
    });
    const known = (tag: string, path: (string | number)[]) => {
      if (!seen.has(tag)) ctx.addIssue({ code: 'custom', path, message: `tag ${tag} is not in tags` });
    };
    s.getData.forEach((g, i) => known(g.tag, ['getData', i, 'tag']));
    s.logFields.forEach((f, i) => known(f.tag, ['logFields', i, 'tag']));
    s.pdolDefaults.forEach((d, i) => known(d.tag, ['pdolDefaults', i, 'tag']));
    s.recordScan.stopWhenFound.forEach((t, i) => known(t, ['recordScan', 'stopWhenFound', i]));
    if (s.recordScan.sfiTo < s.recordScan.sfiFrom) ctx.addIssue({ code: 'custom', path: ['recordScan', 'sfiTo'], message: 'must be >= sfiFrom' });
  });

export type PbocSpec = z.output<typeof pbocSpecSchema>;
export type PbocTagSpec = z.output<typeof pbocTagSchema>;
export type PbocFormat = z.output<typeof pbocFormat>;
export type PbocLogField = PbocSpec['logFields'][number]['field'];
