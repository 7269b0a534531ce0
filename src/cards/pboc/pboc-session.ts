import { apduChannel, type ApduChannel } from '../../apdu/apdu-channel.js';
import type { Transmitter } from '../../apdu/transmitter.js';
import type { BerTlv } from '../../core/ber-tlv.js';
import { fromHex } from '../../core/hex.js';
import { specs as defaultSpecs, type Specs } from '../../specs/load-specs.js';
import type { PbocSpec } from '../../specs/pboc-spec-schema.js';
import { CardError } from '../card-error.js';
import { buildGetData, parseGetData } from './commands/get-data.js';
import { buildGetProcessingOptions, parseGetProcessingOptions, type ProcessingOptions } from './commands/get-processing-options.js';
import { buildPbocReadRecord, parseLogRecord, parsePbocRecord } from './commands/read-record.js';
import { buildSelectByName, parseSelectByName } from './commands/select-by-name.js';
import { decodeFinancial, primitives } from './decode-financial.js';
import { logDecoder } from './decode-log.js';
import { chooseApplications, parseDirectoryRecord } from './directory-entries.js';
import { buildDolData, parseDol, type TerminalSources } from './dol.js';
import { parseApplicationFci, parseDirectoryFci, type ApplicationFci } from './parse-fci.js';
import type { DirectoryEntry, FinancialApplication, FinancialRead, FinancialTransaction, FinancialWarning, SelectionPath } from './pboc-model.js';
import { tagHex, tagNumber } from './tag-hex.js';

export interface FinancialReadOptions {
  /** Run GET PROCESSING OPTIONS first (spends one ATC). Default: only when the records are refused. */
  readonly gpo?: boolean | undefined;
  /** Return the whole PAN (default: masked to first 6 / last 4). */
  readonly reveal?: boolean | undefined;
}

export interface PbocSessionOptions {
  readonly specs?: Specs;
  /** Which directory to select first: PSE (contact, default) or PPSE (contactless). */
  readonly interface?: 'contact' | 'contactless';
  /** Clock and random source for the PDOL data. */
  readonly terminal?: TerminalSources;
}

/** The directory's most records we read (EMV allows up to 255; real PSEs hold 1-3). */
const MAX_DIRECTORY_RECORDS = 16;

/**
 * The PBOC / UnionPay financial application of one card (JR/T 0025; EMV Books 1 and 3), over
 * one transmitter in the processor stack. The default read has no side effect on the card: it
 * selects, reads records and GET DATA objects, and never sends GET PROCESSING OPTIONS (which
 * increments the ATC) unless asked or unless the card refuses the records without it. The
 * financial PIN is never asked for, sent or kept. Nothing here touches the social-security
 * application; callers that use both select each before use (docs/financial.md).
 */
export class PbocSession {
  readonly channel: ApduChannel;
  private readonly spec: PbocSpec;
  private readonly iface: 'contact' | 'contactless';
  private readonly terminal: TerminalSources;

  constructor(transmitter: Transmitter, options: PbocSessionOptions = {}) {
    this.channel = apduChannel(transmitter);
    this.spec = (options.specs ?? defaultSpecs()).pboc;
    this.iface = options.interface ?? 'contact';
    this.terminal = options.terminal ?? {};
  }

