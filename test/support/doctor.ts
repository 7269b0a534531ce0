import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './cli.js';

export interface DoctorFinding {
  check: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  code: string;
  message: string;
  fix?: string;
}

export interface DoctorRun {
  code: number;
  ok: boolean;
  checks: DoctorFinding[];
  stderr: string;
  byCheck(name: string): DoctorFinding;
}

/** A machine of one's own for doctor: data, state, HOME (NSS db), /etc/sscard, policy dir, CA bundle — all temp. */
export function doctorEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const root = mkdtempSync(join(tmpdir(), 'sscard-doctor-'));
  return {
    SSCARD_DATA_DIR: join(root, 'data'),
    SSCARD_STATE_DIR: join(root, 'state'),
    HOME: join(root, 'home'),
    SSCARD_ETC_DIR: join(root, 'etc'),
    SSCARD_BROWSER_POLICY_DIR: join(root, 'policies'),
    SSCARD_CA_BUNDLE: join(root, 'ca-bundle.crt'),
    SSCARD_CONFIG: '',
    SSCARD_NOW: '',
    ...extra,
  };
}

/** `sscard doctor --json` asynchronously (the test process may be serving the port doctor probes). */
export function runDoctor(env: NodeJS.ProcessEnv, args: string[] = []): Promise<DoctorRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, 'doctor', '--json', ...args], { env: { ...process.env, ...env }, timeout: 30_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      let parsed: { ok: boolean; checks: DoctorFinding[] };
      try {
        parsed = JSON.parse(stdout);
      } catch {
        reject(new Error(`doctor printed no JSON (exit ${code}): ${stdout} ${stderr}`));
        return;
      }
      resolve({
        code,
        ok: parsed.ok,
        checks: parsed.checks,
        stderr,
        byCheck(name) {
          const f = parsed.checks.find((c) => c.check === name);
          if (!f) throw new Error(`no check ${name}`);
          return f;
        },
      });
    });
  });
}
