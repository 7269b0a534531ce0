import { describe, expect, it } from 'vitest';
import { apduStack } from '../../../../src/apdu/apdu-stack.js';
import type { Transmitter } from '../../../../src/apdu/transmitter.js';
import { SocialSecuritySession } from '../../../../src/cards/social-security/social-security-session.js';
import { createSimulatedCard } from '../../../../simulators/create-card.js';
import { pin, rejection, softKeys } from './pin-helpers.js';

/**
 * docs/pin.md: every array that carried PIN material on the way to the card is zero-filled once
 * the command was sent, also when the card refuses it. This transmitter keeps the very arrays it
 * was given (no copy), so the test sees what stays in memory.
 */
class KeepArrays implements Transmitter {
  /** INS noted at send time (the array itself is expected to be zeroed afterwards). */
  readonly sent: { ins: number; bytes: Uint8Array }[] = [];
  private readonly card = createSimulatedCard('demo');
  constructor() {
    this.card.powerOn();
  }
  async transmit(command: Uint8Array): Promise<Uint8Array> {
    this.sent.push({ ins: command[1]!, bytes: command });
    return this.card.execute(command);
  }
  byIns(ins: number): Uint8Array[] {
    return this.sent.filter((c) => c.ins === ins && c.bytes.length > 5).map((c) => c.bytes);
  }
}

const allZero = (a: Uint8Array) => a.every((b) => b === 0);

describe('PIN material is wiped after sending', () => {
  it('VERIFY, on success and on a wrong PIN', async () => {
    const wire = new KeepArrays();
    const s = new SocialSecuritySession(apduStack(wire));
    await s.verifyPin(pin('123456'));
    expect((await rejection(s.verifyPin(pin('654321')))).code).toBe('WRONG_PIN');
    const verifies = wire.byIns(0x20);
    expect(verifies).toHaveLength(2);
    expect(verifies.every(allZero)).toBe(true);
  });

  it('CHANGE PIN', async () => {
    const wire = new KeepArrays();
    const s = new SocialSecuritySession(apduStack(wire));
    await s.changePin(pin('123456'), pin('135790'));
    const changes = wire.byIns(0x5e);
    expect(changes).toHaveLength(1);
    expect(allZero(changes[0]!)).toBe(true);
  });

  it('PIN RELOAD (enciphered PIN + MAC)', async () => {
    const wire = new KeepArrays();
    const s = new SocialSecuritySession(apduStack(wire), { atr: createSimulatedCard('demo').atr() });
    await s.reloadPin(softKeys(), pin('135790'));
    const reloads = wire.byIns(0x24);
    expect(reloads).toHaveLength(1);
    expect(allZero(reloads[0]!)).toBe(true);
  });
});
