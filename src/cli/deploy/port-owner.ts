import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The process listening on a TCP port, from /proc/net/tcp{,6} and /proc/<pid>/fd (proc(5)). */
export interface PortOwner {
  readonly pid: number | undefined;
  readonly command: string | undefined;
}

/** Socket inodes in LISTEN state (st 0A) on `port`, IPv4 and IPv6. */
export function listeningInodes(port: number): string[] {
  const inodes: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const local = f[1]!;
      const portHex = local.slice(local.lastIndexOf(':') + 1);
      if (parseInt(portHex, 16) === port && f[3] === '0A') inodes.push(f[9]!);
    }
  }
  return inodes;
}

/** Who listens on `port`, or undefined when nobody does. The pid is unknown when /proc hides it. */
export function portOwner(port: number): PortOwner | undefined {
  const inodes = new Set(listeningInodes(port).map((i) => `socket:[${i}]`));
  if (inodes.size === 0) return undefined;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((e) => /^[0-9]+$/.test(e));
  } catch {
    return { pid: undefined, command: undefined };
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) {
          let command: string | undefined;
          try {
            command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 200);
          } catch {
            command = undefined;
          }
          return { pid: Number(pid), command };
        }
      } catch {
        // fd closed meanwhile
      }
    }
  }
  return { pid: undefined, command: undefined };
}
