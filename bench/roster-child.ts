/**
 * One roster check in a fresh process, for the bench's peak-memory figure: prints
 * `{"rows":N,"maxRssKb":M}` (maxRSS of this process from getrusage). With `--baseline` it only
 * loads the same modules and reads nothing, so the difference is what the check itself holds.
 */
import { checkRoster } from '../src/collect/check-roster.js';

const [path, mode] = process.argv.slice(2);
let rows = 0;
if (mode !== '--baseline' && path) rows = (await checkRoster(path)).summary.rows;
process.stdout.write(`${JSON.stringify({ rows, maxRssKb: process.resourceUsage().maxRSS })}\n`);
