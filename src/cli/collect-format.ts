import type { PhotoReport } from '../collect/photo-check.js';
import type { RosterCheckResult } from '../collect/check-roster.js';
import { columnTable, keyValueTable } from './text-table.js';

/** The roster check as a table: one line per finding, then the counts. */
export function rosterTable(result: RosterCheckResult): string {
  const s = result.summary;
  const lines: string[] = [];
  if (result.findings.length) {
    lines.push(
      columnTable(
        ['行 row', '规则 rule', '字段 field', '说明 message'],
        result.findings.map((f) => [String(f.row), f.photoRule ? `${f.rule}/${f.photoRule}` : f.rule, f.field, `${f.severity === 'warning' ? '(warning) ' : ''}${f.message}`]),
      ),
    );
    lines.push('');
  }
  lines.push(
    keyValueTable([
      [`Roster: ${s.file}`, undefined],
      ['format', s.encoding ? `${s.format} (${s.encoding})` : s.format],
      ['rows', String(s.rows)],
      ['rows with errors', String(s.rowsWithErrors)],
      ['rows with warnings', String(s.rowsWithWarnings)],
      ['photos checked', String(s.photosChecked)],
      ...(s.missingColumns.length ? ([['columns not present (not checked)', s.missingColumns.join(', ')]] as [string, string][]) : []),
      ...Object.entries(s.byRule).map(([rule, n]) => [`  ${rule}`, String(n)] as [string, string]),
    ]),
  );
  return lines.join('\n');
}

/** One photo's findings as a table (pass / FAIL / not checked, measured, limit). */
export function photoTable(r: PhotoReport): string {
  const head = `Photo: ${r.file} (${r.bytes} bytes): ${r.ok ? 'conforms' : `${r.failures.length} rule(s) failed`}`;
  const rows = r.findings.map((f) => [f.rule, f.status === 'fail' ? 'FAIL' : f.status, f.measured === null ? '-' : String(f.measured), f.limit]);
  return `${head}\n${columnTable(['rule', 'result', 'measured', 'limit'], rows)}`;
}

/** A one-line progress bar for stderr (`\r`-rewritten). */
export function progressLine(rows: number, bytesRead: number, size: number, width = 30): string {
  const fraction = size > 0 ? Math.min(1, bytesRead / size) : 0;
  const filled = Math.round(fraction * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%  ${rows} rows`;
}
