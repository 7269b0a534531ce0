/**
 * Every error that crosses the wire: a stable string code (never renamed once published), the
 * JSON-RPC numeric code, and a fixed message. The daemon sends
 * `{ code: <rpc>, message: <fixed message>, data: { code: <string code>, ...details } }` and never a
 * stack trace, an internal message or a secret (docs/architecture.md "Conventions", web-eid). No imports: the browser
 * client loads this file as is.
 */
export const WIRE_ERRORS = {
  // JSON-RPC 2.0 framing
  PARSE_ERROR: { rpc: -32700, message: 'the message is not valid JSON', details: '' },
  INVALID_REQUEST: { rpc: -32600, message: 'the message is not a valid JSON-RPC 2.0 request', details: '' },
  METHOD_NOT_FOUND: { rpc: -32601, message: 'no such method at the negotiated API level', details: '' },
  INVALID_PARAMS: { rpc: -32602, message: 'the params do not match the method', details: '`issues`: [{ path, message }] (never the rejected values)' },
  INTERNAL: { rpc: -32603, message: 'internal error', details: '' },
  // session and access
  HELLO_REQUIRED: { rpc: -32001, message: 'call hello first to negotiate the API level', details: '' },
  UNSUPPORTED_API_LEVEL: { rpc: -32002, message: 'no API level in common', details: '`min`, `max`: the levels the daemon serves' },
  FORBIDDEN: { rpc: -32003, message: 'this connection is not allowed to call the method', details: '`required`: the role the method needs' },
  RATE_LIMITED: { rpc: -32004, message: 'too many requests; slow down', details: '`retryAfterMs`' },
  SHUTTING_DOWN: { rpc: -32005, message: 'the daemon is shutting down', details: '' },
  // readers and cards
  NO_READER: { rpc: -32010, message: 'no card reader is attached', details: '' },
  READER_NOT_FOUND: { rpc: -32011, message: 'no reader with that id or name', details: '' },
  AMBIGUOUS_READER: { rpc: -32012, message: 'several readers hold a card; name one', details: '`readers`: ids of the candidates' },
  NO_CARD: { rpc: -32013, message: 'no card in the reader', details: '' },
  CARD_REMOVED: { rpc: -32014, message: 'the card was removed during the operation', details: '' },
  SERVICE_DOWN: { rpc: -32015, message: 'the smart-card service (PC/SC) is not available', details: '' },
  READER_BUSY: { rpc: -32016, message: 'another program holds the card', details: '' },
  CARD_UNRESPONSIVE: { rpc: -32017, message: 'the card does not answer', details: '' },
  BUSY_TIMEOUT: { rpc: -32018, message: 'the reader stayed busy with other operations too long', details: '' },
  TIMEOUT: { rpc: -32019, message: 'the operation took too long', details: '' },
  CANCELLED: { rpc: -32020, message: 'the operation was cancelled', details: '' },
  // card outcomes
  NOT_SOCIAL_SECURITY_CARD: { rpc: -32030, message: 'the card has no social-security application', details: '' },
  APPLICATION_BLOCKED: { rpc: -32031, message: 'the social-security application is blocked on the chip', details: '' },
  CARD_BLOCKED: { rpc: -32032, message: 'the card is blocked on the chip', details: '' },
  CARD_ERROR: { rpc: -32033, message: 'the card answered something the operation cannot use', details: '`reason`: BAD_CARD_DATA | UNEXPECTED_STATUS | ..., `sw`' },
  CARD_LOCKED: { rpc: -32034, message: 'the card is locked in the card-status registry', details: '`kind`, `until` (ISO instant or null)' },
  // PIN
  WRONG_PIN: { rpc: -32040, message: 'wrong PIN', details: '`triesLeft`, `which`' },
  PIN_BLOCKED: { rpc: -32041, message: 'the PIN is blocked', details: '`which`' },
  LAST_TRY_NOT_CONFIRMED: { rpc: -32042, message: 'one try is left: repeat with confirmLastTry', details: '`triesLeft` (1)' },
  PIN_FORMAT: { rpc: -32043, message: 'the PIN has the wrong length', details: '`which`' },
  PIN_POLICY: { rpc: -32044, message: 'the new PIN is refused by the PIN policy', details: '`reason`: ALL_SAME_DIGITS | SEQUENCE | BIRTH_DATE | SAME_AS_OLD' },
  KEYS_UNAVAILABLE: { rpc: -32045, message: 'no key service for this counter operation on this card', details: '`reason`: the key-service code (e.g. TEST_KEYS_REFUSED)' },
  PIN_PAD_REQUIRED: { rpc: -32047, message: 'the reader has a PIN pad: the PIN is entered on the reader (call with onReader)', details: '' },
  PIN_ENTRY: { rpc: -32048, message: 'PIN entry on the reader did not complete; nothing was sent to the card', details: '`reason`: PIN_ENTRY_TIMEOUT | PIN_ENTRY_CANCELLED | PIN_PAD_UNSUPPORTED' },
  CONFIRMATION_MISMATCH: { rpc: -32046, message: 'the confirmation does not match the card in the reader', details: '' },
  // card-status registry
  STATUS_REFUSED: { rpc: -32050, message: 'the card-status registry refused the change', details: '`reason`: the registry code (ALREADY_LOCKED, NOT_LOCKED, ...), `rule`' },
  STATUS_UNAVAILABLE: {
    rpc: -32051,
    message: 'the card-status registry is not available',
    details: "`reason` (optional): DAEMON_NOT_CONFIGURED when the daemon's own site or default operator is missing or invalid (the daemon's administrator must fix it)",
  },
  CARD_NOT_IDENTIFIABLE: {
    rpc: -32052,
    message: 'the card cannot be identified for the card-status registry',
    details: 'only as `statusError` of card.read: malformed card number, or an identification code stored with another card number',
  },
  // verifiable reads
  ATTESTATION_UNAVAILABLE: { rpc: -32060, message: 'this installation has no signing key (run sscard keys init)', details: '' },
} as const satisfies Record<string, { rpc: number; message: string; details: string }>;

export type WireErrorCode = keyof typeof WIRE_ERRORS;

export const WIRE_ERROR_CODES = Object.keys(WIRE_ERRORS) as WireErrorCode[];

/** The `data` of every error response. */
export interface WireErrorData {
  readonly code: WireErrorCode;
  readonly [detail: string]: unknown;
}

export function isWireErrorCode(code: unknown): code is WireErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(WIRE_ERRORS, code);
}
