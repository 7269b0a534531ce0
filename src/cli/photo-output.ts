import { accessSync, constants, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './cli-error.js';

/**
 * Where `read --photo` puts the JPEG: `-` = stdout (bytes only), else a file. The folder is checked
 * before the card is touched; the file appears only once the whole photo was read (written to a
 * temporary name beside it, then renamed), so a refused read leaves nothing behind.
 */
export interface PhotoOutput {
  readonly label: string;
  write(jpeg: Uint8Array): void;
}

export function photoOutput(target: string): PhotoOutput {
  if (target === '-') {
    return { label: 'stdout', write: (jpeg) => void process.stdout.write(jpeg) };
  }
  const dir = dirname(target);
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new CliError('BAD_ARGUMENT', `--photo ${target}: cannot write in ${dir} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return {
    label: target,
    write(jpeg) {
      const tmp = join(dir, `.${basename(target)}.${process.pid}.part`);
      try {
        writeFileSync(tmp, jpeg, { mode: 0o600 });
        renameSync(tmp, target);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw new CliError('BAD_ARGUMENT', `--photo ${target}: cannot write the photo (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
    },
  };
}
