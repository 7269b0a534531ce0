import type { CardConnector } from './card-transport.js';
import type { ReaderMonitor } from './reader-monitor.js';

/** One family of readers (PC/SC, the built-in simulated reader, HID): who is there, and how to connect. */
export interface ReaderSource {
  readonly name: string;
  readonly monitor: ReaderMonitor;
  readonly connector: CardConnector;
  /** Releases everything the source holds (contexts, readers); defaults to `monitor.stop()`. */
  stop?(): Promise<void>;
}
