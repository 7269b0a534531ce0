import { WebSocketServer } from 'ws';

/**
 * The floor of any cross-process face (bench/daemon.bench.ts): a bare `ws` server in its own Node
 * process, no sscard code, answering each message with a fixed reply of `argv[2]` bytes (the size
 * of sscard's card.read answer), so the bench can time the socket round trip alone next to
 * card.read. Prints `listening PORT` on stdout.
 */
const size = Number(process.argv[2]);
if (!Number.isInteger(size) || size < 2) throw new Error(`ws-echo-child: reply size ${process.argv[2]}?`);
const reply = JSON.stringify({ jsonrpc: '2.0', id: 0, result: 'x'.repeat(size - 40) });
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : String(address)}\n`);
});
wss.on('connection', (ws) => ws.on('message', () => ws.send(reply)));
process.on('SIGINT', () => process.exit(0));
