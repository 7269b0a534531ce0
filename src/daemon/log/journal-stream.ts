import { fstatSync } from 'node:fs';
import { Writable } from 'node:stream';

/**
 * True when stderr is connected to the systemd journal: systemd sets `$JOURNAL_STREAM` to the
 * "device:inode" of the stream it hands the service (systemd.exec(5), "$JOURNAL_STREAM"); a
 * redirected stderr no longer matches, so a `sscard daemon 2>file` under systemd stays JSON.
 */
export function stderrIsJournal(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.JOURNAL_STREAM;
  if (!v) return false;
  const [dev, ino] = v.split(':');
  try {
    const st = fstatSync(2);
    return String(st.dev) === dev && String(st.ino) === ino;
  } catch {
    return false;
  }
}

/** pino's numeric levels to syslog priorities (RFC 5424 §6.2.1): trace/debug 7, info 6, warn 4, error 3, fatal 2. */
export function syslogPriority(pinoLevel: number): number {
  if (pinoLevel >= 60) return 2;
  if (pinoLevel >= 50) return 3;
  if (pinoLevel >= 40) return 4;
  if (pinoLevel >= 30) return 6;
  return 7;
}

const DROP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'svc']);

/**
 * One pino JSON line as a journald line: `<priority>message {other fields}` — journald reads the
 * `<N>` prefix as the priority (systemd.exec(5), SyslogLevelPrefix=), so `journalctl -p warning`
 * works, and it stamps time, pid and host itself.
 */
export function journalLine(jsonLine: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return `<6>${jsonLine.trimEnd()}\n`;
  }
  const level = typeof rec.level === 'number' ? rec.level : 30;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) if (!DROP.has(k)) rest[k] = v;
  const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  return `<${syslogPriority(level)}>${String(rec.msg ?? '')}${extra}\n`;
}

/** A stream that turns pino's JSON lines into journald lines on `out` (stderr by default). */
export class JournalStream extends Writable {
  constructor(private readonly out: { write(s: string): unknown } = process.stderr) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    for (const line of String(chunk).split('\n')) if (line) this.out.write(journalLine(line));
    done();
  }
}
