// Loader hooks of record-loads.mjs: one line per loaded module URL.
import { appendFileSync } from 'node:fs';

export async function load(url, context, next) {
  if (process.env.SSCARD_TEST_LOAD_LOG) appendFileSync(process.env.SSCARD_TEST_LOAD_LOG, `${url}\n`);
  return next(url, context);
}
