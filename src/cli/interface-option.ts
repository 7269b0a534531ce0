import { INTERFACE_REQUEST_OF_ITYPE, type InterfaceRequest } from '../transport/card-interface.js';
import type { TargetOptions } from './cli-context.js';
import { CliError } from './cli-error.js';

const INTERFACES = ['contact', 'contactless', 'contact-first', 'contactless-first'] as const;

/** Parses `--interface` (docs/readers.md "Interface choice"): the iType words, or iType 1-4. */
export function interfaceRequest(opts: Pick<TargetOptions, 'interface'>): InterfaceRequest | undefined {
  const raw = opts.interface;
  if (raw === undefined) return undefined;
  const request = /^[1-4]$/.test(raw)
    ? INTERFACE_REQUEST_OF_ITYPE[Number(raw)]
    : (INTERFACES as readonly string[]).includes(raw)
      ? (raw as InterfaceRequest)
      : undefined;
  if (!request) throw new CliError('BAD_ARGUMENT', `--interface must be one of ${INTERFACES.join(', ')} (or iType 1-4), got "${raw}"`);
  return request;
}
