import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTranscript } from '../../src/apdu/transcript.js';
import { TranscriptReplayer } from '../../src/apdu/transcript-replayer.js';
import { ssseReadContract } from '../contract/ssse-read.contract.js';
import { TRANSCRIPT_DIR } from '../support/transcripts.js';

ssseReadContract({
  name: 'transcript replay',
  async open(profileId) {
    const name = `recorded/${profileId}.transcript`;
    const replayer = new TranscriptReplayer(parseTranscript(readFileSync(join(TRANSCRIPT_DIR, name), 'utf8'), name), name);
    // close() checks that the reader played the whole transcript, in order.
    return { transmitter: replayer, close: async () => replayer.assertComplete() };
  },
});
