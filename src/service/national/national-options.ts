import { validateJson } from '../../specs/load-json.js';
import { NationalError } from './national-error.js';
import { nationalInterfaceSpec } from '../../specs/load-national-interface.js';
import { nationalOptionsSchema, type NationalOptions } from '../../specs/national-interface-schema.js';

export type { NationalOptions };

/**
 * The national-interface settings: the table's documented defaults overridden by config or flags
 * (docs/national-interface.md "Settings"). A bad value is a SpecError naming the key.
 */
export function nationalOptions(overrides: Partial<Record<keyof NationalOptions, unknown>> = {}, where = 'national-interface settings'): NationalOptions {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return validateJson({ ...nationalInterfaceSpec().defaults, ...defined }, nationalOptionsSchema, where);
}

/** iType of iReadCardBas: 1 contact, 2 contactless, 3 auto contact-first, 4 auto contactless-first. */
export type NationalIType = 1 | 2 | 3 | 4;

/**
 * The caller's iType (default 3) for the contact readers sscard drives: BAD_PARAMETER outside 1-4,
 * INTERFACE_UNAVAILABLE for 2 (contactless).
 */
export function contactIType(iType: number | undefined): NationalIType {
  const t = iType ?? 3;
  if (!Number.isInteger(t) || t < 1 || t > 4) throw new NationalError('BAD_PARAMETER', 'iType must be 1, 2, 3 or 4');
  if (t === 2) throw new NationalError('INTERFACE_UNAVAILABLE', 'contactless (iType 2) is not available on contact readers');
  return t as NationalIType;
}
