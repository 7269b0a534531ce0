import { postgresMissingReason } from '../../scripts/private-postgres.js';

export { GRANTS, migrateAndGrant, postgresBinDir, postgresMissingReason, startTestPostgres, type TestPostgres } from '../../scripts/private-postgres.js';

/**
 * For test files: undefined when a server can be started; otherwise, outside CI, the reason
 * (printed, the suite is skipped visibly); in CI (CI=true) a missing server throws: never a silent skip.
 */
export function postgresSkipReason(): string | undefined {
  const why = postgresMissingReason();
  if (!why) return undefined;
  if (process.env.CI === 'true') throw new Error(`CI=true and no PostgreSQL server can be started: ${why}`);
  console.warn(`SKIPPED (PostgreSQL): ${why}`);
  return why;
}
