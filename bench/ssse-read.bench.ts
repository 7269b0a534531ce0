import { apduStack } from '../src/apdu/apdu-stack.js';
import { SocialSecuritySession } from '../src/cards/social-security/social-security-session.js';
import { InProcessTransport, simulatedReader } from '../src/transport/in-process/in-process-transport.js';
import { createSimulatedCard } from '../simulators/create-card.js';
import { listProfiles, loadProfile } from '../simulators/load-profile.js';
import { fmt, rate, WireCounter } from './measure.js';

/**
 * Issue #2 figures: per profile, APDUs and bytes on the wire of one full SSSE read (fast path =
 * read-to-end profiles, fallback = record by record), and in-process reads per second as a
 * ratio against a baseline measured in the same run: the same APDU sequence replayed straight
 * into the card OS (no session, no processors, no decoding).
 */
export async function benchSsseRead(): Promise<string[]> {
  const lines = ['## Full SSSE read, in process', '', '| profile | path | APDUs | bytes sent | bytes received | reads/s | raw replay/s | session ÷ raw replay (time) |', '|---|---|---|---|---|---|---|---|'];
  for (const p of listProfiles()) {
    const profile = loadProfile(p.id);
    const transport = new InProcessTransport(createSimulatedCard(p.id), simulatedReader(p.id));
    const wire = new WireCounter(transport);
    await new SocialSecuritySession(apduStack(wire)).read();
    const sequence = wire.commands;
    // One card per profile; each read is a fresh connection (power-on resets volatile state).
    const card = createSimulatedCard(p.id);
    const session = await rate(async () => {
      const t = new InProcessTransport(card, simulatedReader(p.id));
      await new SocialSecuritySession(apduStack(t)).read();
    });
    const raw = await rate(async () => {
      card.powerOn();
      for (const c of sequence) card.execute(c);
    });
    const path = profile.behaviour.readToEnd ? 'fast (read to end)' : 'fallback (per record)';
    lines.push(
      `| ${p.id} | ${path} | ${wire.apdus} | ${wire.sent} | ${wire.received} | ${fmt(session.perSecond, 0)} | ${fmt(raw.perSecond, 0)} | ${fmt(raw.perSecond / session.perSecond)} |`,
    );
  }
  return lines;
}
