import { execFile } from 'node:child_process';

/**
 * Can this process make network + mount namespaces (root, `unshare`, `ip`)? The browser matrix
 * makes its own. In CI (`CI=true`) a missing part is a failure, never a skip.
 */
export async function ensureNamespaces(): Promise<{ available: boolean; reason: string }> {
  let reason = '';
  if (process.getuid?.() !== 0) reason = 'not root (network namespaces need root)';
  else {
    const probe = await new Promise<number>((done) =>
      execFile('unshare', ['--net', '--mount', '--propagation', 'private', '--', 'ip', 'link', 'set', 'lo', 'up'], { timeout: 10_000 }, (e) =>
        done(e ? (typeof e.code === 'number' ? e.code : 1) : 0),
      ),
    );
    if (probe !== 0) reason = 'cannot make a network namespace (`unshare --net` and `ip` from util-linux / iproute2)';
  }
  if (reason && process.env.CI === 'true') throw new Error(`browser matrix prerequisites missing in CI: ${reason}`);
  return { available: reason === '', reason: reason || 'namespaces ready' };
}
