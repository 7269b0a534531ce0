/**
 * One line of `sscard doctor` (docs/deploy.md, "sscard doctor"): which check, its outcome, a
 * stable code for fleet tools (`--json`), what was found, and what to do about it.
 * `warn` and `skip` do not fail the run; any `fail` makes the exit code non-zero.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface Finding {
  readonly check: string;
  readonly status: CheckStatus;
  readonly code: string;
  readonly message: string;
  readonly fix?: string;
}

export function pass(check: string, message: string): Finding {
  return { check, status: 'pass', code: 'OK', message };
}

export function fail(check: string, code: string, message: string, fix: string): Finding {
  return { check, status: 'fail', code, message, fix };
}

export function warn(check: string, code: string, message: string, fix: string): Finding {
  return { check, status: 'warn', code, message, fix };
}

export function skip(check: string, code: string, message: string): Finding {
  return { check, status: 'skip', code, message };
}

/** Octal mode text as `ls -l` users know it (e.g. 644). */
export function modeText(mode: number): string {
  return (mode & 0o777).toString(8);
}
