/**
 * Events the daemon pushes to subscribed connections (`events.subscribe`), as JSON-RPC
 * notifications `{ "jsonrpc": "2.0", "method": "event", "params": <WireEvent> }`.
 *
 * No personal data, ever: reader id, name, kind and the simulated flag only. The ATR is **not**
 * sent: the historical bytes of social security cards carry a card serial (e.g. the demo card's
 * ATR ends with 12345678), which would let any subscribed page follow a holder from visit to
 * visit. A page that needs to know who the holder is must call `card.read`.
 * No imports: the browser client loads this file as is.
 */
export interface WireReaderInfo {
  readonly id: string;
  readonly name: string;
  readonly kind: 'pcsc' | 'simulated' | 'replay' | 'hid';
  /** True for the built-in simulated reader: always shown as SIMULATED to users. */
  readonly simulated: boolean;
}

export type WireEvent =
  | { readonly type: 'reader-added'; readonly reader: WireReaderInfo }
  | { readonly type: 'reader-removed'; readonly reader: WireReaderInfo }
  | { readonly type: 'card-inserted'; readonly reader: WireReaderInfo }
  | { readonly type: 'card-removed'; readonly reader: WireReaderInfo }
  | { readonly type: 'pin-entry'; readonly reader: WireReaderInfo; readonly message: 'enter the PIN on the reader' }
  | { readonly type: 'service-down' }
  | { readonly type: 'service-up' }
  /** The card-status registry changed this card (any daemon on the same shared database): re-read it. */
  | { readonly type: 'card-status-changed'; readonly cardIdentificationCode: string };

export type WireEventType = WireEvent['type'];

export const EVENTS: Readonly<Record<WireEventType, string>> = {
  'reader-added': 'a reader appeared (`reader`)',
  'reader-removed': 'a reader went away (`reader`)',
  'card-inserted': 'a card was inserted (`reader`; no ATR, no card data)',
  'card-removed': 'a card was removed (`reader`)',
  'pin-entry': 'only to the connection whose `pin.verify` / `pin.change` with `onReader` (or `card.nationalPin` without PIN params) now waits on the reader\'s PIN pad: `reader`, `message` "enter the PIN on the reader" (sent without `events.subscribe`)',
  'service-down': 'the PC/SC service (pcscd) went away; readers may disappear',
  'service-up': 'the PC/SC service is back',
  'card-status-changed':
    'the card-status registry changed a card (lock, release, replacement, cancellation, chip block), made through any daemon on the same shared database: `cardIdentificationCode` only, no personal data; a page showing that card calls `card.read` again',
};
