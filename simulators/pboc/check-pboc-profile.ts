import type { PbocSpec } from '../../src/specs/pboc-spec-schema.js';
import type { ProfileIssue } from '../encode-profile.js';
import { applicationFci, applicationRecords, dolEntries, logRecord } from './encode-pboc.js';
import type { PbocProfile } from './pboc-profile-schema.js';

/**
 * Runs the financial encoders over a profile's `pboc` section and returns what does not fit
 * (GBK names longer than the tag allows, DOLs that are cut off, GBK-unencodable text), with the
 * profile path, for the schema to report as `file: entry: message`.
 */
export function checkPbocProfile(p: PbocProfile, spec: PbocSpec): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const attempt = (path: (string | number)[], f: () => unknown) => {
    try {
      f();
    } catch (e) {
      issues.push({ path: ['pboc', ...path], message: (e as Error).message });
    }
  };
  attempt(['account'], () => applicationRecords(p));
  p.applications.forEach((a, i) => attempt(['applications', i], () => applicationFci(a, p)));
  if (p.pdol) attempt(['pdol'], () => dolEntries(p.pdol!));
  if (p.logFormat) {
    attempt(['logFormat'], () => dolEntries(p.logFormat!));
    (p.log ?? []).forEach((e, i) => attempt(['log', i], () => logRecord(e, p.logFormat!, spec)));
  } else if (p.log && p.log.length > 0) issues.push({ path: ['pboc', 'log'], message: 'a log needs a logFormat' });
  const aids = new Set<string>();
  p.applications.forEach((a, i) => {
    if (aids.has(a.aid)) issues.push({ path: ['pboc', 'applications', i, 'aid'], message: `duplicate AID ${a.aid}` });
    aids.add(a.aid);
  });
  return issues;
}
