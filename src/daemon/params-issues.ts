import type { z } from 'zod';

/** One problem of a request's params as it crosses the wire. */
export interface WireParamsIssue {
  readonly path: string[];
  readonly message: string;
}

/**
 * The params issues a client is told about (at most 10): the path of the declared field and a
 * message that never quotes the client's input. Unknown keys are reported as "unknown key" at
 * their parent's path WITHOUT their names: a page that sends `{ "123456": true }` (a PIN as a key)
 * must not see it echoed (and the daemon never logs params at all).
 */
export function safeParamsIssues(issues: readonly z.core.$ZodIssue[]): WireParamsIssue[] {
  return issues.slice(0, 10).map((i) => {
    const path = i.path.map(String);
    if (i.code === 'unrecognized_keys') return { path, message: `unknown key${i.keys.length > 1 ? 's' : ''} (${i.keys.length}); names are not repeated` };
    if (i.code === 'invalid_key' || i.code === 'invalid_element') return { path: [], message: 'invalid key' };
    return { path, message: i.message };
  });
}
