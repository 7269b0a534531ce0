import { apduStack } from '../src/apdu/apdu-stack.js';
import { PbocSession } from '../src/cards/pboc/pboc-session.js';
import { SocialSecuritySession } from '../src/cards/social-security/social-security-session.js';
import { InProcessTransport, simulatedReader } from '../src/transport/in-process/in-process-transport.js';
import { createSimulatedCard } from '../simulators/create-card.js';
import { fmt, rate, WireCounter } from './measure.js';

const PROFILES = ['demo', 'pboc-gpo-format1', 'pboc-needs-gpo', 'pboc-no-pse', 'pboc-empty-log'];
const REPEATS = 5;

type Kind = 'social' | 'financial' | 'financial --gpo' | 'all';

/** One read of `kind` over a fresh in-process connection (power-on), counted on the wire. */
async function readOnce(id: string, kind: Kind, card = createSimulatedCard(id)): Promise<WireCounter> {
  const wire = new WireCounter(new InProcessTransport(card, simulatedReader(id)));
  const stack = apduStack(wire);
  if (kind === 'financial' || kind === 'all') await new PbocSession(stack).read();
  if (kind === 'financial --gpo') await new PbocSession(stack).read({ gpo: true });
  if (kind === 'social' || kind === 'all') await new SocialSecuritySession(stack).read();
  return wire;
}

/**
 * Issue #10 figures: APDUs and bytes of the financial summary (default path, and with --gpo) and
 * of `read --all` (financial + social on one connection), per PBOC profile; and the time of each
 * as a ratio against the social-only read of the same card measured in the same run, repeated
 * five times (min / median / max of the ratio).
 */
export async function benchPbocRead(): Promise<string[]> {
  const lines = [
    '## Financial (PBOC) read, in process',
    '',
    `| profile | read | path | APDUs | bytes sent | bytes received | time ÷ social read (min / median / max of ${REPEATS}) |`,
    '|---|---|---|---|---|---|---|',
  ];
  for (const id of PROFILES) {
    for (const kind of ['social', 'financial', 'financial --gpo', 'all'] as Kind[]) {
      const wire = await readOnce(id, kind);
      let path = '-';
      if (kind !== 'social') {
        const r = await new PbocSession(apduStack(new InProcessTransport(createSimulatedCard(id), simulatedReader(id)))).read({ gpo: kind === 'financial --gpo' });
        path = r.path;
      }
      const ratios: number[] = [];
      if (kind !== 'social') {
        const card = createSimulatedCard(id);
        for (let i = 0; i < REPEATS; i++) {
          const base = await rate(() => readOnce(id, 'social', card), 200);
          const it = await rate(() => readOnce(id, kind, card), 200);
          ratios.push(base.perSecond / it.perSecond);
        }
        ratios.sort((a, b) => a - b);
      }
      const spread = ratios.length ? `${fmt(ratios[0]!)} / ${fmt(ratios[Math.floor(ratios.length / 2)]!)} / ${fmt(ratios[ratios.length - 1]!)}` : '1 (baseline)';
      lines.push(`| ${id} | ${kind} | ${path} | ${wire.apdus} | ${wire.sent} | ${wire.received} | ${spread} |`);
    }
  }
  return lines;
}
