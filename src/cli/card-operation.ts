import { SocialSecuritySession } from '../cards/social-security/social-security-session.js';
import type { SocialSecurityRead } from '../cards/social-security/social-security-model.js';
import { isTransportFailure, OperationInterruptedError } from '../cards/social-security/operation-interrupted-error.js';
import type { KeyService } from '../keys/key-service.js';
import { identityFromRead, type CardIdentity } from '../status/card-identity.js';
import type { CardStatusRegistry, CardUsePurpose } from '../status/card-status-registry.js';
import { openCardStatusRegistry } from '../status/open-card-status-registry.js';
import { parseOperatorContext, type OperatorContext } from '../status/status-policy.js';
import { STATUS_INPUT_CODES, StatusError } from '../status/status-error.js';
import { err, type TargetOptions } from './cli-context.js';
import { CliError } from './cli-error.js';
import { openKeys, type KeyOptions } from './key-source.js';
import { withTarget } from './open-target.js';

export interface CardOperationOptions extends TargetOptions, KeyOptions {
  site?: string;
  operator?: string;
}

export interface CardOperationContext {
  readonly session: SocialSecuritySession;
  readonly read: SocialSecurityRead;
  readonly identity: CardIdentity;
  readonly keys: KeyService | undefined;
  readonly registry: CardStatusRegistry;
  /** Site and operator (validated before the card is touched) for audit entries; undefined when not asked for. */
  readonly operator: OperatorContext | undefined;
}

/**
 * Composition of one card operation of the CLI (docs/pin.md "CLI"): status registry (and, for
 * audited counter operations, the site/operator checked first), the card, the key service, the
 * identifying read (EF05, EF06 with keys on 3.0), `assertUsable(identity, purpose)`, then `fn`.
 * A transport failure before `fn` reaches its changing command is `not-done`.
 */
export async function runCardOperation<T>(
  name: string,
  opts: CardOperationOptions,
  setup: { purpose: CardUsePurpose; keys: 'required' | 'optional' | 'none'; audited: boolean; changing: boolean },
  fn: (ctx: CardOperationContext) => Promise<T>,
): Promise<T> {
  let opened: ReturnType<typeof openCardStatusRegistry>;
  let operator: OperatorContext | undefined;
  try {
    opened = openCardStatusRegistry({ site: opts.site, operator: opts.operator });
    if (setup.audited) operator = parseOperatorContext({ site: opened.config.site, operator: opened.config.operator });
  } catch (e) {
    if (e instanceof StatusError && STATUS_INPUT_CODES.has(e.code)) throw new CliError('BAD_ARGUMENT', `${e.code}: ${e.message}`);
    throw e;
  }
  const { registry } = opened;
  try {
    return await withTarget(opts, async ({ transport, stack, registry: readers }) => {
      const traffic = opts.traffic ? (line: string) => err(line) : undefined;
      const keySource = setup.keys === 'none' ? undefined : await openKeys(opts, { transport, registry: readers, traffic }, setup.keys === 'required');
      try {
        const session = new SocialSecuritySession(stack, { atr: transport.atr });
        let read: SocialSecurityRead;
        let identity: CardIdentity;
        try {
          read = await session.read({ keys: keySource?.keys });
          identity = identityFromRead(read);
          await registry.assertUsable(identity, setup.purpose);
        } catch (e) {
          if (setup.changing && isTransportFailure(e)) throw new OperationInterruptedError(name, 'not-done', e.code, { cause: e });
          throw e;
        }
        return await fn({ session, read, identity, keys: keySource?.keys, registry, operator });
      } finally {
        await keySource?.close();
      }
    });
  } finally {
    await registry.close();
  }
}
