import { PinBuffer } from '../core/pin-buffer.js';
import { PinError } from '../service/pin-rules.js';
import { CliError } from './cli-error.js';

/**
 * PIN entry for the CLI (docs/pin.md "PIN entry"): never a command-line argument. `--pin-stdin`
 * reads one PIN per line from stdin (bytes, wiped after use); otherwise a TTY prompt without echo.
 * Each PIN becomes a PinBuffer; whoever asked wipes them.
 */
export async function readPins(labels: readonly string[], options: { pinStdin?: boolean | undefined }): Promise<PinBuffer[]> {
  if (options.pinStdin) return readStdinPins(labels);
  if (!process.stdin.isTTY) {
    throw new CliError('BAD_ARGUMENT', 'no terminal to type the PIN on: pass --pin-stdin and write one PIN per line to stdin');
  }
  const pins: PinBuffer[] = [];
  try {
    for (const label of labels) pins.push(await promptNoEcho(`${label}: `));
  } catch (e) {
    for (const p of pins) p.wipe();
    throw e;
  }
  return pins;
}

async function readStdinPins(labels: readonly string[]): Promise<PinBuffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  for (const c of chunks) c.fill(0);
  const pins: PinBuffer[] = [];
  try {
    let start = 0;
    for (const label of labels) {
      let end = all.indexOf(0x0a, start);
      if (end < 0) end = all.length;
      let line = all.subarray(start, end);
      if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      if (start >= all.length) throw new CliError('BAD_ARGUMENT', `--pin-stdin: stdin has no line for the ${label}`);
      pins.push(bufferToPin(line, label));
      start = end + 1;
    }
    return pins;
  } catch (e) {
    for (const p of pins) p.wipe();
    throw e;
  } finally {
    all.fill(0);
  }
}

function bufferToPin(bytes: Uint8Array, label: string): PinBuffer {
  if (bytes.length === 0 || bytes.some((b) => b < 0x30 || b > 0x39)) {
    throw new PinError('PIN_FORMAT', `the ${label} must be decimal digits only`, { which: label.startsWith('new') ? 'new' : label.startsWith('old') ? 'old' : 'pin' });
  }
  return PinBuffer.fromAscii(bytes);
}

/** Raw-mode TTY prompt: digits collected into a byte array, nothing echoed; Ctrl-C aborts. */
function promptNoEcho(prompt: string): Promise<PinBuffer> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    const buf = new Uint8Array(64);
    let n = 0;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    const done = (error?: unknown) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) {
        buf.fill(0);
        reject(error);
        return;
      }
      try {
        resolve(bufferToPin(buf.subarray(0, n), prompt.replace(/: $/, '')));
      } catch (e) {
        reject(e);
      } finally {
        buf.fill(0);
      }
    };
    const onData = (chunk: Buffer) => {
      try {
        for (const b of chunk) {
          if (b === 0x03) return done(new CliError('BAD_ARGUMENT', 'PIN entry cancelled'));
          if (b === 0x0d || b === 0x0a) return done();
          if (b === 0x7f || b === 0x08) n = Math.max(0, n - 1);
          else if (n < buf.length) buf[n++] = b;
        }
      } finally {
        chunk.fill(0); // a pasted PIN arrives with its Enter in one chunk
      }
    };
    stdin.on('data', onData);
  });
}
