import { isSscardError } from '../../core/sscard-error.js';
import { nationalInterfaceSpec } from '../../specs/load-national-interface.js';
import type { NationalInterfaceSpec, NationalOptions } from '../../specs/national-interface-schema.js';

/** A national-interface failure: the negative return code and the text for the caller's output buffer. */
export interface NationalFailure {
  readonly code: number;
  readonly message: string;
}

/**
 * Maps any error to the national return code through the one table in
 * `apdu-specs/national-interface.json` (docs/national-interface.md "Return codes"): rows by
 * (layer, code); `SW` rows return -(status word as a decimal), e.g. 6983 -> -27011; an unmapped
 * error is the table's fallback (reader error). Messages come from the table, never from the
 * error (no internal text, no PIN).
 */
export function nationalFailure(e: unknown, options: Pick<NationalOptions, 'registryLockedCode'> = nationalInterfaceSpec().defaults, spec: NationalInterfaceSpec = nationalInterfaceSpec()): NationalFailure {
  const fallback = { code: spec.codes[spec.fallback.national]!, message: spec.fallback.message };
  if (!isSscardError(e)) return fallback;
  const x = e as unknown as Record<string, unknown> & { details?: Record<string, unknown> };
  const row = spec.errors.find((r) => r.layer === e.layer && r.code === e.code);
  if (!row) return fallback;
  const sw = swOf(x);
  const triesLeft = typeof x.details?.triesLeft === 'number' ? x.details.triesLeft : undefined;
  const fill = (text: string) => text.replaceAll('{sw}', sw ?? '').replaceAll('{triesLeft}', triesLeft === undefined ? '?' : String(triesLeft));
  if (row.national === 'SW') {
    if (!sw) return { ...fallback, message: fill(row.message) };
    return { code: -parseInt(sw, 16), message: fill(row.message) };
  }
  if (row.national === 'REGISTRY_LOCKED') return { code: options.registryLockedCode, message: fill(row.message) };
  return { code: spec.codes[row.national]!, message: fill(row.message) };
}

function swOf(x: Record<string, unknown> & { details?: Record<string, unknown> }): string | undefined {
  const sw = typeof x.sw === 'string' ? x.sw : typeof x.details?.sw === 'string' ? x.details.sw : undefined;
  return sw && /^[0-9A-Fa-f]{4}$/.test(sw) ? sw.toUpperCase() : undefined;
}
