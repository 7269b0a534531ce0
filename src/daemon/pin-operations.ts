import type { PinBuffer } from '../core/pin-buffer.js';
import type { CardStatusChangeResult, PinOperationResult, PinStatusResult } from './protocol/wire-results.js';

interface Target {
  readonly reader: string | undefined;
  readonly signal: AbortSignal;
}

export interface OperatorContext {
  readonly site: string | undefined;
  readonly operator: string | undefined;
}

/**
 * The PIN and on-chip block operations the daemon exposes, over the card service. PINs arrive as
 * PinBuffers (converted from the validated params at once); the caller wipes them afterwards.
 */
export interface PinOperations {
  status(o: Target): Promise<PinStatusResult>;
  verify(o: Target & { pin: PinBuffer; confirmLastTry: boolean }): Promise<PinOperationResult>;
  change(o: Target & { oldPin: PinBuffer; newPin: PinBuffer; confirmLastTry: boolean }): Promise<PinOperationResult>;
  reset(o: Target & { newPin: PinBuffer; operatorContext: OperatorContext }): Promise<PinOperationResult>;
  unblock(o: Target & { operatorContext: OperatorContext }): Promise<PinOperationResult>;
  blockApplication(o: Target & { confirm: string; cardNumber: string; operatorContext: OperatorContext }): Promise<CardStatusChangeResult>;
}
