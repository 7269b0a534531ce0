import { blockApplication } from '../cards/social-security/blocks/block-operations.js';
import { reloadPin, unblockPin } from '../cards/social-security/pin/counter-pin-operations.js';
import { changePin, queryPinStatus, verifyPin } from '../cards/social-security/pin/pin-operations.js';
import { SocialSecuritySession } from '../cards/social-security/social-security-session.js';
import type { KeyService } from '../keys/key-service.js';
import { MasterKeySet } from '../keys/soft/master-key-set.js';
import { SoftKeyService } from '../keys/soft/soft-key-service.js';
import type { CardService, OperationContext } from '../service/card-service.js';
import { identityFromCard, type CardIdentity } from '../status/card-identity.js';
import { parseOperatorContext } from '../status/status-policy.js';
import type { CardStatusRegistry, CardUsePurpose } from '../status/card-status-registry.js';
import type { ReaderInfo } from '../transport/reader-info.js';
import type { DaemonConfig } from './daemon-config.js';
import type { OperatorContext, PinOperations } from './pin-operations.js';
import { WireError } from './wire-error.js';
import { wireReader } from './wire-reader.js';

/**
 * The PIN and block operations of src/cards/social-security (pin/, blocks/) over the card service:
 * one queued, exclusive card operation each. Before any PIN command the card is identified (EF05)
 * and the status registry's `assertUsable` runs (CARD_LOCKED for locked cards, docs/status.md R8);
 * counter operations are audited (`recordPinEvent`, `recordChipBlock`).
 */
export function createPinOperations(
  service: CardService,
  registry: CardStatusRegistry | null,
  keysConfig: DaemonConfig['counterKeys'] = { allowTestKeys: false },
): PinOperations {
  const run = <T>(label: string, reader: string | undefined, signal: AbortSignal, body: (s: SocialSecuritySession, op: OperationContext) => Promise<T>) =>
    service.run({ label, reader, signal }, (op) => body(new SocialSecuritySession(op.stack, { atr: op.transport.atr }), op));
  const usable = async (s: SocialSecuritySession, purpose: CardUsePurpose): Promise<CardIdentity> => {
    if (!registry) throw new WireError('STATUS_UNAVAILABLE');
    const card = await s.cardData();
    const identity = identityFromCard(card);
    await registry.assertUsable(identity, purpose);
    return identity;
  };
  const keysFor = (reader: ReaderInfo): KeyService => {
    const set = keysConfig.keysFile ? MasterKeySet.fromFile(keysConfig.keysFile) : MasterKeySet.testKeys();
    return new SoftKeyService(set, { allowTestKeys: reader.simulated || keysConfig.allowTestKeys });
  };
  const auditable = (ctx: OperatorContext) => {
    if (!registry) throw new WireError('STATUS_UNAVAILABLE');
    return { reg: registry, ctx: parseOperatorContext({ site: ctx.site, operator: ctx.operator }) };
  };
  const ok = (reader: ReaderInfo) => ({ reader: wireReader(reader), ok: true as const });

  return {
    status: (o) =>
      run('pin.status', o.reader, o.signal, async (s, op) => {
        const st = await queryPinStatus(s);
        return { reader: wireReader(op.info.reader), triesLeft: st.state === 'blocked' ? 0 : st.triesLeft, blocked: st.state === 'blocked' };
      }),

    verify: (o) =>
      run('pin.verify', o.reader, o.signal, async (s, op) => {
        await usable(s, 'pin-verify');
        await verifyPin(s, o.pin, { confirmLastTry: o.confirmLastTry });
        return ok(op.info.reader);
      }),

    change: (o) =>
      run('pin.change', o.reader, o.signal, async (s, op) => {
        await usable(s, 'pin-change');
        // Issuers tell holders not to use their birth date: EF06 is free to read on 1.0/2.0 cards
        // (a 3.0 card without RKSSSE keys here gives no birth date, and the check is skipped).
        const holder = await s.readHolder();
        const birthDate = holder.status === 'read' ? holder.data.birthDate : null;
        await changePin(s, o.oldPin, o.newPin, { confirmLastTry: o.confirmLastTry, birthDate });
        return ok(op.info.reader);
      }),

    // Counter operations: the audit context is checked before the card is touched, and the audit
    // row is written inside the card operation right after the changing command, so neither a
    // missing site nor a requester that goes away (abort race in CardService.run) can leave a
    // changed chip without its audit entry.
    reset: (o) => {
      const { reg, ctx } = auditable(o.operatorContext);
      return run('pin.reset', o.reader, o.signal, async (s, op) => {
        const identity = await usable(s, 'pin-reset');
        await reloadPin(s, keysFor(op.info.reader), o.newPin);
        await reg.recordPinEvent(identity, 'pin-reset', ctx);
        return ok(op.info.reader);
      });
    },

    unblock: (o) => {
      const { reg, ctx } = auditable(o.operatorContext);
      return run('pin.unblock', o.reader, o.signal, async (s, op) => {
        const identity = await usable(s, 'pin-unblock');
        await unblockPin(s, keysFor(op.info.reader));
        await reg.recordPinEvent(identity, 'pin-unblock', ctx);
        return ok(op.info.reader);
      });
    },

    blockApplication: (o) => {
      const { reg, ctx } = auditable(o.operatorContext);
      return run('card.block', o.reader, o.signal, async (s, op) => {
        const card = await s.cardData();
        const identity = identityFromCard(card);
        await blockApplication(s, keysFor(op.info.reader), { confirm: o.confirm, confirmAgain: o.cardNumber });
        return { status: await reg.recordChipBlock(identity, '9303', ctx) };
      });
    },
  };
}
