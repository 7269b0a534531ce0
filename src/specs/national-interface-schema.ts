import { z } from 'zod';

/**
 * Schema of `apdu-specs/national-interface.json` (docs/national-interface.md): the basic-information
 * string's fields, iType values, national return codes and the one table mapping our typed errors
 * to them.
 */
export const BAS_FIELD_NAMES = [
  'regionCode',
  'ssn',
  'cardNumber',
  'cardIdentificationCode',
  'name',
  'atrHistorical',
  'specVersion',
  'issueDate',
  'expiryDate',
  'terminalNumber',
  'deviceNumber',
] as const;
export type BasFieldName = (typeof BAS_FIELD_NAMES)[number];

export const NATIONAL_INTERFACES = ['contact', 'contactless', 'auto-contact-first', 'auto-contactless-first'] as const;
export type NationalInterface = (typeof NATIONAL_INTERFACES)[number];

const codeName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be a SCREAMING_SNAKE code name');

export const nationalOptionsSchema = z.strictObject({
  encoding: z.enum(['utf-8', 'gbk']),
  extraTrailingSeparator: z.boolean(),
  deviceNumber: z.string().regex(/^[\x21-\x7B\x7D-\x7E]{0,32}$/, 'printable ASCII without "|", at most 32 characters'),
  noPsamTerminalNumber: z.string().regex(/^[0-9]{12}$/, 'must be 12 digits'),
  emptySpecVersion: z.enum(['1.00', '2.00', '3.00']),
  refuseRegistryLocked: z.boolean(),
  registryLockedCode: z.number().int().max(-1),
});
export type NationalOptions = z.infer<typeof nationalOptionsSchema>;

export const nationalInterfaceSchema = z
  .object({
    $comment: z.string().optional(),
    basFields: z
      .array(z.strictObject({ name: z.enum(BAS_FIELD_NAMES), label: z.string().min(1) }))
      .length(11)
      .refine((f) => new Set(f.map((x) => x.name)).size === 11, 'every field exactly once'),
    interfaces: z.strictObject({ '1': z.literal('contact'), '2': z.literal('contactless'), '3': z.literal('auto-contact-first'), '4': z.literal('auto-contactless-first') }),
    defaults: nationalOptionsSchema,
    codes: z.record(codeName, z.number().int().max(0)).refine((c) => c.OK === 0, 'OK must be 0'),
    fallback: z.strictObject({ national: codeName, message: z.string().min(1) }),
    errors: z.array(
      z.strictObject({
        layer: z.string().regex(/^[a-z]+$/),
        code: codeName,
        /** A name from `codes`, `SW` (-(status word as decimal)) or `REGISTRY_LOCKED` (defaults.registryLockedCode). */
        national: codeName,
        message: z.string().min(1),
      }),
    ),
  })
  .superRefine((v, ctx) => {
    const known = new Set([...Object.keys(v.codes), 'SW', 'REGISTRY_LOCKED']);
    v.errors.forEach((e, i) => {
      if (!known.has(e.national)) ctx.addIssue({ code: 'custom', path: ['errors', i, 'national'], message: `unknown national code ${e.national}` });
    });
    if (!v.codes[v.fallback.national]) ctx.addIssue({ code: 'custom', path: ['fallback', 'national'], message: 'must name a code' });
    const seen = new Set<string>();
    v.errors.forEach((e, i) => {
      const key = `${e.layer}/${e.code}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['errors', i], message: `${key} mapped twice` });
      seen.add(key);
    });
  });
export type NationalInterfaceSpec = z.infer<typeof nationalInterfaceSchema>;
