import type { Command } from 'commander';
import { china, STATUS_LABEL as LABEL } from '../status-format.js';
import type { AuditEntry, CardStatus } from '../../service/domain-types.js';
import type { CardOperations } from '../../service/operations/card-operations.js';
import { addTargetOptions, type TargetOptions } from '../cli-context.js';
import { targetOf, withOperations } from '../cli-operations.js';
import { CliError } from '../cli-error.js';
import { columnTable, keyValueTable } from '../text-table.js';

/**
 * Card-status commands (docs/status.md, "CLI"): loss locks the middleware keeps itself because the
 * chip has no temporary block (docs/reference/card-spec.md §3). The card is named by --card (identification code)
 * and --card-number, since a loss is often reported by phone without the card.
 */
interface StatusOpts {
  card?: string;
  cardNumber?: string;
  ssn?: string;
  site?: string;
  operator?: string;
  reason?: string;
  json?: boolean;
  temporary?: boolean;
  formal?: boolean;
  since?: string;
  until?: string;
  action?: string;
  limit?: string;
}

export function registerStatusCommands(program: Command): void {
  changeCommand(program, 'lock', 'report a loss: lock the card --temporary (phone/counter, expires) or --formal (in person)')
    .option('--temporary', 'temporary loss report: released automatically after the region\'s duration (7 days by default)')
    .option('--formal', 'formal loss report: no expiry, released only at this site; needed for a replacement')
    .action((o: StatusOpts) =>
      run(o, async (ops) => {
        if (Boolean(o.temporary) === Boolean(o.formal)) throw new CliError('BAD_ARGUMENT', 'lock needs exactly one of --temporary or --formal');
        return show(o, await ops.lockCard({ card: cardOf(o), kind: o.temporary ? 'temporary' : 'formal', reason: o.reason }));
      }),
    );
  changeCommand(program, 'release', 'release a loss lock (temporary: any site of the issuing area; formal: only where it was made)').action(
    (o: StatusOpts) => run(o, async (ops) => show(o, await ops.releaseCard({ card: cardOf(o), reason: o.reason }))),
  );
  changeCommand(program, 'replace-requested', 'record that a replacement card was requested (needs a formal lock; the lost card can never be released)').action(
    (o: StatusOpts) => run(o, async (ops) => show(o, await ops.requestReplacement({ card: cardOf(o), reason: o.reason }))),
  );
  changeCommand(program, 'cancel', 'cancel the card (death, emigration, leaving the province): final').action((o: StatusOpts) =>
    run(o, async (ops) => show(o, await ops.cancelCard({ card: cardOf(o), reason: o.reason }))),
  );
  addTargetOptions(program.command('status'))
    .description('show the card-status registry entry of a card (--card and --card-number), of every card of a holder (--ssn), or of the card in a reader (--reader / --sim)')
    .option('--card <cic>', 'card identification code (32 hex characters, starting with the 6-digit region code)')
    .option('--card-number <n>', 'card number (9 characters)')
    .option('--ssn <id>', 'social security number: list the holder\'s cards')
    .option('--json', 'print JSON')
    .action((o: StatusOpts & TargetOptions) => {
      if (o.card === undefined && o.cardNumber === undefined && o.ssn === undefined && (o.reader !== undefined || o.sim || o.profile !== undefined)) {
        // the card in a reader (--reader / --sim / --profile): EF05 only, then the registry
        return withOperations(o, { status: 'required' }, async (ops) => {
          const r = await ops.cardStatusInReader(targetOf(o));
          write(o.json ? JSON.stringify({ reader: r.reader, status: r.status }, null, 2) : `Reader: ${r.reader.name}\n${statusText(r.status)}`);
        });
      }
      return run(o, async (ops) => {
        if (o.card === undefined && o.cardNumber === undefined && o.ssn !== undefined) {
          const list = await ops.cardsOfHolder(o.ssn);
          write(o.json ? JSON.stringify(list, null, 2) : list.length ? list.map((s) => statusText(s)).join('\n\n') : 'no card of this holder is in the registry');
          return;
        }
        const status = await ops.statusOfCard(cardOf(o));
        const store = ops.statusStoreState();
        const brief = store && { backend: store.backend, state: store.state, location: store.location };
        write(o.json ? JSON.stringify({ ...status, store: brief }, null, 2) : statusText(status, brief ? `${brief.backend} ${brief.location} (${brief.state})` : 'none'));
      });
    });
  program
    .command('audit')
    .description('show the audit trail of locks, releases, replacements, cancellations, blocks and PIN resets')
    .option('--since <iso>', 'from this instant (inclusive), e.g. 2026-12-01T00:00:00+08:00')
    .option('--until <iso>', 'up to this instant (exclusive)')
    .option('--card <cic>', 'only this card identification code')
    .option('--action <action>', 'only this action, e.g. lock-temporary, release, auto-release')
    .option('--limit <n>', 'at most this many entries', '10000')
    .option('--json', 'print JSON')
    .action((o: StatusOpts) =>
      run(o, async (ops) => {
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new CliError('BAD_ARGUMENT', '--limit must be a positive integer');
        const entries = await ops.auditTrail({ since: o.since, until: o.until, card: o.card, action: o.action, limit });
        write(o.json ? JSON.stringify(entries, null, 2) : auditTable(entries));
      }),
    );
}

function changeCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .requiredOption('--card <cic>', 'card identification code (32 hex characters, starting with the 6-digit region code)')
    .requiredOption('--card-number <n>', 'card number (9 characters)')
    .option('--ssn <id>', 'social security number of the holder (kept for lookup)')
    .option('--site <site>', 'this site, `<6-digit region code>-<name>` (default $SSCARD_SITE or the config file)')
    .option('--operator <id>', 'operator id (default $SSCARD_OPERATOR or the config file)')
    .option('--reason <text>', 'why (at most 200 characters; never a PIN)')
    .option('--json', 'print JSON');
}

function cardOf(o: StatusOpts) {
  if (!o.card || !o.cardNumber) {
    throw new CliError('BAD_ARGUMENT', 'name the card with --card <card identification code> and --card-number <n> (or --reader NAME / --sim for the card in a reader)');
  }
  return { cardIdentificationCode: o.card, cardNumber: o.cardNumber, ssn: o.ssn };
}

/** Registry commands need no reader: the composition opens the registry only. */
function run(o: StatusOpts, fn: (ops: CardOperations) => Promise<void>): Promise<void> {
  return withOperations({ site: o.site, operator: o.operator }, { status: 'required', readers: false }, fn);
}

function show(o: StatusOpts, status: CardStatus): void {
  write(o.json ? JSON.stringify(status, null, 2) : statusText(status));
}

function write(text: string): void {
  process.stdout.write(`${text}\n`);
}


/** `store`: which card-status store answered (shown by `sscard status` for one card). */
export function statusText(s: CardStatus, store?: string): string {
  const rows: [string, string | undefined][] = [[`card ${s.cardIdentificationCode} / ${s.cardNumber}`, undefined]];
  rows.push(['status', s.until ? `${LABEL[s.kind]} until ${china(s.until)}` : LABEL[s.kind]]);
  if (s.since) rows.push(['since', china(s.since)]);
  if (s.site) rows.push(['site', s.site]);
  if (s.operator) rows.push(['operator', s.operator]);
  if (s.reason) rows.push(['reason', s.reason]);
  if (s.lock && s.kind !== 'temporarily-locked' && s.kind !== 'formally-locked') {
    rows.push(['loss lock', `${s.lock.kind} since ${china(s.lock.since)} at ${s.lock.site}${s.lock.until ? ` until ${china(s.lock.until)}` : ''}`]);
  }
  for (const b of s.chipBlocks) rows.push(['chip', `${b.block} blocked (SW ${b.sw}) recorded ${china(b.at)} at ${b.site}`]);
  if (s.expiredLock?.until) rows.push(['note', `the temporary lock of ${china(s.expiredLock.since)} ended automatically at ${china(s.expiredLock.until)}`]);
  if (s.ssn) rows.push(['ssn', s.ssn]);
  rows.push(['as of', china(s.evaluatedAt)]);
  if (store) rows.push(['store', store]);
  return keyValueTable(rows);
}

function auditTable(entries: readonly AuditEntry[]): string {
  if (!entries.length) return 'no audit entries';
  return columnTable(
    ['ID', 'AT (UTC+8)', 'ACTION', 'CARD', 'CARD NO', 'SITE', 'OPERATOR', 'DETAIL'],
    entries.map((e) => [
      String(e.id),
      china(e.at).replace(' +08:00', ''),
      e.action,
      e.cardIdentificationCode,
      e.cardNumber,
      e.site,
      e.operator,
      [e.until && e.action === 'lock-temporary' ? `until ${china(e.until)}` : '', e.sw ? `SW ${e.sw}` : '', e.reason ?? ''].filter(Boolean).join('; '),
    ]),
  );
}

