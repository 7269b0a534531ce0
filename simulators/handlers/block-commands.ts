import { decodeCommand, type CommandApdu } from '../../src/apdu/command-apdu.js';
import type { CardOs } from '../card-os.js';
import type { DedicatedFile } from '../file-system.js';
import { INS, type CommandFilter, type InstructionHandler, type Reply } from '../instruction.js';
import { SW } from '../status.js';
import { checkMac, MAC_LENGTH, requireApplication, roleKey, type SecurityContext } from './security-context.js';

/**
 * APPLICATION BLOCK `84 1E 00 01 04 mac` (docs/reference/card-spec.md §3, security profile step 10), BK role, MAC
 * over a 4-byte challenge of the previous command: 9000, then the application is blocked for
 * good (see `applicationBlockFilter`). P1-P2 not 0001 -> 6A86; SSSE not current -> 6A88;
 * algorithm 02 -> 6A81; data not 4 bytes -> 6700; 6984 / 6988 as for every MAC.
 */
export function applicationBlock(ctx: SecurityContext): InstructionHandler {
  return (command, card) => {
    if (command.p1 !== 0x00 || command.p2 !== 0x01) return { sw: SW.INCORRECT_P1P2 };
    const notHere = requireApplication(card, ctx);
    if (notHere !== undefined) return { sw: notHere };
    return blockWithMac(command, ctx, () => ctx.secrets.blockApplication());
  };
}

/**
 * CARD BLOCK `84 16 00 00 04 mac` (docs/reference/card-spec.md §3, step 10), BK role: 9000, then every command
 * answers 6A81 for good (`cardBlockFilter`). Works in any DF (the card, not an application, is
 * blocked). P1-P2 not 0000 -> 6A86; algorithm 02 -> 6A81; data not 4 bytes -> 6700; 6984 / 6988.
 */
export function cardBlock(ctx: SecurityContext): InstructionHandler {
  return (command) => {
    if (command.p1 !== 0 || command.p2 !== 0) return { sw: SW.INCORRECT_P1P2 };
    return blockWithMac(command, ctx, () => ctx.secrets.blockCard());
  };
}

/** The MAC-only block commands: BK key, data = the 4-byte MAC, then the block. */
function blockWithMac(command: CommandApdu, ctx: SecurityContext, apply: () => void): Reply {
  const key = roleKey(ctx, 'BK');
  if (typeof key === 'number') return { sw: key };
  if (command.data.length !== MAC_LENGTH) return { sw: SW.WRONG_LENGTH };
  const checked = checkMac(command, ctx, 'BK');
  if (typeof checked === 'number') return { sw: checked };
  apply();
  return { sw: SW.OK };
}

/** After CARD BLOCK every command answers 6A81 (docs/reference/card-spec.md §3). */
export function cardBlockFilter(ctx: SecurityContext): CommandFilter {
  return () => (ctx.secrets.cardBlocked ? { sw: SW.CARD_BLOCKED } : undefined);
}

const SELECT_BY_NAME = 0x04;

/** Whether a DF is the application or lies below it (its sub-applications). */
function within(df: DedicatedFile | undefined, application: DedicatedFile): boolean {
  for (let d = df; d; d = d.parent) if (d === application) return true;
  return false;
}

/**
 * After APPLICATION BLOCK (docs/reference/card-spec.md §3: "later SELECT of SSSE answers 93 03"): SELECT by name of
 * SSSE or of a sub-application under it answers 9303 (nothing is selected); while SSSE (or a DF
 * below it) is still current, every command answers 9303, except a SELECT of the MF (`00 A4 00 00`
 * with no data or 3F00) or of a DF by name outside the application.
 */
export function applicationBlockFilter(ctx: SecurityContext): CommandFilter {
  return (raw: Uint8Array, card: CardOs) => {
    if (!ctx.secrets.applicationBlocked) return undefined;
    const blocked = { sw: SW.APPLICATION_BLOCKED };
    const inside = within(card.state.currentDf, ctx.application);
    if (raw[0] !== 0x00 || raw[1] !== INS.SELECT) return inside ? blocked : undefined;
    let data: Uint8Array;
    try {
      data = decodeCommand(raw).data;
    } catch {
      return inside ? blocked : undefined;
    }
    if (raw[2] === SELECT_BY_NAME) {
      const target = card.fs.dfByName(data);
      return target && within(target, ctx.application) ? blocked : undefined;
    }
    const selectsMf = raw[2] === 0x00 && (data.length === 0 || (data[0] === 0x3f && data[1] === 0x00 && data.length === 2));
    return inside && !selectsMf ? blocked : undefined;
  };
}
