import type { Command } from 'commander';
import type { PhotoReport } from '../../collect/photo-check.js';
import { parseSizeBand, photoRules, type PhotoRules } from '../../collect/photo-rules.js';
import { parseColumnMap } from '../../collect/roster-columns.js';
import { err, out } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { photoTable, progressLine, rosterTable } from '../collect-format.js';

interface PhotoRuleOptions {
  sizeBand?: string;
  minBackgroundLuma?: string;
}

interface CheckOptions extends PhotoRuleOptions {
  photos?: string;
  columns?: string;
  report?: string;
  json?: boolean;
  progress?: boolean;
}

/**
 * `sscard collect check ROSTER` and `sscard collect photo FILE...`: the collection checks before
 * cards are made (docs/collect.md). Exit 0 when nothing is wrong, 1 when a row or photo has an
 * error (warnings alone exit 0), 2 for a file that cannot be read as a roster or photo.
 */
export function registerCollect(program: Command): void {
  const collect = program.command('collect').description('check collection rosters and photos before cards are made (no card needed)');
  addPhotoRuleOptions(
    collect
      .command('check <roster>')
      .description('check a roster (.csv UTF-8/GBK or .xlsx): ID check character, birth date and sex vs ID, GB 3304, GBK name length, address, duplicates, photos'),
  )
    .option('--photos <dir>', 'folder of photos named <ID number>.jpg: each must exist and pass the photo check')
    .option('--columns <map>', 'column map FIELD=HEADER,... (fields: name, ssn, sex, ethnicGroup, birthDate, phone, address; HEADER may be #n)')
    .option('--report <file.xlsx>', 'write an annotated copy of the roster for the clerk')
    .option('--json', 'print JSON instead of a table')
    .option('--progress', 'show a progress bar on stderr (default: when stderr is a terminal)')
    .option('--no-progress', 'no progress bar')
    .action(async (roster: string, opts: CheckOptions) => {
      const rules = rulesFrom(opts);
      const columns = opts.columns ? parseColumnMap(opts.columns) : undefined;
      // Loaded here: the image and spreadsheet libraries must not slow down every other command.
      const { checkRoster } = await import('../../collect/check-roster.js');
      const { xlsxReportSink } = await import('../../collect/roster-report-xlsx.js');
      const report = opts.report ? xlsxReportSink(opts.report) : undefined;
      const showProgress = opts.progress ?? process.stderr.isTTY === true;
      let last = 0;
      const result = await checkRoster(roster, {
        columns,
        photosDir: opts.photos,
        photoRules: rules,
        report,
        onProgress: showProgress
          ? ({ rows, bytesRead, size }) => {
              const now = Date.now();
              if (now - last < 100) return;
              last = now;
              process.stderr.write(progressLine(rows, bytesRead, size));
            }
          : undefined,
      });
      if (showProgress) process.stderr.write(`${progressLine(result.summary.rows, 1, 1)}\n`);
      out(opts.json ? JSON.stringify(result, null, 2) : rosterTable(result));
      if (opts.report) err(`report written to ${opts.report}`);
      if (result.summary.rowsWithErrors > 0) process.exitCode = 1;
    });

  addPhotoRuleOptions(collect.command('photo <files...>').description('check photo files against the national photo rules'))
    .option('--json', 'print JSON instead of a table')
    .action(async (files: string[], opts: PhotoRuleOptions & { json?: boolean }) => {
      const rules = rulesFrom(opts);
      const { checkPhotoFile } = await import('../../collect/photo-check.js');
      const reports: PhotoReport[] = [];
      for (const f of files) reports.push(await checkPhotoFile(f, rules));
      out(opts.json ? JSON.stringify(reports, null, 2) : reports.map(photoTable).join('\n\n'));
      if (reports.some((r) => !r.ok)) process.exitCode = 1;
    });
}

function addPhotoRuleOptions(cmd: Command): Command {
  return cmd
    .option('--size-band <band>', 'photo file size band: national (14-40 KB, default), band-60-80, chip (EF08), or MIN-MAX in KB')
    .option('--min-background-luma <n>', 'lowest mean luma (0-255) of the background strips that counts as light (default 215)');
}

function rulesFrom(opts: PhotoRuleOptions): PhotoRules {
  const overrides: { sizeBytes?: { min: number; max: number }; minBackgroundLuma?: number } = {};
  if (opts.sizeBand) overrides.sizeBytes = parseSizeBand(opts.sizeBand);
  if (opts.minBackgroundLuma !== undefined) {
    const n = Number(opts.minBackgroundLuma);
    if (!Number.isInteger(n) || n < 0 || n > 255) throw new CliError('BAD_ARGUMENT', `--min-background-luma must be an integer 0-255, got "${opts.minBackgroundLuma}"`);
    overrides.minBackgroundLuma = n;
  }
  return photoRules(overrides);
}
