import { describe, expect, it } from 'vitest';
import { apduStack } from '../../src/apdu/apdu-stack.js';
import type { Transmitter } from '../../src/apdu/transmitter.js';
import { WireCounter } from '../../src/apdu/wire-counter.js';
import { SocialSecuritySession } from '../../src/cards/social-security/social-security-session.js';
import { listProfiles, loadProfile } from '../../simulators/load-profile.js';
import { expectedCard, expectedHolder, holderNeedsAuth } from './expected-from-profile.js';

/** A transport under contract: opens a connection to a card carrying the given profile. */
export interface ContractTransport {
  readonly name: string;
  open(profileId: string): Promise<{ transmitter: Transmitter; close(): Promise<void> }>;
}

/**
 * The one social-security read contract: the same assertions for every transport —
 * in-process simulator, transcript replay, real pcscd + vpcd + simulator.
 */
export function ssseReadContract(transport: ContractTransport): void {
  describe(`SSSE read contract over ${transport.name}`, () => {
    for (const summary of listProfiles()) {
      it(`${summary.id}: reads exactly the profile's data with the fewest APDUs`, async () => {
        const profile = loadProfile(summary.id);
        const { transmitter, close } = await transport.open(summary.id);
        try {
          const wire = new WireCounter(transmitter);
          const read = await new SocialSecuritySession(apduStack(wire)).read();
          expect(read.card).toEqual(expectedCard(profile));
          if (holderNeedsAuth(profile)) {
            expect(read.holder).toEqual({ status: 'needs-authentication', sw: '6982' });
          } else {
            expect(read.holder.status).toBe('read');
            if (read.holder.status === 'read') expect(read.holder.data).toMatchObject(expectedHolder(profile));
          }
          expect(read.application.algorithm.id).toBe(profile.algorithm);
          if (profile.behaviour.readToEnd) {
            // select + EF05 + EF06, plus GET RESPONSE when SELECT answers 61xx
            expect(wire.apdus).toBe(3 + (profile.behaviour.selectResponse === '61xx' ? 1 : 0));
          } else {
            expect(wire.apdus).toBeGreaterThan(3); // record by record, still a full read
          }
        } finally {
          await close();
        }
      });
    }
  });
}
