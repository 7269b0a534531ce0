import { apduStack } from '../../../../src/apdu/apdu-stack.js';
import { TranscriptRecorder } from '../../../../src/apdu/transcript-recorder.js';
import type { Transmitter } from '../../../../src/apdu/transmitter.js';
import { SocialSecuritySession } from '../../../../src/cards/social-security/social-security-session.js';
import { PinBuffer } from '../../../../src/core/pin-buffer.js';
import { toHex } from '../../../../src/core/hex.js';
import { PsamKeyService } from '../../../../src/keys/psam/psam-key-service.js';
import { SoftKeyService } from '../../../../src/keys/soft/soft-key-service.js';
import type { KeyService } from '../../../../src/keys/key-service.js';
import { InProcessTransport, simulatedReader } from '../../../../src/transport/in-process/in-process-transport.js';
import { TransportError } from '../../../../src/transport/transport-error.js';
import type { RandomSource } from '../../../../simulators/card-secrets.js';
import { createSimulatedCard } from '../../../../simulators/create-card.js';
import { createSimulatedPsam } from '../../../../simulators/create-psam.js';
import type { SocialSecurityCardOs } from '../../../../simulators/social-security-card-os.js';

export const pin = (digits: string) => PinBuffer.fromString(digits);

/** Raw commands on the wire, below the processors. */
export class Wire implements Transmitter {
  readonly commands: string[] = [];
  constructor(private readonly inner: Transmitter) {}
  async transmit(command: Uint8Array): Promise<Uint8Array> {
    this.commands.push(toHex(command));
    return this.inner.transmit(command);
  }
}

/**
 * The card executes the command with index `at` but its answer never arrives (pulled while the
 * response was on its way): the worst case for an operation's outcome.
 */
export class LoseAnswerAt implements Transmitter {
  private n = 0;
  constructor(
    private readonly card: SocialSecurityCardOs,
    private readonly at: number,
  ) {}
  async transmit(command: Uint8Array): Promise<Uint8Array> {
    const index = this.n++;
    if (index > this.at) throw new TransportError('CARD_REMOVED', 'card removed');
    const answer = this.card.execute(command);
    if (index === this.at) throw new TransportError('CARD_REMOVED', 'card removed');
    return answer;
  }
}

export interface SimSession {
  readonly card: SocialSecurityCardOs;
  readonly session: SocialSecuritySession;
  readonly wire: Wire;
  readonly recorder: TranscriptRecorder;
}

/** A simulated card of a profile behind the standard stack (recorder + raw wire log). */
export function simSession(profileId: string, options: { random?: RandomSource; pullAtApdu?: number; card?: SocialSecurityCardOs } = {}): SimSession {
  const card = options.card ?? createSimulatedCard(profileId, options.random ? { random: options.random } : {});
  const transport = new InProcessTransport(card, simulatedReader(profileId), { pullAtApdu: options.pullAtApdu });
  const wire = new Wire(transport);
  const recorder = new TranscriptRecorder();
  const session = new SocialSecuritySession(apduStack(wire, { recorder }), { atr: transport.atr });
  return { card, session, wire, recorder };
}

/** A session on an existing card (a new connection, e.g. after a pull). */
export function reconnect(card: SocialSecurityCardOs, profileId: string): SocialSecuritySession {
  card.reset();
  const transport = new InProcessTransport(card, simulatedReader(profileId));
  return new SocialSecuritySession(apduStack(transport), { atr: transport.atr });
}

export const softKeys = (): KeyService => SoftKeyService.withTestKeys();

/** A PsamKeyService over a simulated PSAM plugged in process (its own reader). */
export async function psamKeys(): Promise<KeyService> {
  const psam = new InProcessTransport(createSimulatedPsam(), { id: 'sim:psam', name: 'Simulated PSAM', kind: 'simulated', simulated: true });
  return PsamKeyService.open(apduStack(psam));
}

/** Expected error: resolves the rejection (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Record<string, unknown> & Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Record<string, unknown> & Error,
  );
}
