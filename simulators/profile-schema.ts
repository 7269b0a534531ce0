import { z } from 'zod';
import type { Specs } from '../src/specs/load-specs.js';
import { encodeProfile } from './encode-profile.js';
import { checkPbocProfile } from './pboc/check-pboc-profile.js';
import { pbocProfileSchema } from './pboc/pboc-profile-schema.js';

/**
 * The JSON schema of a simulated card profile (`simulators/profiles/*.json`, docs/simulator.md).
 * Shape and formats are checked here; whether each value fits its record (docs/reference/card-spec.md §2 lengths,
 * GBK, the 1.0 layout without 4E) is checked by running the record encoder over the profile, so
 * every problem is reported as `file: entry: message` by the one spec loader.
 */

/** Try limit of the PIN and of each external-authentication key when the profile names none. */
export const DEFAULT_TRY_LIMIT = 3;
/** The PIN of a simulated card when the profile names none (security profile defaults). */
export const DEFAULT_PIN = '123456';

const upperHex = z.string().regex(/^([0-9A-F]{2})*$/, 'must be upper-case hex with whole bytes');

/** `YYYY-MM-DD` and a real calendar date. */
const isoDate = z
  .string()
  .regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  }, 'is not a calendar date');

export const behaviourSchema = z.strictObject({
  /** SELECT of a DF with FCI: `61xx` then GET RESPONSE (T=0), or the FCI with 9000. */
  selectResponse: z.enum(['61xx', 'data']),
  /** READ RECORD / READ BINARY with Le = 00: `6C xx` (exact length) or the data with 9000. */
  leZero: z.enum(['6Cxx', 'data']),
  /** Whether READ RECORD P2 mode 101 (P1 to last record) is supported; false answers 6A86. */
  readToEnd: z.boolean(),
  /**
   * Whether extended Lc/Le fields are accepted (ISO/IEC 7816-4 §5.1), e.g. one READ BINARY of the
   * whole 0x1000-byte EF08. Default false: a T=0 chip answers 6700 to any extended command.
   */
  extendedLength: z.boolean().optional(),
});

const tryLimit = z.number().int().min(1, 'must be 1-15').max(15, 'must be 1-15 (one nibble of 63Cx)');

/**
 * The card's security settings (docs/reference/security-profile.md "Defaults of the simulated cards", card-spec
 * §3); every field is optional, see `resolveSecuritySettings` for the defaults. `state` is the
 * EEPROM state the card starts with (tries left, permanent blocks).
 */
export const securitySchema = z.strictObject({
  /** The initial PIN, 4-16 decimal digits (default `123456`). */
  pin: z.string().regex(/^[0-9]{4,16}$/, 'must be 4-16 decimal digits').optional(),
  /** Wrong VERIFY / CHANGE PIN attempts before 6983 (default 3). */
  pinTryLimit: tryLimit.optional(),
  /** Wrong EXTERNAL AUTHENTICATE attempts per key before 6983 (default 3). */
  extAuthTryLimit: tryLimit.optional(),
  /** Master keys the card keys are diversified from: only the profile page's `test` keys. */
  masterKeys: z.literal('test').optional(),
  state: z
    .strictObject({
      pinTriesLeft: z.number().int().min(0).max(15).optional(),
      applicationBlocked: z.boolean().optional(),
      cardBlocked: z.boolean().optional(),
    })
    .optional(),
});

export type SecurityProfile = z.output<typeof securitySchema>;

