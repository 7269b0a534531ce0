import { z } from 'zod';

/** Schemas of the `apdu-specs/` tables: the one typed view shared by reader and simulator. */

export const hexString = (bytes?: number) =>
  z
    .string()
    .regex(/^([0-9A-F]{2})*$/, 'must be upper-case hex with whole bytes')
    .refine((s) => bytes === undefined || s.length === bytes * 2, { message: `must be ${bytes} bytes of hex` });

const hexByteString = z.string().regex(/^[0-9A-F]{2}$/, 'must be one byte of upper-case hex');
const access = z.enum(['free', 'RKSSSE', 'UKSSSE', 'never']);
const version = z.enum(['1.0', '2.0', '3.0']);

export const recordSpecSchema = z.object({
  number: z.number().int().min(1).max(254),
  tag: hexByteString.refine((t) => t !== '00' && t !== 'FF', 'simple-TLV tags 00 and FF are invalid'),
  item: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'must be a camelCase identifier'),
  label: z.string().min(1),
  format: z.enum(['cn', 'an', 'an-gbk']),
  length: z.number().int().min(1).max(254),
  sinceVersion: version.optional(),
  /** `hex`: a cn item whose value is hex filling the whole length (no F padding), e.g. the card identification code. */
  content: z.enum(['hex']).optional(),
});

export const fileSpecSchema = z
  .object({
    id: z.string().regex(/^EF[0-9A-F]{2}$/),
    fid: hexString(2),
    sfi: z.number().int().min(1).max(30),
    label: z.string(),
    structure: z.enum(['records', 'transparent']),
    size: z.number().int().positive().optional(),
    read: access,
    readByVersion: z.partialRecord(version, access),
    write: access,
    records: z.array(recordSpecSchema),
  })
  .superRefine((f, ctx) => {
    const tags = new Set<string>();
    const numbers = new Set<number>();
    f.records.forEach((r, i) => {
      if (tags.has(r.tag)) ctx.addIssue({ code: 'custom', path: ['records', i, 'tag'], message: `duplicate tag ${r.tag}` });
      if (numbers.has(r.number)) ctx.addIssue({ code: 'custom', path: ['records', i, 'number'], message: `duplicate record number ${r.number}` });
      tags.add(r.tag);
      numbers.add(r.number);
    });
    if (f.structure === 'transparent' && f.size === undefined) ctx.addIssue({ code: 'custom', path: ['size'], message: 'transparent file needs a size' });
  });

export const ssseSpecSchema = z.object({
  $comment: z.string().optional(),
  application: z.object({
    name: z.string(),
    dfName: hexString(),
    dfNameText: z.string(),
    fciTags: z.object({ dfName: hexByteString, proprietary: hexByteString, directorySfi: hexByteString, algorithm: hexByteString }),
  }),
  subApplications: z.array(z.object({ id: z.string(), aid: hexString(6), fid: hexString(2), label: z.string() })),
  algorithms: z.array(z.object({ id: hexByteString, name: z.string(), supported: z.boolean() })),
  versions: z.array(z.object({ version, texts: z.array(z.string()) })),
  files: z.array(fileSpecSchema).min(1),
  sexCodes: z.array(z.object({ code: z.string().length(1), label: z.string() })),
});

export const statusWordSchema = z.object({
  sw: z.string().regex(/^[0-9A-F]{2}([0-9A-F]{2}|[0-9A-F]x|xx)$/, 'must be 4 hex digits, the last one or two may be x'),
  kind: z.enum(['ok', 'warning', 'error']),
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be SCREAMING_SNAKE'),
  meaning: z.string().min(1),
  /** Where the meaning comes from: a clause of ISO/IEC 7816-4 or the card profile (docs/reference/). */
  clause: z.string().min(1),
});
const swPattern = z.string().regex(/^[0-9A-F]{2}([0-9A-F]{2}|[0-9A-F]x|xx)$/, 'must be 4 hex digits, the last one or two may be x');
/** What one status word means for one command (the outcome is the typed result the card layer gives). */
export const commandStatusWordSchema = z.strictObject({
  sw: swPattern,
  outcome: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be SCREAMING_SNAKE'),
  clause: z.string().min(1),
});
export const statusWordsSchema = z.object({
  $comment: z.string().optional(),
  entries: z.array(statusWordSchema).min(1),
  /** Per command (e.g. `SELECT SSSE`, `VERIFY`), the status words with a meaning of their own. */
  commands: z.record(z.string().min(1), z.array(commandStatusWordSchema).min(1)).default({}),
});
export type CommandStatusWordSpec = z.output<typeof commandStatusWordSchema>;

export const ethnicGroupsSchema = z.object({
  $comment: z.string().optional(),
  groups: z.array(z.object({ code: z.string().regex(/^[0-9]{2}$/), name: z.string().min(1), english: z.string().min(1) })).min(1),
});

export const atrSpecSchema = z.object({
  $comment: z.string().optional(),
  patterns: z
    .array(
      z.object({
        id: z.string(),
        label: z.string(),
        prefix: hexString(),
        historicalBytes: z.number().int().min(0).max(15),
        historicalOffset: z.number().int().min(1),
        diversificationFactor: z.object({ from: z.number().int().min(1), to: z.number().int().min(1) }),
      }),
    )
    .min(1),
});

export type RecordSpec = z.output<typeof recordSpecSchema>;
export type FileSpec = z.output<typeof fileSpecSchema>;
export type SsseSpec = z.output<typeof ssseSpecSchema>;
export type StatusWordSpec = z.output<typeof statusWordSchema>;
export type EthnicGroupsSpec = z.output<typeof ethnicGroupsSchema>;
export type AtrSpec = z.output<typeof atrSpecSchema>;
export type CardVersion = z.output<typeof version>;
