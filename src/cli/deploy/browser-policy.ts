import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Chromium / Chrome / Edge enterprise policies that let the listed HIS origins reach the local
 * daemon without the Local Network Access prompt (https://wicg.github.io/local-network-access/):
 * `LocalNetworkAccessAllowedForUrls` (Chromium 139+) and `LoopbackNetworkAllowedForUrls` (146+,
 * loopback only). Browsers ignore policy names they do not know, so both are written.
 */
export const POLICY_KEYS = ['LocalNetworkAccessAllowedForUrls', 'LoopbackNetworkAllowedForUrls'] as const;

export function browserPolicy(origins: readonly string[]): Record<string, string[]> {
  const list = [...new Set(origins)].sort();
  return Object.fromEntries(POLICY_KEYS.map((k) => [k, list]));
}

/** Origins a policy directory allows (all of POLICY_KEYS in any *.json file), and the files read. */
export function allowedByPolicies(dir: string): { origins: Set<string>; files: string[]; errors: string[] } {
  const origins = new Set<string>();
  const files: string[] = [];
  const errors: string[] = [];
  if (!existsSync(dir)) return { origins, files, errors };
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = join(dir, name);
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const lists = POLICY_KEYS.map((k) => json[k]).filter((v): v is unknown[] => Array.isArray(v));
      if (lists.length === 0) continue;
      files.push(file);
      for (const l of lists) for (const o of l) if (typeof o === 'string') origins.add(o.replace(/\/$/, ''));
    } catch (e) {
      errors.push(`${file}: ${(e as Error).message}`);
    }
  }
  return { origins, files, errors };
}
