import { encodeNational } from '../../service/national/bas-fields.js';
import { nationalOptions } from '../../service/national/national-options.js';
import type { CardOperations } from '../../service/operations/card-operations.js';
import type { CardTarget } from '../../service/operations/operation-deps.js';
import { CliError } from '../cli-error.js';

/** Flags of `sscard read --format bas|bas-json` (docs/national-interface.md "CLI"). */
export interface BasOptions {
  itype?: string;
  encoding?: string;
  deviceNumber?: string;
  extraSeparator?: boolean;
}

/** Settles the national settings from the flags before the card is touched (bad values: exit 2). */
export function basSettings(opts: BasOptions) {
  if (opts.itype !== undefined && !/^[1-4]$/.test(opts.itype)) throw new CliError('BAD_ARGUMENT', '--itype must be 1, 2, 3 or 4');
  return {
    iType: opts.itype === undefined ? undefined : Number(opts.itype),
    options: nationalOptions({ encoding: opts.encoding, deviceNumber: opts.deviceNumber, extraTrailingSeparator: opts.extraSeparator }, 'read --format bas flags'),
  };
}

/**
 * Prints the national result: `bas` writes the 11-field string in the chosen encoding (a failure:
 * the national code and text on stderr), `bas-json` a document with the code and the fields named.
 * Exit code: 0, else 3 for no card / reader error, 2 for a bad parameter, 1 for card outcomes.
 */
export async function printBas(ops: CardOperations, target: CardTarget, format: 'bas' | 'bas-json', settings: ReturnType<typeof basSettings>): Promise<void> {
  const r = await ops.readCardBas(target, settings);
  if (format === 'bas-json') {
    const doc = r.kind === 'bas' ? { code: 0, reader: r.reader, text: r.text, fields: r.fields } : { code: r.code, message: r.message };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else if (r.kind === 'bas') {
    process.stdout.write(Buffer.concat([encodeNational(r.text, settings.options.encoding), Buffer.from('\n')]));
  } else {
    process.stderr.write(Buffer.concat([encodeNational(`${r.code} ${r.message}`, settings.options.encoding), Buffer.from('\n')]));
  }
  if (r.kind !== 'bas') process.exitCode = r.code === -2 || r.code === -11 ? 3 : r.code === -14 ? 2 : 1;
}
