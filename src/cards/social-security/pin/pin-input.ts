import { PinBuffer, PinBufferError } from '../../../core/pin-buffer.js';
import { PinError } from './pin-error.js';

/**
 * A PinBuffer from typed text (a prompt or a stdin line), with PinError PIN_FORMAT instead of the
 * core error; the message never quotes the text.
 */
export function pinFromText(text: string, which: 'pin' | 'old' | 'new' = 'pin'): PinBuffer {
  try {
    return PinBuffer.fromString(text);
  } catch (e) {
    if (e instanceof PinBufferError) throw new PinError('PIN_FORMAT', `the ${which === 'pin' ? 'PIN' : `${which} PIN`} must be decimal digits only`, { which });
    throw e;
  }
}
