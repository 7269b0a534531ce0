/**
 * The browser's Local Network Access permission for this page, as `navigator.permissions` reports
 * it: `loopback-network` (the newer, loopback-only name), else `local-network-access`; `unsupported`
 * in browsers without either (Firefox, Safari, Node). Chromium 156 measured (docs/browsers.md):
 * `denied` for pages that are not a secure context, `prompt` until granted (also for pages that
 * LNA does not restrict, so the state alone never decides; a connection attempt does).
 */
export type LocalNetworkPermission = 'granted' | 'prompt' | 'denied' | 'unsupported';

export const LNA_PERMISSION_NAMES = ['loopback-network', 'local-network-access'] as const;

interface PermissionsLike {
  query(d: { name: string }): Promise<{ state: string }>;
}

export async function localNetworkPermission(): Promise<LocalNetworkPermission> {
  const permissions = (globalThis as { navigator?: { permissions?: PermissionsLike } }).navigator?.permissions;
  if (!permissions) return 'unsupported';
  for (const name of LNA_PERMISSION_NAMES) {
    try {
      const { state } = await permissions.query({ name });
      if (state === 'granted' || state === 'prompt' || state === 'denied') return state;
    } catch {
      // TypeError: this browser does not know the name; try the next one
    }
  }
  return 'unsupported';
}
