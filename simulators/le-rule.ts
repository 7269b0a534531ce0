import type { Reply } from './instruction.js';
import type { Behaviour } from './profile-schema.js';
import { SW, wrongLe } from './status.js';

/**
 * The T=0-like Le rule of the card (docs/reference/card-spec.md §2): Le equal to the length of the data -> data
 * and 9000; Le = 00 (Ne 256) -> data and 9000 or `6C xx`, as the profile says; any other Le,
 * or no Le -> `6C xx` with xx the exact length, and the host repeats the command.
 */
export function answerExactLength(data: Uint8Array, ne: number | undefined, leZero: Behaviour['leZero']): Reply {
  if (ne === data.length) return { sw: SW.OK, data };
  if (ne === 256 && leZero === 'data' && data.length <= 256) return { sw: SW.OK, data };
  return { sw: wrongLe(data.length) };
}
