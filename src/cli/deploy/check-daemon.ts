import { request } from 'node:http';
import type { DoctorContext } from './doctor-context.js';
import { fail, pass, skip, type Finding } from './finding.js';
import { portOwner } from './port-owner.js';

export type HealthProbe =
  | { readonly kind: 'sscard'; readonly body: Record<string, unknown> }
  | { readonly kind: 'refused' }
  | { readonly kind: 'other'; readonly detail: string };

/** GET http://127.0.0.1:<port>/health (the daemon's Host check wants exactly this Host). */
export function probeHealth(port: number, timeoutMs = 2000): Promise<HealthProbe> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', method: 'GET', headers: { Host: `127.0.0.1:${port}` }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 65536) body += c;
      });
      res.on('end', () => {
        try {
          const json = JSON.parse(body) as Record<string, unknown>;
          if (res.statusCode === 200 && json.name === 'sscard') return resolve({ kind: 'sscard', body: json });
        } catch {
          // not JSON: not our daemon
        }
        resolve({ kind: 'other', detail: `HTTP ${res.statusCode} that is not sscard's /health` });
      });
      res.on('error', () => resolve({ kind: 'other', detail: 'a broken HTTP answer' }));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ kind: 'other', detail: `no HTTP answer within ${timeoutMs} ms` });
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'other', detail: `${e.code ?? e.message}` }));
    req.end();
  });
}

export async function checkDaemon(ctx: DoctorContext): Promise<Finding> {
  if (!ctx.daemonConfig) {
    return fail('daemon', 'BAD_CONFIG', `the daemon config cannot be used: ${ctx.daemonConfigError}`, `fix ${ctx.daemonConfigFile} (JSON; keys in docs/daemon.md), then restart the daemon`);
  }
  const port = ctx.daemonConfig.port;
  if (port === 0) return skip('daemon', 'ANY_PORT', `${ctx.daemonConfigFile ?? 'the daemon config'} says port 0 (any free port, for tests): no fixed port to look at`);
  const probe = await probeHealth(port);
  if (probe.kind === 'sscard') {
    const owner = portOwner(port);
    const b = probe.body;
    const who = owner?.pid ? `pid ${owner.pid}, ` : '';
    return pass('daemon', `running (${who}port ${port}, version ${String(b.version)}, ${String(b.readers)} reader(s), pcsc ${String(b.pcsc)}${b.simulated ? ', SIMULATED readers on' : ''})`);
  }
  if (probe.kind === 'refused') {
    return fail('daemon', 'DAEMON_NOT_RUNNING', `nothing listens on 127.0.0.1:${port}: the daemon is not running`, 'start it: `systemctl --user start sscard` (package or `sscard service install`), or `sscard daemon` in a terminal; its log says why it stopped (`journalctl --user -u sscard`)');
  }
  const owner = portOwner(port);
  const holder = owner?.pid ? `pid ${owner.pid} (${owner.command ?? 'unknown command'})` : 'a process this user cannot see';
  return fail(
    'daemon',
    'PORT_TAKEN',
    `port ${port} is held by another program: ${holder} answers with ${probe.detail}`,
    `stop that program, or give sscard another port ("port" in ${ctx.daemonConfigFile ?? 'daemon.json'}) and tell the HIS pages (SscardClient.connect({ port }))`,
  );
}
