import { withGetResponse } from './get-response-processor.js';
import { withLeCorrection } from './le-correction-processor.js';
import { withTrafficLog, type TrafficSink } from './traffic-log-processor.js';
import type { TranscriptRecorder } from './transcript-recorder.js';
import type { Transmitter } from './transmitter.js';

export interface StackOptions {
  /** Opt-in APDU traffic log (PIN data masked). */
  traffic?: TrafficSink | undefined;
  /** Records the wire, below the processors. */
  recorder?: TranscriptRecorder | undefined;
}

/**
 * The standard processor stack (docs/architecture.md "Conventions"), outermost first:
 * Le correction (6Cxx) -> GET RESPONSE (61xx) -> traffic log -> recorder -> transport.
 * Sessions talk to the top and never loop on SW1 themselves.
 */
export function apduStack(transport: Transmitter, options: StackOptions = {}): Transmitter {
  let t = transport;
  if (options.recorder) t = options.recorder.wrap(t);
  t = withTrafficLog(t, options.traffic);
  t = withGetResponse(t);
  return withLeCorrection(t);
}
