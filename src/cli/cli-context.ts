import type { Command } from 'commander';

/** Options every card command shares. */
export interface TargetOptions {
  /** `--sim`: enable the built-in simulated reader. */
  sim?: boolean;
  /** `--profile ID`: the simulated card's profile (implies `--sim`). */
  profile?: string;
  /** `--reader NAME`: a PC/SC reader by exact name or id. */
  reader?: string;
  /** `--interface contact|contactless|contact-first|contactless-first` (iType 1-4). */
  interface?: string;
  /** `--wait SECONDS`: how long to wait for a card when none is inserted. */
  wait?: string;
  /** `--traffic`: APDU traffic log on stderr (PIN data masked). */
  traffic?: boolean;
  json?: boolean;
}

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--sim', 'enable the built-in SIMULATED card reader')
    .option('--profile <id>', 'profile of the simulated card (implies --sim; see `sscard sim list`)')
    .option('--reader <name>', 'PC/SC reader to use (name or id, see `sscard readers`)')
    .option('--wait <seconds>', 'how long to wait for a card to be inserted', '30')
    .option('--interface <kind>', 'card interface: contact, contactless, contact-first, contactless-first (iType 1-4)')
    .option('--traffic', 'log APDU traffic to stderr (PIN data masked)');
}

/** Writes a line to stdout (kept in one place so tests can spawn the CLI and read it). */
/** Adds only the simulated-reader options (commands that do not open a card). */
export function addSimOptions(cmd: Command): Command {
  return cmd
    .option('--sim', 'include the built-in SIMULATED card reader')
    .option('--profile <id>', 'profile of the simulated card (implies --sim)');
}

export function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(`${text}\n`);
}
