import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTranscript } from '../../src/apdu/transcript.js';
import { TranscriptReplayer } from '../../src/apdu/transcript-replayer.js';

export const TRANSCRIPT_DIR = join(import.meta.dirname, '..', 'transcripts');

export function loadTranscript(name: string): TranscriptReplayer {
  const path = join(TRANSCRIPT_DIR, name);
  return new TranscriptReplayer(parseTranscript(readFileSync(path, 'utf8'), name), name);
}
