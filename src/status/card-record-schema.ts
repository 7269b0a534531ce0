import { z } from 'zod';

/** Validates the JSON parts of a stored card row (a row that fails = STORE_CORRUPT). */
const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const id = z.string().min(1).max(80);

export const lockRecordSchema = z.strictObject({
  kind: z.enum(['temporary', 'formal']),
  since: instant,
  until: instant.nullable(),
  site: id,
  operator: id,
  reason: z.string().max(200).nullable(),
});

export const eventRecordSchema = z.strictObject({
  at: instant,
  site: id,
  operator: id,
  reason: z.string().max(200).nullable(),
});

export const chipBlocksSchema = z.array(
  z.strictObject({
    block: z.enum(['application', 'card']),
    sw: z.enum(['9303', '6A81']),
    at: instant,
    site: id,
    operator: id,
  }),
);
