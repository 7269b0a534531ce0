import { describe, expect, it } from 'vitest';
import { specs } from '../../../src/specs/load-specs.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SW, moreData, wrongLe } from '../../../simulators/status.js';
import { triesLeftSw } from '../../../simulators/card-secrets.js';
import { statusWords } from '../../../src/apdu/status-words.js';
import { ApduError } from '../../../src/apdu/apdu-error.js';
import { checkPsamStatus } from '../../../src/keys/psam/commands.js';
import { ROOT } from '../../support/cli.js';

describe('simulator status words', () => {
  it('each constant is the entry with the same code in apdu-specs/status-words.json', () => {
    const table = new Map(specs().statusWords.map((e) => [e.code, e.sw]));
    for (const [code, sw] of Object.entries(SW)) {
      if (code === 'CARD_BLOCKED') continue;
      expect(table.get(code), code).toBe(sw.toString(16).toUpperCase().padStart(4, '0'));
    }
  });

  it('the card-blocked answer is the one the card layer reads as CARD_BLOCKED (one table for both)', () => {
    expect(specs().commandStatusWords['security command']!.find((e) => e.outcome === 'CARD_BLOCKED')?.sw).toBe(SW.CARD_BLOCKED.toString(16).toUpperCase());
    expect(specs().commandStatusWords['SELECT SSSE']!.find((e) => e.outcome === 'APPLICATION_BLOCKED')?.sw).toBe(SW.APPLICATION_BLOCKED.toString(16));
  });

  it('61xx and 6Cxx', () => {
    expect(moreData(0x1e)).toBe(0x611e);
    expect(moreData(256)).toBe(0x6100);
    expect(wrongLe(0x12)).toBe(0x6c12);
    expect(wrongLe(256)).toBe(0x6c00);
  });

  it('63Cx: the failed-try answer is the VERIFY / EXTERNAL AUTHENTICATE pattern entry with x filled in; none left is BLOCKED', () => {
    expect(triesLeftSw('VERIFY', 2)).toBe(0x63c2);
    expect(triesLeftSw('EXTERNAL AUTHENTICATE', 1)).toBe(0x63c1);
    expect(triesLeftSw('VERIFY', 99)).toBe(0x63cf); // one nibble
    expect(triesLeftSw('VERIFY', 0)).toBe(0x6983);
    expect(triesLeftSw('EXTERNAL AUTHENTICATE', 0)).toBe(statusWords().swOf('EXTERNAL AUTHENTICATE', 'BLOCKED'));
    // and the card layer reads it back as WRONG with the tries left
    expect(statusWords().outcome('VERIFY', triesLeftSw('VERIFY', 3))).toMatchObject({ outcome: 'WRONG', param: 3 });
  });

  it('bad input: swWith refuses a parameter that does not fit the pattern, and a fixed entry', () => {
    expect(() => statusWords().swWith('VERIFY', 'WRONG', 16)).toThrow(ApduError);
    expect(() => statusWords().swWith('VERIFY', 'WRONG', -1)).toThrow(/does not fit 63Cx/);
    expect(() => statusWords().swWith('VERIFY', 'BLOCKED', 1)).toThrow(/no pattern status word for VERIFY BLOCKED/);
  });

  it('PSAM: the simulated PSAM answers and the client reads the same `PSAM command` entries', () => {
    const entries = statusWords();
    const typed = { CONDITIONS_NOT_SATISFIED: 'PSAM_CONDITIONS_NOT_SATISFIED', BAD_PARAMETER: 'PSAM_BAD_PARAMETER', WRONG_LENGTH: 'PSAM_WRONG_LENGTH' } as const;
    expect(() => checkPsamStatus({ sw: entries.swOf('PSAM command', 'OK'), data: new Uint8Array() } as never, 'test')).not.toThrow();
    for (const [outcome, code] of Object.entries(typed)) {
      expect(() => checkPsamStatus({ sw: entries.swOf('PSAM command', outcome), data: new Uint8Array() } as never, 'test'), outcome).toThrow(expect.objectContaining({ code }));
    }
    expect(() => checkPsamStatus({ sw: 0x6f00, data: new Uint8Array() } as never, 'test')).toThrow(expect.objectContaining({ code: 'PSAM_ERROR' }));
  });

  it('no status-word literals left in the try-counter answer, the PSAM client or the simulated PSAM', () => {
    for (const file of ['simulators/card-secrets.ts', 'src/keys/psam/commands.ts', 'src/keys/psam/psam-key-service.ts', 'simulators/psam/psam-instructions.ts']) {
      const code = readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code.match(/0x(6[0-9a-f]{3}|9[0-9a-f]{3})\b/gi), file).toBeNull();
    }
  });
});
