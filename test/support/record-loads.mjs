// `node --import test/support/record-loads.mjs ...`: appends the URL of every ES module the process
// loads to the file $SSCARD_TEST_LOAD_LOG (the hooks run on the loader thread, which shares the
// environment). For tests of what a process does not load (docs/performance.md, "Memory").
import { register } from 'node:module';

register(new URL('./record-loads-hooks.mjs', import.meta.url));
