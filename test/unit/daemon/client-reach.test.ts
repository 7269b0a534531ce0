import { afterEach, describe, expect, it, vi } from 'vitest';
import { BridgeSocket } from '../../../src/client/bridge-socket.js';
import { localNetworkPermission, reachDaemon } from '../../../src/client/index.js';

const BRIDGE = 'http://127.0.0.1:47815/bridge';
const BRIDGE_ORIGIN = 'http://127.0.0.1:47815';

/** A fake browser window: window.open returns a popup whose posted messages are recorded. */
function fakeWindow(o: { blockPopup?: boolean } = {}) {
  const posted: { message: unknown; target: string }[] = [];
  const popup = { closed: false, postMessage: (message: unknown, target: string) => posted.push({ message, target }), close: vi.fn() };
  let listener: ((e: { origin: string; source: unknown; data: unknown }) => void) | undefined;
  vi.stubGlobal('open', () => (o.blockPopup ? null : popup));
  vi.stubGlobal('addEventListener', (_t: string, l: typeof listener) => (listener = l));
  vi.stubGlobal('removeEventListener', () => (listener = undefined));
  return {
    popup,
    posted,
    deliver: (data: unknown, from: { origin?: string; source?: unknown } = {}) => listener?.({ origin: from.origin ?? BRIDGE_ORIGIN, source: from.source ?? popup, data }),
    get listening() {
      return listener !== undefined;
    },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('LNA permission state (navigator.permissions)', () => {
  it('unsupported without navigator.permissions (Node, old browsers)', async () => {
    vi.stubGlobal('navigator', undefined);
    expect(await localNetworkPermission()).toBe('unsupported');
  });

  it("asks for 'loopback-network' first, falls back to 'local-network-access' when the name is unknown", async () => {
    const asked: string[] = [];
    const query = async ({ name }: { name: string }) => {
      asked.push(name);
      if (name === 'loopback-network') throw new TypeError('unknown permission name');
      return { state: 'prompt' };
    };
    vi.stubGlobal('navigator', { permissions: { query } });
    expect(await localNetworkPermission()).toBe('prompt');
    expect(asked).toEqual(['loopback-network', 'local-network-access']);
    vi.stubGlobal('navigator', { permissions: { query: async () => ({ state: 'granted' }) } });
    expect(await localNetworkPermission()).toBe('granted');
    vi.stubGlobal('navigator', { permissions: { query: async () => ({ state: 'weird' }) } });
    expect(await localNetworkPermission()).toBe('unsupported');
  });
});

describe('bridge window transport (postMessage relay)', () => {
  it('handshake ready -> connect -> open; frames both ways; only the popup at the daemon origin is heard', () => {
    const w = fakeWindow();
    const s = new BridgeSocket({ bridgeUrl: BRIDGE, timeoutMs: 5000 });
    const opened = vi.fn();
    const got: unknown[] = [];
    s.onopen = opened;
    s.onmessage = (e) => got.push(e.data);
    w.deliver({ sscard: 'bridge', type: 'ready' });
    expect(w.posted).toEqual([{ message: { sscard: 'bridge', type: 'connect' }, target: BRIDGE_ORIGIN }]);
    w.deliver({ sscard: 'bridge', type: 'open' }, { origin: 'https://evil.example' }); // wrong origin
    w.deliver({ sscard: 'bridge', type: 'open' }, { source: {} }); // another window
    w.deliver('open'); // not a bridge message
    expect(s.readyState).toBe(0);
    w.deliver({ sscard: 'bridge', type: 'open' });
    expect(opened).toHaveBeenCalledOnce();
    expect(s.readyState).toBe(1);
    s.send('{"jsonrpc":"2.0"}');
    expect(w.posted.at(-1)).toEqual({ message: { sscard: 'bridge', type: 'send', data: '{"jsonrpc":"2.0"}' }, target: BRIDGE_ORIGIN });
    w.deliver({ sscard: 'bridge', type: 'message', data: '{"id":1}' });
    w.deliver({ sscard: 'bridge', type: 'message', data: { not: 'text' } });
    w.deliver({ sscard: 'bridge', type: 'message', data: '{"id":2}' }, { origin: 'https://evil.example' });
    expect(got).toEqual(['{"id":1}']);
    const closed = vi.fn();
    s.onclose = closed;
    s.close();
    expect(w.posted.at(-1)).toEqual({ message: { sscard: 'bridge', type: 'close' }, target: BRIDGE_ORIGIN });
    expect(closed).toHaveBeenCalledWith({ code: 1000, reason: '' });
    expect(w.popup.close).toHaveBeenCalled();
    expect(w.listening).toBe(false);
  });

  it('names the case: origin refused, no answer (daemon not running), popup blocked', () => {
    vi.useFakeTimers();
    let w = fakeWindow();
    const refused = new BridgeSocket({ bridgeUrl: BRIDGE, timeoutMs: 5000 });
    w.deliver({ sscard: 'bridge', type: 'refused', code: 'ORIGIN_NOT_ALLOWED' });
    expect(refused.failure).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
    expect(refused.readyState).toBe(3);

    w = fakeWindow();
    const silent = new BridgeSocket({ bridgeUrl: BRIDGE, timeoutMs: 5000 });
    vi.advanceTimersByTime(5001);
    expect(silent.failure).toMatchObject({ code: 'DAEMON_NOT_RUNNING', details: { hint: expect.stringContaining('start the sscard daemon') } });

    fakeWindow({ blockPopup: true });
    expect(() => new BridgeSocket({ bridgeUrl: BRIDGE, timeoutMs: 5000 })).toThrow(expect.objectContaining({ code: 'BRIDGE_BLOCKED' }));
  });

  it('a popup the user closes ends the connection', () => {
    vi.useFakeTimers();
    const w = fakeWindow();
    const s = new BridgeSocket({ bridgeUrl: BRIDGE, timeoutMs: 5000 });
    const closed = vi.fn();
    s.onclose = closed;
    w.deliver({ sscard: 'bridge', type: 'open' });
    w.popup.closed = true;
    vi.advanceTimersByTime(1100);
    expect(closed).toHaveBeenCalledWith({ code: 1001, reason: 'bridge window closed' });
  });
});

describe('reachDaemon outside a browser', () => {
  it('direct transport to a port where nothing listens: DAEMON_NOT_RUNNING with a hint', async () => {
    vi.stubGlobal('navigator', undefined);
    const { WebSocket } = await import('ws');
    vi.stubGlobal('WebSocket', WebSocket);
    await expect(reachDaemon({ url: 'ws://127.0.0.1:9/', transport: 'direct' })).rejects.toMatchObject({
      code: 'DAEMON_NOT_RUNNING',
      details: { hint: expect.stringContaining('start the sscard daemon'), permission: 'unsupported' },
    });
  });
});
