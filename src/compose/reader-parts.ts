/** Reader-source types the faces may name (tests hand extra sources to the daemon). */
export type { ReaderSource } from '../transport/reader-source.js';
export type { InProcessReaderSource } from '../transport/in-process/in-process-reader-source.js';
