import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { z } from 'zod';
import { SpecError } from './spec-error.js';

/** Formats a zod issue path as `files[1].records[2].length`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

/** Validates already-parsed JSON against a schema; `label` names the source in messages. */
export function validateJson<S extends z.ZodType>(value: unknown, schema: S, label: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const entry = formatPath(issue.path);
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem(s))` : '';
  throw new SpecError('SPEC_INVALID', label, `${label}: ${entry}: ${issue.message}${more}`, entry);
}

/**
 * Reads and validates one JSON data file (spec table or simulator profile). Every failure is a
 * SpecError naming the file and, for schema problems, the entry.
 */
export function loadJsonFile<S extends z.ZodType>(path: string, schema: S): z.output<S> {
  const label = relative(process.cwd(), path) || path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new SpecError('SPEC_MISSING', label, `${label}: cannot read file`, undefined, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new SpecError('SPEC_NOT_JSON', label, `${label}: not valid JSON (${(cause as Error).message})`, undefined, { cause });
  }
  return validateJson(value, schema, label);
}
