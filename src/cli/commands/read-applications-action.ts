import type { CardRead } from '../../service/operations/read-card.js';
import type { ApplicationsReadResult } from '../../service/operations/read-applications.js';
import type { ReaderInfo } from '../../service/domain-types.js';
import { out, type TargetOptions } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { targetOf, withOperations, type KeyOptions } from '../cli-operations.js';
import { financialJson, financialTable } from '../format-financial.js';
import { readJson, readTable } from '../format-read.js';

/** The `read` flags of the financial application (docs/financial.md). */
export interface FinancialReadFlags {
  financial?: boolean;
  all?: boolean;
  gpo?: boolean;
  revealPan?: boolean;
  contactless?: boolean;
}

/** True when the flags ask for the financial application (`--financial`, `--all` or one of its options). */
export function wantsFinancial(opts: FinancialReadFlags): boolean {
  return Boolean(opts.financial || opts.all || opts.gpo || opts.revealPan || opts.contactless);
}

/** Flag combinations that make no sense are usage errors (exit 2) before any card is touched. */
export function checkFinancialFlags(opts: FinancialReadFlags & KeyOptions): void {
  if (opts.financial && opts.all) throw new CliError('BAD_ARGUMENT', '--financial and --all exclude each other (--all already reads the financial application)');
  if (!opts.financial && !opts.all) throw new CliError('BAD_ARGUMENT', '--gpo, --reveal-pan and --contactless need --financial or --all');
  if (opts.financial && opts.keys) throw new CliError('BAD_ARGUMENT', '--keys is for the social application (3.0 holder data); the financial read needs no keys');
}

function readerLine(reader: ReaderInfo): string {
  return reader.simulated ? `Reader: ${reader.name}   *** SIMULATED CARD — not a real person ***` : `Reader: ${reader.name}`;
}

/** `sscard read --financial` / `--all`: calls the service operation, prints JSON or text. */
export async function readApplicationsAction(opts: TargetOptions & KeyOptions & FinancialReadFlags): Promise<void> {
  checkFinancialFlags(opts);
  const financialOptions = { gpo: opts.gpo === true, reveal: opts.revealPan === true, contactless: opts.contactless === true };
  if (opts.financial) {
    await withOperations(opts, { status: 'none' }, async (ops) => {
      const r = await ops.readFinancial({ target: targetOf(opts), ...financialOptions });
      out(
        opts.json
          ? JSON.stringify({ reader: reader(r.reader), atr: r.atr, financial: financialJson(r.financial) }, null, 2)
          : `${readerLine(r.reader)}\n  ATR  ${r.atr}\n${financialTable(r.financial)}`,
      );
    });
    return;
  }
  await withOperations(opts, { status: 'required' }, async (ops) => {
    const r = await ops.readApplications({ target: targetOf(opts), applications: ['financial', 'social'], ...financialOptions });
    out(opts.json ? JSON.stringify(allJson(r), null, 2) : allText(r));
    if (r.social?.kind === 'blocked') process.exitCode = 1;
  });
}

function reader(r: ReaderInfo): Record<string, unknown> {
  return { id: r.id, name: r.name, kind: r.kind, simulated: r.simulated };
}

function socialRead(r: ApplicationsReadResult): CardRead | undefined {
  if (r.social?.kind !== 'read') return undefined;
  const { read, status, statusError } = r.social;
  return { kind: 'read', reader: r.reader, atr: r.atr, read, status, ...(statusError ? { statusError } : {}) };
}

/** `read --all --json`: the social document of `read --json`, plus `financial` (null when it failed) and `financialError`. */
function allJson(r: ApplicationsReadResult): Record<string, unknown> {
  const social = socialRead(r);
  const base = social
    ? readJson(social)
    : { reader: reader(r.reader), atr: r.atr, status: r.social?.kind === 'blocked' ? `${r.social.block}-blocked` : null, ...(r.social?.kind === 'blocked' ? { sw: r.social.sw } : {}) };
  return { ...base, financial: r.financial ? financialJson(r.financial) : null, ...(r.financialError ? { financialError: r.financialError } : {}) };
}

function allText(r: ApplicationsReadResult): string {
  const social = socialRead(r);
  const head = social
    ? readTable(social)
    : `${readerLine(r.reader)}\n  ${r.social?.kind === 'blocked' ? `${r.social.block === 'application' ? 'APPLICATION BLOCKED' : 'CARD BLOCKED'} (permanent, SW ${r.social.sw}): the social application cannot be read` : ''}`;
  const fin = r.financial ? financialTable(r.financial) : `Financial application: not read (${r.financialError?.code ?? 'unknown'}: ${r.financialError?.message ?? ''})`;
  return `${head}\n${fin}`;
}
