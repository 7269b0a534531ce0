import type { ReaderInfo } from '../transport/reader-info.js';
import type { ReaderEvent, ReaderState } from '../transport/reader-monitor.js';
import type { WireEvent, WireReaderInfo } from './protocol/events.js';
import type { WireReaderState } from './protocol/wire-results.js';

/** Reader identity for the wire: id, name, kind, simulated. Never the ATR (see protocol/events.ts). */
export function wireReader(r: ReaderInfo): WireReaderInfo {
  return { id: r.id, name: r.name, kind: r.kind, simulated: r.simulated };
}

export function wireReaderState(s: ReaderState): WireReaderState {
  return { ...wireReader(s.reader), cardPresent: s.cardPresent };
}

/** A reader event for the wire: the ATR and the service-down reason (platform text) are dropped. */
export function wireEvent(e: ReaderEvent): WireEvent {
  switch (e.type) {
    case 'reader-added':
    case 'reader-removed':
    case 'card-inserted':
    case 'card-removed':
      return { type: e.type, reader: wireReader(e.reader) };
    case 'service-down':
      return { type: 'service-down' };
    case 'service-up':
      return { type: 'service-up' };
  }
}
