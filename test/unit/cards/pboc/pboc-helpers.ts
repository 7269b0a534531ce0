import { apduStack } from '../../../../src/apdu/apdu-stack.js';
import type { Transmitter } from '../../../../src/apdu/transmitter.js';
import { PbocSession, type PbocSessionOptions } from '../../../../src/cards/pboc/pboc-session.js';
import { SocialSecuritySession } from '../../../../src/cards/social-security/social-security-session.js';
import { createSimulatedCard } from '../../../../simulators/create-card.js';
import type { SocialSecurityCardOs } from '../../../../simulators/social-security-card-os.js';

/** The in-process simulator as a transmitter, counting commands and response bytes. */
export function wire(card: SocialSecurityCardOs): Transmitter & { apdus: number; bytes: number } {
  const t = {
    apdus: 0,
    bytes: 0,
    async transmit(c: Uint8Array) {
      const r = card.execute(c);
      t.apdus++;
      t.bytes += c.length + r.length;
      return r;
    },
  };
  return t;
}

export function simulated(id: string) {
  const card = createSimulatedCard(id);
  const t = wire(card);
  const stack = apduStack(t);
  return {
    card,
    wire: t,
    pboc: (options: PbocSessionOptions = {}) => new PbocSession(stack, { terminal: { now: () => new Date('2026-12-01T08:00:00Z'), random: (n) => new Uint8Array(n).fill(0x5a) }, ...options }),
    social: () => new SocialSecuritySession(stack),
  };
}
