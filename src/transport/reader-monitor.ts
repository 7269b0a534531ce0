import type { ReaderInfo } from './reader-info.js';

/** Events of the reader monitor. They carry no personal data: reader identity and ATR only. */
export type ReaderEvent =
  | { type: 'reader-added'; reader: ReaderInfo }
  | { type: 'reader-removed'; reader: ReaderInfo }
  | { type: 'card-inserted'; reader: ReaderInfo; atr: string }
  | { type: 'card-removed'; reader: ReaderInfo }
  | { type: 'service-down'; reason: string }
  | { type: 'service-up' };

export interface ReaderState {
  readonly reader: ReaderInfo;
  /** Upper-case hex ATR when a card is present. */
  readonly atr?: string;
  readonly cardPresent: boolean;
  /** The interface the present card answers on, when the reader tells (dual HID readers). */
  readonly cardInterface?: 'contact' | 'contactless' | undefined;
}

/** Watches readers and cards; re-establishes itself after the service restarts. */
export interface ReaderMonitor {
  /** Current readers (after `start()` has resolved). */
  readers(): ReaderState[];
  on(listener: (event: ReaderEvent) => void): () => void;
  /** Resolves once the first reader enumeration is done (or the service was found down). */
  start(): Promise<void>;
  stop(): Promise<void>;
}