  /**
   * Application selection (EMV Book 1 §12.3): the PSE / PPSE directory when the card has one,
   * else the spec's AID list; candidates by priority indicator; the first that SELECT accepts.
   */
  async selectApplication(): Promise<{ application: FinancialApplication; fci: ApplicationFci }> {
    const dir = this.spec.directories.find((d) => d.interface === this.iface) ?? this.spec.directories[0]!;
    const entries: DirectoryEntry[] = [];
    const sel = parseSelectByName(await this.channel.send(buildSelectByName(Buffer.from(dir.name, 'ascii'))), dir.name);
    if (sel.status === 'selected') {
      const fci = parseDirectoryFci(sel.fci);
      entries.push(...fci.entries);
      if (fci.directorySfi !== null) entries.push(...(await this.readDirectory(fci.directorySfi)));
    }
    const fromDirectory = chooseApplications(entries, this.spec);
    const fallback = chooseApplications([], this.spec).filter((c) => !fromDirectory.some((d) => d.aid === c.aid));
    let blocked = false;
    for (const candidate of [...fromDirectory, ...fallback]) {
      const r = parseSelectByName(await this.channel.send(buildSelectByName(fromHex(candidate.aid))), `AID ${candidate.aid}`);
      if (r.status === 'blocked') blocked = true;
      if (r.status !== 'selected') continue;
      const fci = parseApplicationFci(r.fci);
      const via: SelectionPath = candidate.fromDirectory ? dir.id : 'aid-list';
      const kind = this.spec.applications.find((a) => fci.aid.startsWith(a.aid))?.kind ?? null;
      const application: FinancialApplication = {
        aid: fci.aid,
        kind,
        label: fci.label,
        preferredName: fci.preferredName,
        codeTableIndex: fci.codeTableIndex,
        languages: fci.languages,
        priority: fci.priority,
        pdol: fci.pdol ? Buffer.from(fci.pdol).toString('hex').toUpperCase() : null,
        selectedVia: via,
      };
      return { application, fci };
    }
    if (blocked) throw new CardError('FINANCIAL_APPLICATION_BLOCKED', 'the UnionPay application is blocked (SELECT answered 6283)', '6283');
    throw new CardError('NO_FINANCIAL_APPLICATION', 'no UnionPay (PBOC) application on this card');
  }

  /** The financial summary (docs/financial.md): records path by default, GPO path on request or refusal. */
  async read(options: FinancialReadOptions = {}): Promise<FinancialRead> {
    const { application, fci } = await this.selectApplication();
    const warnings: FinancialWarning[] = [];
    let objects: BerTlv[] = [];
    let path: 'records' | 'gpo' = 'records';
    let gpoReason: FinancialRead['gpoReason'];
    let gpoFormat: 1 | 2 | undefined;
    if (options.gpo) gpoReason = 'requested';
    else {
      const scan = await this.scanRecords(fci.logEntry?.sfi ?? null);
      objects = scan.objects;
      if (scan.refused) gpoReason = 'records-refused';
      else if (!objects.some((o) => o.tag === 0x5a || o.tag === 0x57)) gpoReason = 'no-pan-in-records';
      // A strict card accepts GPO only right after SELECT (EMV Book 3 §10.1): select the AID again.
      if (gpoReason) await this.reselect(application.aid);
    }
    if (gpoReason) {
      path = 'gpo';
      const gpo = await this.processingOptions(fci);
      gpoFormat = gpo.format;
      objects = [...(await this.readAfl(gpo)), ...gpo.others];
    }
    const getData = new Map<string, Uint8Array>();
    for (const g of this.spec.getData.filter((x) => x.defaultRead)) {
      const v = parseGetData(await this.channel.send(buildGetData(tagNumber(g.tag))), tagNumber(g.tag));
      if (v) getData.set(g.tag, v);
    }
    const logFormat = getData.get('9F4F') ?? null;
    const transactions = await this.readLog(fci, logFormat, warnings);
    return decodeFinancial({ application, path, ...(gpoReason ? { gpoReason } : {}), ...(gpoFormat ? { gpoFormat } : {}), objects, getData, transactions, logFormat, warnings }, this.spec, { reveal: options.reveal === true });
  }

  /** The ATC by GET DATA 9F36 (no side effect; null when the card does not tell). Selects first. */
  async readAtc(): Promise<number | null> {
    await this.selectApplication();
    const v = parseGetData(await this.channel.send(buildGetData(0x9f36)), 0x9f36);
    return v === null ? null : v.reduce((n, b) => n * 256 + b, 0);
  }

