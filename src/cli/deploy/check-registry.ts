import { probeStatusStore } from '../../compose/deploy-probes.js';
import type { DoctorContext } from './doctor-context.js';
import { fail, pass, type Finding } from './finding.js';

/**
 * The card-status registry answers, and its schema is one this build uses (docs/status.md): the
 * SQLite file, or the region's PostgreSQL named by `SSCARD_STATUS_DB` / `status.db`.
 */
export async function checkRegistry(ctx: DoctorContext): Promise<Finding> {
  try {
    const p = await probeStatusStore(ctx.statusEnv);
    if (!p.exists) return pass('registry', `${p.backend} ${p.location}: not created yet (created on the first lock or status query; schema version ${p.supportedVersion})`);
    const older = p.schemaVersion! < p.supportedVersion ? ` (upgraded to ${p.supportedVersion} on next use)` : '';
    return pass('registry', `${p.backend} ${p.location}: reachable, schema version ${p.schemaVersion}${older}, ${p.cards} card record(s)`);
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'UNKNOWN';
    const message = (e as Error).message;
    if (code === 'BAD_CONFIG') return fail('registry', 'REGISTRY_CONFIG', message, 'fix the status config file (docs/status.md, "Configuration")');
    if (code === 'STORE_VERSION_UNSUPPORTED') return fail('registry', 'REGISTRY_SCHEMA_NEWER', message, 'upgrade sscard on this machine to the version that wrote the registry');
    if (code === 'STORE_SCHEMA_OUTDATED') {
      return fail('registry', 'REGISTRY_SCHEMA_OUTDATED', message, 'an administrator runs `sscard registry migrate` with a role that may create tables (docs/status.md, "Operations"); until then locks and status queries are refused');
    }
    return fail('registry', 'REGISTRY_UNREACHABLE', `the card-status registry cannot be used (${code}): ${message}`, 'check the "status" settings in the config file and that the database is reachable; locks and releases are refused until it is (STATUS_UNAVAILABLE)');
  }
}
