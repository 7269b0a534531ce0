import type { Command } from 'commander';

/** One registrar of top-level commands, loaded on demand, with the names it registers. */
export interface CommandEntry {
  names: readonly string[];
  load: () => Promise<(program: Command) => void>;
}

/**
 * Every top-level command of `sscard`, in help order. Each entry is imported only when needed:
 * `sscard daemon` loads the daemon's modules alone, not the certificate, roster or registry
 * administration code of the other commands (docs/performance.md, "Memory"). `test/unit/cli/command-table.test.ts`
 * checks that `names` are exactly what each registrar registers.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { names: ['read'], load: async () => (await import('./commands/read-command.js')).registerRead },
  { names: ['sim'], load: async () => (await import('./commands/sim-command.js')).registerSim },
  { names: ['apdu'], load: async () => (await import('./commands/apdu-command.js')).registerApdu },
  { names: ['readers'], load: async () => (await import('./commands/readers-command.js')).registerReaders },
  { names: ['watch'], load: async () => (await import('./commands/watch-command.js')).registerWatch },
  { names: ['lock', 'release', 'replace-requested', 'cancel', 'status', 'audit'], load: async () => (await import('./commands/status-commands.js')).registerStatusCommands },
  { names: ['pin'], load: async () => (await import('./commands/pin-commands.js')).registerPinCommands },
  { names: ['block'], load: async () => (await import('./commands/block-command.js')).registerBlockCommand },
  { names: ['daemon'], load: async () => (await import('./commands/daemon-command.js')).registerDaemon },
  { names: ['collect'], load: async () => (await import('./commands/collect-command.js')).registerCollect },
  { names: ['registry'], load: async () => (await import('./commands/registry-command.js')).registerRegistryCommand },
  { names: ['doctor'], load: async () => (await import('./commands/doctor-command.js')).registerDoctor },
  { names: ['service'], load: async () => (await import('./commands/service-command.js')).registerService },
  { names: ['browser-policy'], load: async () => (await import('./commands/browser-policy-command.js')).registerBrowserPolicy },
  { names: ['cert'], load: async () => (await import('./commands/cert-command.js')).registerCert },
  { names: ['keys', 'verify'], load: async () => (await import('./commands/attestation-commands.js')).registerAttestationCommands },
];

/**
 * Registers the command named by `argv` (argv[2]) alone when it is a known one; every command
 * otherwise (no command, `--help`, `help`, a misspelling: commander's help and suggestions need all).
 */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const first = argv[2];
  const named = COMMANDS.find((e) => first !== undefined && e.names.includes(first));
  for (const entry of named ? [named] : COMMANDS) (await entry.load())(program);
}
