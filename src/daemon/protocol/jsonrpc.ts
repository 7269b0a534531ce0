import type { WireErrorData } from './error-codes.js';

/** JSON-RPC 2.0 envelopes (type-only; the server validates incoming ones by hand, cheaply). */
export type RpcId = string | number;

export interface RpcRequest {
  readonly jsonrpc: '2.0';
  readonly id: RpcId;
  readonly method: string;
  readonly params?: unknown;
}

export interface RpcSuccess<R = unknown> {
  readonly jsonrpc: '2.0';
  readonly id: RpcId;
  readonly result: R;
}

export interface RpcFailure {
  readonly jsonrpc: '2.0';
  readonly id: RpcId | null;
  readonly error: { readonly code: number; readonly message: string; readonly data: WireErrorData };
}

export interface RpcNotification<P = unknown> {
  readonly jsonrpc: '2.0';
  readonly method: string;
  readonly params: P;
}

export type RpcResponse<R = unknown> = RpcSuccess<R> | RpcFailure;
