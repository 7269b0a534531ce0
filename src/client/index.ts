export { SscardClient, type SscardClientOptions, type WebSocketLike } from './sscard-client.js';
export { SscardClientError, type ClientSideCode } from './sscard-client-error.js';
export { API_LEVEL, DEFAULT_PORT } from '../daemon/protocol/api-level.js';
export { WIRE_ERRORS, type WireErrorCode } from '../daemon/protocol/error-codes.js';
export type { WireEvent, WireEventType, WireReaderInfo } from '../daemon/protocol/events.js';
export type { MethodName, ParamsOf, ResultOf } from '../daemon/protocol/methods.js';
export type { CardReadApplicationsResult, CardReadResult } from '../daemon/protocol/wire-results.js';
export type { WireFinancialRead, WireFinancialTransaction, WireFinancialApplication } from '../daemon/protocol/wire-financial.js';