  /** SELECT of the already chosen AID (no directory this time). */
  private async reselect(aid: string): Promise<void> {
    const r = parseSelectByName(await this.channel.send(buildSelectByName(fromHex(aid))), `AID ${aid}`);
    if (r.status !== 'selected') throw new CardError('UNEXPECTED_STATUS', `AID ${aid} could be selected a moment ago, now SELECT answers ${r.status}`);
  }

  private async readDirectory(sfi: number): Promise<DirectoryEntry[]> {
    const out: DirectoryEntry[] = [];
    for (let rec = 1; rec <= MAX_DIRECTORY_RECORDS; rec++) {
      const r = parsePbocRecord(await this.channel.send(buildPbocReadRecord(sfi, rec)), `directory SFI ${sfi} record ${rec}`);
      if (r.status !== 'record') break;
      out.push(...parseDirectoryRecord(r.template));
    }
    return out;
  }

  /** SFI scan of the default read (spec `recordScan`); `refused` as soon as one record needs GPO. */
  private async scanRecords(logSfi: number | null): Promise<{ objects: BerTlv[]; refused: boolean }> {
    const scan = this.spec.recordScan;
    const objects: BerTlv[] = [];
    const want = scan.stopWhenFound.map(tagNumber);
    for (let sfi = scan.sfiFrom; sfi <= scan.sfiTo; sfi++) {
      if (sfi === logSfi) continue;
      for (let rec = 1; rec <= scan.maxRecordsPerSfi; rec++) {
        const r = parsePbocRecord(await this.channel.send(buildPbocReadRecord(sfi, rec)), `SFI ${sfi} record ${rec}`);
        if (r.status === 'refused') return { objects, refused: true };
        if (r.status !== 'record') break;
        objects.push(...primitives(r.template.children));
      }
      if (want.every((t) => objects.some((o) => o.tag === t))) break;
    }
    return { objects, refused: false };
  }

  private async processingOptions(fci: ApplicationFci): Promise<ProcessingOptions> {
    const pdol = fci.pdol ? parseDol(fci.pdol, 'PDOL (9F38)') : [];
    return parseGetProcessingOptions(await this.channel.send(buildGetProcessingOptions(buildDolData(pdol, this.spec, this.terminal))));
  }

  /** READ RECORD of every AFL entry (EMV Book 3 §10.2). */
  private async readAfl(gpo: ProcessingOptions): Promise<BerTlv[]> {
    const objects: BerTlv[] = [];
    for (const e of gpo.afl) {
      for (let rec = e.first; rec <= e.last; rec++) {
        const what = `AFL SFI ${e.sfi} record ${rec}`;
        const r = parsePbocRecord(await this.channel.send(buildPbocReadRecord(e.sfi, rec)), what);
        if (r.status !== 'record') throw new CardError('UNEXPECTED_STATUS', `${what}: listed in the AFL but the card answered ${r.status === 'refused' ? r.sw : r.status}`);
        objects.push(...primitives(r.template.children));
      }
    }
    return objects;
  }

  /** The transaction log (9F4D SFI and count, 9F4F layout): records 1.. until 6A83. */
  private async readLog(fci: ApplicationFci, format: Uint8Array | null, warnings: FinancialWarning[]): Promise<FinancialTransaction[]> {
    if (!fci.logEntry) return [];
    if (!format) {
      warnings.push({ code: 'LOG_FORMAT_MISSING', field: 'transactions', message: 'the card names a log (9F4D) but gives no log format (9F4F)' });
      return [];
    }
    const decoder = logDecoder(parseDol(format, 'log format (9F4F)'), this.spec);
    const out: FinancialTransaction[] = [];
    const count = Math.min(fci.logEntry.count, this.spec.maxLogRecords);
    for (let rec = 1; rec <= count; rec++) {
      const data = parseLogRecord(await this.channel.send(buildPbocReadRecord(fci.logEntry.sfi, rec)), `log SFI ${fci.logEntry.sfi} record ${rec}`);
      // Unused log slots read as all zeros on some cards: the log ends there.
      if (data === 'end' || data.every((b) => b === 0)) break;
      out.push(decoder.decode(data, rec));
    }
    return out;
  }
}

export { tagHex };
