import { apduChannel, type ApduChannel } from '../../apdu/apdu-channel.js';
import { ApduError } from '../../apdu/apdu-error.js';
import { swHex } from '../../apdu/response-apdu.js';
import { isNormal } from '../../apdu/status-words.js';
import type { Transmitter } from '../../apdu/transmitter.js';
import type { PinBuffer } from '../../core/pin-buffer.js';
import type { CardKeyContext } from '../card-key-context.js';
import { KeyError } from '../key-error.js';
import type { ExternalAuthRole, KeyRole, MacRole, PinRole } from '../key-role.js';
import type { KeyService } from '../key-service.js';
import { challengeR8, diversificationFactors, pinPlainBlock } from '../profile-crypto.js';
import {
  checkPsamStatus,
  cipherAuthValueCommand,
  cipherEncryptCommand,
  cipherMacCommand,
  initForDescryptCommand,
  parseCipherData,
  parseTerminalNumber,
  readTerminalNumberCommand,
  selectPsamCommand,
} from './commands.js';

/**
 * Key service backed by a PSAM in another reader slot (docs/reference/security-profile.md, PSAM table). The
 * transmitter must already carry the processor stack (GET RESPONSE on 61xx etc.). Each operation
 * is one INIT FOR DESCRYPT (with R8) followed by one CIPHER DATA; operations are serialized so
 * two callers never interleave on the PSAM's single session-key register.
 */
export class PsamKeyService implements KeyService {
  readonly kind = 'psam' as const;
  readonly #channel: ApduChannel;
  #queue: Promise<unknown> = Promise.resolve();
  #selected = false;
  #terminalNumber: string | undefined;

  constructor(transmitter: Transmitter) {
    this.#channel = apduChannel(transmitter);
  }

  /** Selects the PSAM and reads its terminal number. */
  static async open(transmitter: Transmitter): Promise<PsamKeyService> {
    const psam = new PsamKeyService(transmitter);
    await psam.terminalNumber();
    return psam;
  }

  /** The PSAM's 12-digit terminal number (read once; the national interface reports it). */
  async terminalNumber(): Promise<string> {
    return this.exclusive(async () => {
      await this.ensureSelected();
      this.#terminalNumber ??= parseTerminalNumber(await this.#channel.send(readTerminalNumberCommand()));
      return this.#terminalNumber;
    });
  }

  async internalAuth(ctx: CardKeyContext, r8: Uint8Array, d8: Uint8Array): Promise<Uint8Array> {
    if (r8.length !== 8) throw new KeyError('BAD_KEY_INPUT', `INTERNAL AUTHENTICATE factor must be 8 bytes, got ${r8.length}`);
    return this.operation(ctx, 'IRK', r8, async () =>
      parseCipherData(await this.#channel.send(cipherAuthValueCommand(d8)), 8, 'CIPHER DATA (auth value)'),
    );
  }

  async externalAuth(ctx: CardKeyContext, role: ExternalAuthRole, challenge: Uint8Array, d8: Uint8Array): Promise<Uint8Array> {
    return this.operation(ctx, role, challenge, async () =>
      parseCipherData(await this.#channel.send(cipherAuthValueCommand(d8)), 8, 'CIPHER DATA (auth value)'),
    );
  }

  async mac(ctx: CardKeyContext, role: MacRole, challenge: Uint8Array, input: Uint8Array): Promise<Uint8Array> {
    return this.operation(ctx, role, challenge, async () =>
      parseCipherData(await this.#channel.send(cipherMacCommand(input)), 4, 'CIPHER DATA (MAC)'),
    );
  }

  async encryptPin(ctx: CardKeyContext, role: PinRole, challenge: Uint8Array, pin: PinBuffer): Promise<Uint8Array> {
    return this.operation(ctx, role, challenge, async () => {
      const plain = pinPlainBlock(ctx.algorithmId, pin);
      const cmd = cipherEncryptCommand(plain);
      try {
        return parseCipherData(await this.#channel.send(cmd), plain.length, 'CIPHER DATA (encrypt)');
      } finally {
        plain.fill(0);
        cmd.data.fill(0);
      }
    });
  }

  /** INIT FOR DESCRYPT for (role, card, challenge), then `cipher`; one at a time. */
  private operation(ctx: CardKeyContext, role: KeyRole, challenge: Uint8Array, cipher: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const factors = diversificationFactors(ctx.regionCode, ctx.atrHistorical);
    const r8 = challengeR8(challenge);
    return this.exclusive(async () => {
      await this.ensureSelected();
      checkPsamStatus(await this.#channel.send(initForDescryptCommand(role, ctx.algorithmId, factors, r8)), 'INIT FOR DESCRYPT');
      return cipher();
    });
  }

  private async ensureSelected(): Promise<void> {
    if (this.#selected) return;
    const response = await this.#channel.send(selectPsamCommand());
    if (!isNormal(response.sw)) {
      throw new KeyError('PSAM_NOT_FOUND', `SELECT PSAM (D15600000590) answered ${swHex(response.sw)}`, { sw: swHex(response.sw) });
    }
    this.#selected = true;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run.catch((e: unknown) => {
      // A transport failure may have reset the PSAM: select again next time.
      if (!(e instanceof KeyError) || e.code === 'PSAM_ERROR') this.#selected = false;
      if (e instanceof ApduError) throw new KeyError('PSAM_ERROR', `PSAM: ${e.message}`, { sw: e.swHex }, { cause: e });
      throw e;
    });
  }
}
