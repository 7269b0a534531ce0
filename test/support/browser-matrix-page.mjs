// The harness page of the browser matrix (test/support/browser-matrix-runner.mjs), served from every
// page origin: `cell()` tries the SDK's direct socket, wss:// and the automatic pick and reads the
// card; `raid()` is what a hostile page tries on its own; `attempt()` is one reachDaemon() call.
export const cellPage = ({ daemonPort: DAEMON_PORT, reader: READER, allowedOrigin }) => `<!doctype html><meta charset="utf-8"><title>cell</title><link rel="icon" href="data:,"><script type="module">
import { reachDaemon, localNetworkPermission } from '/sdk/client/index.js';
async function attempt(opts) {
  try {
    const r = await reachDaemon({ clientName: 'matrix', ...opts });
    let cardNumber = null, name = null, readError = null;
    try {
      const read = await r.client.request('card.read', { reader: '${READER}' });
      cardNumber = read.data.card.cardNumber;
      name = read.data.holder.status === 'read' ? read.data.holder.data.name : null;
    } catch (e) { readError = e.code; }
    r.client.close();
    return { ok: true, transport: r.transport, role: r.client.hello.role, cardNumber, name, readError };
  } catch (e) { return { ok: false, code: e.code ?? String(e), hint: e.details?.hint ?? null }; }
}
window.cell = async (wssToo) => ({
  permission: await localNetworkPermission(),
  secure: isSecureContext,
  direct: await attempt({ url: 'ws://127.0.0.1:${DAEMON_PORT}/', transport: 'direct' }),
  directWss: wssToo ? await attempt({ url: 'wss://127.0.0.1:${DAEMON_PORT}/', transport: 'direct' }) : null,
  auto: await attempt({ url: 'ws://127.0.0.1:${DAEMON_PORT}/' }),
});
// What a hostile page tries on its own, beside the SDK.
window.raid = async () => {
  const ws = (u) => new Promise((done) => { const msgs = []; const s = new WebSocket(u); const t = setTimeout(() => done({ opened: 'timeout', msgs }), 4000);
    s.onopen = () => { s.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { minApiLevel: 1, maxApiLevel: 1 } }));
      setTimeout(() => s.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'card.read', params: { reader: '${READER}' } })), 100); };
    s.onmessage = (m) => msgs.push(String(m.data)); s.onclose = (e) => { clearTimeout(t); done({ closed: e.code, msgs }); }; });
  const health = await fetch('http://127.0.0.1:${DAEMON_PORT}/health').then((r) => r.text()).catch((e) => 'blocked: ' + e.name);
  // The bridge window opened by hand: frames before 'connect', garbage, then 'connect' (refused), then frames again.
  const bridgeWindow = await new Promise((done) => {
    const seen = [];
    const w = window.open('http://127.0.0.1:${DAEMON_PORT}/bridge', 'raid', 'popup,width=300,height=200');
    if (!w) return done({ popup: 'blocked', seen });
    const hello = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { minApiLevel: 1, maxApiLevel: 1 } });
    addEventListener('message', (e) => {
      if (e.source !== w) return;
      seen.push(e.data && e.data.type);
      if (e.data && e.data.type === 'ready') {
        w.postMessage({ sscard: 'bridge', type: 'send', data: hello }, '*');
        w.postMessage('garbage', '*');
        w.postMessage({ sscard: 'bridge', type: 42 }, '*');
        w.postMessage({ sscard: 'bridge', type: 'connect' }, '*');
      } else if (e.data && e.data.type === 'refused') {
        w.postMessage({ sscard: 'bridge', type: 'send', data: hello }, '*');
        setTimeout(() => { w.close(); done({ seen }); }, 300);
      }
    });
    setTimeout(() => done({ timeout: true, seen }), 5000);
  });
  return {
    bridgeWindow,
    socket: await ws('ws://127.0.0.1:${DAEMON_PORT}/'),
    bridgeSocket: await ws('ws://127.0.0.1:${DAEMON_PORT}/bridge/ws?origin=' + encodeURIComponent('${allowedOrigin}')),
    health,
  };
};
window.attempt = attempt;
window.ready = true;
</script>`;
