import type { CardStatus } from '../service/domain-types.js';

/** Words counter staff see for each status kind (shared by `sscard status` and `sscard read`). */
export const STATUS_LABEL: Record<CardStatus['kind'], string> = {
  normal: 'normal',
  'temporarily-locked': 'TEMPORARILY LOCKED (loss reported)',
  'formally-locked': 'FORMALLY LOCKED (loss reported)',
  'replacement-requested': 'LOST, REPLACEMENT REQUESTED (can no longer be released)',
  cancelled: 'CANCELLED',
  'blocked-on-chip': 'BLOCKED ON THE CHIP (permanent)',
};

/** Instants shown in China Standard Time (UTC+8, no daylight saving); JSON keeps UTC ISO. */
export function china(iso: string): string {
  return `${new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')} +08:00`;
}

/** One line for the read table: the registry's verdict, with the end of a temporary lock. */
export function statusLine(s: CardStatus): string {
  const parts = [s.until ? `${STATUS_LABEL[s.kind]} until ${china(s.until)}` : STATUS_LABEL[s.kind]];
  if (s.since) parts.push(`since ${china(s.since)} at ${s.site}`);
  for (const b of s.chipBlocks) parts.push(`chip: ${b.block} blocked (SW ${b.sw})`);
  if (s.kind === 'normal' && s.expiredLock?.until) parts.push(`temporary lock ended ${china(s.expiredLock.until)}`);
  return parts.join('; ');
}
