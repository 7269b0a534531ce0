/**
 * The one transport verb (docs/architecture.md "Conventions"): send the bytes of one command APDU, get the bytes of the
 * response APDU (data ‖ SW1 SW2). PC/SC, HID, the in-process simulator and transcript replay all
 * implement it; protocol processors (GET RESPONSE, Le correction, logging) wrap it.
 */
export interface Transmitter {
  transmit(command: Uint8Array): Promise<Uint8Array>;
}
