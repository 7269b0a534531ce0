/**
 * The card OS contract of a simulated card (vsmartcard vicc style): power, ATR, and one
 * `execute(command) -> response` verb. Synchronous on purpose: a card answers one APDU at a
 * time and never blocks the event loop. Both the in-process transport and the vpcd client
 * drive a card through this interface only.
 */
export interface SimulatedCard {
  /** The ATR the card answers with after power-on or reset. */
  atr(): Uint8Array;
  /** Cold start: volatile state (selected files, security status, challenges) is cleared. */
  powerOn(): void;
  powerOff(): void;
  /** Warm reset: same effect on volatile state as a power cycle; returns the ATR. */
  reset(): Uint8Array;
  /** Executes one command APDU (header ‖ Lc ‖ data ‖ Le) and returns data ‖ SW1 SW2. */
  execute(command: Uint8Array): Uint8Array;
}
