import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A private PostgreSQL server for the tests and the bench (run them inside scripts/ns-run.sh) (Debian's `postgresql` package): its own
 * data directory (initdb), its own socket directory and port, no TCP listener at all
 * (listen_addresses=''), run as the `postgres` OS user through runuser when we are root. Stopped
 * and deleted by `stop()`. Nothing else on the machine can collide with it.
 */
export interface TestPostgres {
  /** URL of database `sscard` as the superuser (migrations, tampering tests). */
  readonly adminUrl: string;
  /** URL of database `sscard` as `sscard_app`: DML rights only, what a daemon gets (docs/status.md). */
  readonly appUrl: string;
  readonly socketDir: string;
  readonly port: number;
  /** Stops the server (`fast`: disconnect clients; `immediate`: like a crash) and keeps the data. */
  halt(mode?: 'fast' | 'immediate'): void;
  /** Like `halt` but without blocking this process's event loop (queries in flight keep running until the kill). */
  haltAsync(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same data, socket and port. */
  resume(): void;
  /** Stops and removes everything. */
  stop(): void;
}

/** The server binaries: the newest /usr/lib/postgresql/<version>/bin with initdb, or undefined. */
export function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

/** Why a server cannot be started here (undefined = it can). */
export function postgresMissingReason(): string | undefined {
  if (!postgresBinDir()) return 'PostgreSQL server binaries not found under /usr/lib/postgresql (Debian package `postgresql`; scripts/setup.sh installs it)';
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'pipe' });
    } catch {
      return 'running as root but there is no `postgres` OS user to run the server as';
    }
  }
  return undefined;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(postgresMissingReason());
  const root = process.getuid?.() === 0;
  const base = mkdtempSync(join(tmpdir(), 'sscard-pg-'));
  const data = join(base, 'data');
  const socketDir = join(base, 'sock');
  execFileSync('mkdir', ['-p', data, socketDir]);
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    for (const d of [base, data, socketDir]) chownSync(d, uid, gid);
  }
  const as = (cmd: string, args: string[]) =>
    root ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' }) : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  const port = 20_000 + Math.floor(Math.random() * 30_000);
  const log = join(base, 'server.log');
  as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const opts = `-k ${socketDir} -p ${port} -c listen_addresses='' -c fsync=off -c max_connections=200`;
  const start = () => {
    try {
      as('pg_ctl', ['-D', data, '-o', opts, '-l', log, '-w', '-t', '30', 'start']);
    } catch (e) {
      const text = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`PostgreSQL did not start: ${(e as Error).message}\n${text}`);
    }
  };
  start();
  const url = (user: string, db: string) => `postgresql://${user}@localhost:${port}/${db}?host=${encodeURIComponent(socketDir)}`;
  const admin = new pg.Client({ connectionString: url('postgres', 'postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE sscard');
  await admin.query('CREATE ROLE sscard_app LOGIN');
  await admin.end();
  let stopped = false;
  return {
    adminUrl: url('postgres', 'sscard'),
    appUrl: url('sscard_app', 'sscard'),
    socketDir,
    port,
    halt(mode = 'fast') {
      as('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    },
    haltAsync(mode = 'fast') {
      const [cmd, args] = root ? ['runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', mode, '-w', 'stop']] : [join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop']];
      return new Promise((res, rej) => execFile(cmd as string, args as string[], (e) => (e ? rej(e) : res())));
    },
    resume: start,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        /* already stopped */
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Migrates as the owner and grants `sscard_app` what docs/status.md lists (no DDL, no UPDATE/DELETE on audit). */
export async function migrateAndGrant(server: TestPostgres): Promise<void> {
  const { migratePg } = await import('../src/status/pg-schema.js');
  const c = new pg.Client({ connectionString: server.adminUrl });
  await c.connect();
  try {
    await migratePg(c, 'test');
    await c.query(GRANTS);
  } finally {
    await c.end();
  }
}

/** The grants of docs/status.md "Roles and grants" (kept identical). */
export const GRANTS = `
  GRANT CONNECT ON DATABASE sscard TO sscard_app;
  GRANT USAGE ON SCHEMA public TO sscard_app;
  GRANT SELECT ON sscard_schema TO sscard_app;
  GRANT SELECT, INSERT, UPDATE ON cards TO sscard_app;
  GRANT SELECT, INSERT ON audit TO sscard_app;
`;