export const profileObjectSchema = z.strictObject({
  $comment: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  label: z.string().min(1),
  /** Synthetic people only: real personal data never goes into a profile. */
  synthetic: z.literal(true, { error: 'must be true: profiles hold synthetic people only' }),
  atr: upperHex,
  generation: z.enum(['1.0', '2.0', '3.0']),
  algorithm: upperHex.length(2, 'must be one byte of hex'),
  behaviour: behaviourSchema,
  card: z.strictObject({
    cardIdentificationCode: z.string().regex(/^[0-9A-F]{32}$/, 'must be 32 upper-case hex nibbles'),
    cardClass: z.string(),
    specVersion: z.string(),
    initializingInstitution: z.string().regex(/^[0-9]{1,24}$/, 'must be 1-24 decimal digits'),
    issueDate: isoDate,
    expiryDate: isoDate,
    cardNumber: z.string().regex(/^[0-9A-Z]{9}$/, 'must be 9 characters 0-9 A-Z'),
  }),
  holder: z.strictObject({
    ssn: z.string().regex(/^[0-9]{17}[0-9X]$/, 'must be 17 digits and a check character 0-9 or X'),
    name: z.string().min(1, 'must not be empty'),
    sex: z.string().length(1, 'must be one character'),
    ethnicGroup: z.string().regex(/^([0-9]{2}|FF)$/, 'must be a two-digit GB 3304 code or FF'),
    birthplace: z.string().regex(/^[0-9]{6}$/, 'must be a 6-digit region code'),
    birthDate: isoDate,
  }),
  /** Record value bytes by record tag, replacing the encoded human value (malformed real cards). */
  raw: z.record(z.string().regex(/^[0-9A-F]{2}$/, 'must be a record tag as 2 upper-case hex digits'), upperHex.max(2 * 254, 'must be at most 254 bytes')).optional(),
  /** Initial content of transparent EFs by file id (e.g. `EF08`), written at offset 0, rest 00. */
  transparent: z.record(z.string(), upperHex).optional(),
  /**
   * The holder's photo: a JPEG file, relative to the profile's folder, written into EF08 at load
   * (docs/simulator.md "Photos"). Overridden by `transparent.EF08`.
   */
  photo: z.string().regex(/^[a-z0-9][a-z0-9./-]*\.jpg$/, 'must be a relative path to a .jpg file (lower-case letters, digits, . - /)').refine((s) => !s.split('/').includes('..'), 'must stay inside the profiles folder').optional(),
  /** PIN, try limits, keys and initial blocks (optional; defaults of the security profile). */
  security: securitySchema.optional(),
  /** The UnionPay financial application beside SSSE (docs/financial.md); omitted = none. */
  pboc: pbocProfileSchema.optional(),
});

export type CardProfile = z.output<typeof profileObjectSchema>;
export type Behaviour = CardProfile['behaviour'];
export type Generation = CardProfile['generation'];

/** The full schema: shape, then the facts that need the spec tables (ATR, codes, record fit). */
export function profileSchema(tables: Pick<Specs, 'ssse' | 'atr' | 'ethnicGroups'> & Partial<Pick<Specs, 'pboc'>>) {
  return profileObjectSchema.superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const atrBytes = p.atr.length / 2;
    const pattern = tables.atr.find((a) => p.atr.startsWith(a.prefix) && atrBytes === a.prefix.length / 2 + a.historicalBytes);
    if (!pattern) {
      const want = tables.atr.map((a) => `${a.prefix} + ${a.historicalBytes} historical bytes`).join(' or ');
      issue(['atr'], `must be ${want} (docs/reference/card-spec.md §6), got ${atrBytes} bytes`);
    }
    if (!tables.ssse.algorithms.some((a) => a.id === p.algorithm)) {
      issue(['algorithm'], `unknown algorithm ${p.algorithm}: expected one of ${tables.ssse.algorithms.map((a) => a.id).join(', ')}`);
    }
    if (!tables.ssse.sexCodes.some((s) => s.code === p.holder.sex)) {
      issue(['holder', 'sex'], `unknown sex code "${p.holder.sex}": expected one of ${tables.ssse.sexCodes.map((s) => s.code).join(', ')}`);
    }
    if (p.holder.ethnicGroup !== 'FF' && !tables.ethnicGroups.some((g) => g.code === p.holder.ethnicGroup)) {
      issue(['holder', 'ethnicGroup'], `${p.holder.ethnicGroup} is not a GB 3304 ethnic group code`);
    }
    for (const problem of encodeProfile(p, tables.ssse).issues) issue(problem.path, problem.message);
    if (p.pboc && tables.pboc) for (const problem of checkPbocProfile(p.pboc, tables.pboc)) issue(problem.path, problem.message);
    const left = p.security?.state?.pinTriesLeft;
    const limit = p.security?.pinTryLimit ?? DEFAULT_TRY_LIMIT;
    if (left !== undefined && left > limit) issue(['security', 'state', 'pinTriesLeft'], `must be at most pinTryLimit (${limit})`);
  });
}
