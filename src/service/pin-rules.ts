/** The PIN rules a face checks before touching a card (docs/pin.md): length policy and the typed PIN error. */
export { pinLengthPolicy, DEFAULT_PIN_POLICY, type PinLengthPolicy } from '../cards/social-security/pin/pin-policy.js';
export { PinError } from '../cards/social-security/pin/pin-error.js';
