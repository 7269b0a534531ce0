import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { REDACT_PATHS } from '../daemon-logger.js';
import { DaemonError } from '../daemon-error.js';
import { JournalStream, stderrIsJournal } from './journal-stream.js';
import { DAEMON_LOG_FILE } from './state-dir.js';

export interface LogFileOptions {
  /** The state directory (created 0700 when missing). */
  readonly dir: string;
  /** Rotate when the file reaches this size, e.g. "10M" (rotating-file-stream's size units B/K/M/G). */
  readonly maxSize: string;
  /** Rotated files kept (daemon.log.1 ... daemon.log.N); older ones are deleted. */
  readonly keep: number;
}

export interface ServiceLog {
  readonly log: Logger;
  /** The current log file, or undefined when logging to stderr only. */
  readonly file: string | undefined;
  /** Where stderr lines go: journald lines (`<6>msg ...`) or pino JSON lines. */
  readonly stderrFormat: 'journal' | 'json';
  /** Switches to debug, or back to the configured level; returns the new level. */
  toggleDebug(): string;
  /** Flushes and closes the log file. */
  close(): Promise<void>;
}

/**
 * The daemon's logs as a service runs them: JSON lines in `<state dir>/daemon.log` rotated by
 * size (rotating-file-stream, classic `.1 ... .N` names), and on stderr either journald lines
 * (under systemd) or the same JSON lines. Same redaction as every daemon log (no params, results,
 * PINs, tokens or card data at any level). The logger's level filters both outputs; `toggleDebug`
 * changes it at run time (SIGUSR2, see `installLogSignal`).
 */
export function createServiceLogger(o: {
  level: string;
  file?: LogFileOptions | undefined;
  env?: NodeJS.ProcessEnv;
  stderr?: { write(s: string): unknown };
}): ServiceLog {
  const env = o.env ?? process.env;
  const journal = stderrIsJournal(env);
  const stderrStream = journal ? new JournalStream(o.stderr ?? process.stderr) : o.stderr ? new PassThroughLines(o.stderr) : pino.destination({ dest: 2, sync: true });
  const streams: pino.StreamEntry[] = [{ level: 'trace', stream: stderrStream }];
  let rfs: RotatingFileStream | undefined;
  let file: string | undefined;
  if (o.file) {
    try {
      mkdirSync(o.file.dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new DaemonError('LOG_FILE', `cannot create the log directory ${o.file.dir}`, { cause: e });
    }
    file = join(o.file.dir, DAEMON_LOG_FILE);
    rfs = createStream(DAEMON_LOG_FILE, { path: o.file.dir, size: o.file.maxSize, rotate: o.file.keep, mode: 0o600 });
    // A full disk or a removed directory must not stop the daemon: the stderr copy goes on.
    rfs.on('error', () => undefined);
    rfs.on('warning', () => undefined);
    streams.push({ level: 'trace', stream: rfs });
  }
  const configured = o.level;
  const log = pino(
    { level: configured, base: { svc: 'sscard-daemon' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    pino.multistream(streams),
  );
  return {
    log,
    file,
    stderrFormat: journal ? 'journal' : 'json',
    toggleDebug() {
      if (log.level === 'debug' || log.level === 'trace') {
        log.info({ level: configured }, 'log level back to the configured one');
        log.level = configured;
      } else {
        log.level = 'debug';
        log.info({ level: 'debug' }, 'log level now debug (SIGUSR2 again to go back)');
      }
      return log.level;
    },
    close() {
      const s = rfs;
      if (!s) return Promise.resolve();
      return new Promise<void>((resolve) => {
        s.once('finish', () => resolve());
        s.once('error', () => resolve());
        s.end();
      });
    },
  };
}

/** Passes JSON lines to an injected writer unchanged (tests capture stderr this way). */
class PassThroughLines extends Writable {
  constructor(private readonly target: { write(s: string): unknown }) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.target.write(String(chunk));
    done();
  }
}

/**
 * SIGUSR2 toggles debug logging without a restart (`systemctl --user kill -s USR2 sscard`).
 * Returns the function that removes the handler.
 */
export function installLogSignal(service: ServiceLog): () => void {
  const onSignal = () => void service.toggleDebug();
  process.on('SIGUSR2', onSignal);
  return () => process.off('SIGUSR2', onSignal);
}

/** The service logger a daemon config asks for (`logLevel`, `logFile`), in `stateDir`. */
export function serviceLoggerFor(config: { logLevel: string; logFile: { enabled: boolean; maxSize: string; keep: number } }, dir: string, env: NodeJS.ProcessEnv = process.env): ServiceLog {
  return createServiceLogger({
    level: config.logLevel,
    env,
    file: config.logFile.enabled ? { dir, maxSize: config.logFile.maxSize, keep: config.logFile.keep } : undefined,
  });
}
