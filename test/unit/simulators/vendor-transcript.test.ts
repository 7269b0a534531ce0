import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../../src/apdu/transcript.js';
import { verifyTranscript } from '../../../src/apdu/transcript-replayer.js';
import type { Transmitter } from '../../../src/apdu/transmitter.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';

const FILE = 'test/transcripts/vendor-style.transcript';

function transmitterOf(card: { execute(c: Uint8Array): Uint8Array }): Transmitter {
  return { transmit: async (command) => card.execute(command) };
}

describe('vendor-style transcript against v1-zhang-san', () => {
  const exchanges = parseTranscript(readFileSync(FILE, 'utf8'), FILE);

  it('replays byte for byte', async () => {
    expect(exchanges.length).toBe(20);
    await verifyTranscript(exchanges, transmitterOf(createSimulatedCard('v1-zhang-san')), FILE);
  });

  it('would catch a different card (v1-empty-version answers other bytes)', async () => {
    await expect(verifyTranscript(exchanges, transmitterOf(createSimulatedCard('v1-empty-version')), FILE)).rejects.toThrow(/TRANSCRIPT|expected <=/);
  });
});
