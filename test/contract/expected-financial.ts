import type { CardProfile } from '../../simulators/profile-schema.js';

/**
 * The financial summary a reader must report for a simulator profile, worked out from the
 * profile's human values (not from the simulator's encoders): masked PAN 6 + 4, ISO dates,
 * the name joined from 5F20 / 9F0B, fen, the log newest first.
 */
export function expectedFinancial(p: CardProfile, options: { reveal?: boolean } = {}) {
  const f = p.pboc!;
  const pan = f.account.pan;
  const ext = f.account.holderNameExtended;
  return {
    pan: options.reveal ? pan : `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`,
    panSequenceNumber: f.account.panSequenceNumber,
    expiryDate: f.account.expiryDate,
    effectiveDate: f.account.effectiveDate,
    holderName: ext ?? f.account.holderName,
    holderIdNumber: f.account.holderIdNumber ?? null,
    ecBalanceFen: f.ecBalanceFen ?? null,
    ecLimitFen: f.ecLimitFen ?? null,
    ecSingleLimitFen: f.ecSingleLimitFen ?? null,
    transactions: (f.logFormat ? (f.log ?? []) : []).map((t) => ({ date: t.date, time: t.time, amountFen: t.amountFen })),
    path: f.recordsNeedGpo ? 'gpo' : 'records',
    aid: [...f.applications].sort((a, b) => (a.priority ?? 16) - (b.priority ?? 16))[0]!.aid,
    selectedVia: f.directories.includes('pse') ? 'pse' : 'aid-list',
  };
}

/** The same fields picked from a read, for one `toEqual`. */
export function financialSummary(r: {
  pan: string | null;
  panSequenceNumber: string | null;
  expiryDate: string | null;
  effectiveDate: string | null;
  holderName: string | null;
  holderIdNumber: string | null;
  ecBalanceFen: number | null;
  ecLimitFen: number | null;
  ecSingleLimitFen: number | null;
  transactions: readonly { date: string | null; time: string | null; amountFen: number | null }[];
  path: string;
  application: { aid: string; selectedVia: string };
}) {
  return {
    pan: r.pan,
    panSequenceNumber: r.panSequenceNumber,
    expiryDate: r.expiryDate,
    effectiveDate: r.effectiveDate,
    holderName: r.holderName,
    holderIdNumber: r.holderIdNumber,
    ecBalanceFen: r.ecBalanceFen,
    ecLimitFen: r.ecLimitFen,
    ecSingleLimitFen: r.ecSingleLimitFen,
    transactions: r.transactions.map((t) => ({ date: t.date, time: t.time, amountFen: t.amountFen })),
    path: r.path,
    aid: r.application.aid,
    selectedVia: r.application.selectedVia,
  };
}

/** The PBOC profiles of the simulator. */
export const PBOC_PROFILES = ['demo', 'pboc-gpo-format1', 'pboc-needs-gpo', 'pboc-no-pse', 'pboc-empty-log'] as const;
