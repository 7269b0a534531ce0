/** The roster fields a collection carries (docs/collect.md "Roster columns"). */
export const ROSTER_FIELDS = ['name', 'ssn', 'sex', 'ethnicGroup', 'birthDate', 'phone', 'address'] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

/** A cell as read: text, a date (XLSX date cells), a number, or empty. */
export type CellValue = string | number | Date | null;

/** The rule names of the roster check (stable: they appear in JSON and in the XLSX report). */
export type RosterRule =
  | 'name-missing'
  | 'name-not-gbk'
  | 'name-needs-extension'
  | 'name-too-long'
  | 'ssn-missing'
  | 'ssn-format'
  | 'ssn-check-digit'
  | 'ssn-duplicate'
  | 'birth-date-format'
  | 'birth-date-mismatch'
  | 'sex-unknown'
  | 'sex-mismatch'
  | 'ethnic-group-unknown'
  | 'address-too-long'
  | 'photo-missing'
  | 'photo-unreadable'
  | 'photo-rule';

export interface RosterFinding {
  /** 1-based row number as the spreadsheet shows it (the header is row 1 when it is the first line). */
  readonly row: number;
  readonly rule: RosterRule;
  /** `warning`: reported, the card can still be made (a long name goes into the 4E extension). */
  readonly severity: 'error' | 'warning';
  readonly field: RosterField | 'photo';
  readonly message: string;
  /** For photo-rule: the photo rule that failed (e.g. `dimensions`). */
  readonly photoRule?: string;
}

export interface RosterSummary {
  readonly file: string;
  readonly format: 'csv' | 'xlsx';
  /** CSV text encoding detected (utf-8 or gb18030 — GBK's superset). */
  readonly encoding?: string;
  readonly rows: number;
  readonly rowsWithErrors: number;
  readonly rowsWithWarnings: number;
  readonly byRule: Readonly<Partial<Record<RosterRule, number>>>;
  /** Fields without a column in the header: their checks were not made. */
  readonly missingColumns: readonly RosterField[];
  readonly photosChecked: number;
}
