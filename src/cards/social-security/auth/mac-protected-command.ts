import { isNormal } from '../../../apdu/status-words.js';
import type { CommandApdu } from '../../../apdu/command-apdu.js';
import type { CardKeyContext } from '../../../keys/card-key-context.js';
import type { KeyService } from '../../../keys/key-service.js';
import type { MacRole } from '../../../keys/key-role.js';
import { securityStatusError } from '../card-status-words.js';
import { buildGetChallenge, buildMacCommand, macInput, type MacCommandHeader } from '../commands/security-commands.js';
import type { SessionAccess } from '../session-access.js';
import { parseChallenge } from './parse-challenge.js';

/**
 * Prepares a CLA 84 command protected by a MAC under `role` (docs/reference/security-profile.md step 7):
 * GET CHALLENGE (4 bytes, used once), the body (if any) from the same challenge — e.g. the
 * enciphered PIN of a reload (step 8) — and the MAC over `84 INS P1 P2 Lc ‖ body`.
 */
export async function prepareMacCommand(
  session: SessionAccess,
  keys: KeyService,
  header: MacCommandHeader,
  role: MacRole,
  body?: (ctx: CardKeyContext, challenge: Uint8Array) => Promise<Uint8Array>,
): Promise<CommandApdu> {
  const ctx = await session.keyContext();
  const challenge = parseChallenge(await session.channel.send(buildGetChallenge(4)), 4);
  const data = body ? await body(ctx, challenge) : new Uint8Array(0);
  const input = macInput(header, data);
  try {
    return buildMacCommand(header, data, await keys.mac(ctx, role, challenge, input));
  } finally {
    // The body can be an enciphered PIN (reload): the command holds its own copy.
    data.fill(0);
    input.fill(0);
  }
}

/** Sends a prepared MAC-protected command; anything but 9000 is the typed security error. */
export async function sendMacCommand(session: SessionAccess, cmd: CommandApdu, name: string): Promise<void> {
  const r = await session.channel.send(cmd);
  if (!isNormal(r.sw)) throw securityStatusError(r.sw, name);
}
