import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apduStack } from '../src/apdu/apdu-stack.js';
import { TranscriptRecorder } from '../src/apdu/transcript-recorder.js';
import { SocialSecuritySession } from '../src/cards/social-security/social-security-session.js';
import { InProcessTransport, simulatedReader } from '../src/transport/in-process/in-process-transport.js';
import { createSimulatedCard } from '../simulators/create-card.js';
import { listProfiles } from '../simulators/load-profile.js';

/**
 * Records one full SSSE read per simulated profile into test/transcripts/recorded/ (the replay
 * transport of the contract suite). Run after a deliberate change of the reader's command
 * sequence: `npm run build && node dist/scripts/record-transcripts.js`. Profiles hold synthetic
 * people only, and PIN commands are masked by the recorder.
 */
const outDir = join(process.argv[2] ?? 'test/transcripts/recorded');
mkdirSync(outDir, { recursive: true });
for (const p of listProfiles()) {
  const recorder = new TranscriptRecorder();
  const transport = new InProcessTransport(createSimulatedCard(p.id), simulatedReader(p.id));
  await new SocialSecuritySession(apduStack(transport, { recorder })).read();
  const header = [
    `Full SSSE read of simulated profile "${p.id}" (synthetic person), recorded by scripts/record-transcripts.ts.`,
    `Behaviour: SELECT ${p.behaviour.selectResponse}, Le=00 -> ${p.behaviour.leZero}, read-to-end ${p.behaviour.readToEnd ? 'supported' : 'refused'}.`,
  ];
  writeFileSync(join(outDir, `${p.id}.transcript`), recorder.toText(header));
  process.stderr.write(`recorded ${p.id}: ${recorder.exchanges.length} exchanges\n`);
}
