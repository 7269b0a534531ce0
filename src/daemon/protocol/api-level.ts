/**
 * Protocol constants shared by the daemon and the client SDK. No imports: the browser client
 * loads this file as is.
 */

/** Highest API level this build speaks. Raised when methods, params or results change. */
export const API_LEVEL = 2;
/** Lowest API level this build still serves. */
export const MIN_API_LEVEL = 1;
/** Fixed default port of the daemon (127.0.0.1 and ::1 only). */
export const DEFAULT_PORT = 47815;
/** Largest WebSocket message the daemon accepts (bytes); larger ones close the connection (1009). */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** JSON-RPC method name of server -> client event notifications. */
export const EVENT_NOTIFICATION = 'event';

/** Who may call a method: `reader` = HIS / POS pages and local programs; `counter` = card-office staff. */
export type Role = 'reader' | 'counter';
export const ROLES: readonly Role[] = ['reader', 'counter'];

/**
 * A right a reader-role connection can be given on top of its role (an allow-list entry's
 * `"photo": true`, docs/daemon.md): `photo` = may call `card.photo`.
 */
export type Grant = 'photo';

/** True when `have` may call a method that requires `need` (counter includes reader). */
export function roleAllows(have: Role, need: Role): boolean {
  return need === 'reader' || have === 'counter';
}
