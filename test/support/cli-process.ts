import { readFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './cli.js';

/**
 * A long-running CLI child (`sim serve`, `watch`), read line by line. Asynchronous on purpose:
 * tests that talk to pcscd must never block their event loop.
 */
export class CliProcess {
  readonly proc: ChildProcess;
  readonly lines: string[] = [];
  readonly errLines: string[] = [];
  private readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];

  /** `command`: the program and its first arguments (default node + the compiled CLI; the launcher: `[LAUNCHER]`). */
  constructor(args: string[], env: NodeJS.ProcessEnv = {}, command: readonly string[] = [process.execPath, CLI]) {
    this.proc = spawn(command[0]!, [...command.slice(1), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (into: string[]) => {
      let buf = '';
      return (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        const parts = buf.split('\n');
        buf = parts.pop()!;
        into.push(...parts);
        for (const w of this.waiters.splice(0)) w();
      };
    };
    this.proc.stdout!.on('data', collect(this.lines));
    this.proc.stderr!.on('data', collect(this.errLines));
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }

  /** Waits for a stdout line matching `re` at index >= `from`; returns it. */
  async waitForLine(re: RegExp, timeoutMs = 10_000, from = 0): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.lines.slice(from).find((l) => re.test(l));
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line matching ${re} within ${timeoutMs} ms; stdout: ${this.lines.join(' | ')}; stderr: ${this.errLines.join(' | ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** SIGINT, then the exit code (SIGKILL after 5 s). */
  async stop(): Promise<number | null> {
    if (this.proc.exitCode !== null) return this.proc.exitCode;
    this.proc.kill('SIGINT');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** CPU time (user + system) of the child in ms, from /proc. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8') as string;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
    return (ticks * 1000) / 100; // USER_HZ = 100 on Linux
  }
}

/** `sscard sim serve` in a child; resolves once it serves. */
export async function serveCard(profile: string, slot: 0 | 1): Promise<CliProcess> {
  const p = new CliProcess(['sim', 'serve', '--profile', profile, '--slot', String(slot)]);
  await p.waitForLine(/^serving SIMULATED card/);
  return p;
}
