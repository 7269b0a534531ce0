/** Public API of the key service (docs/keys.md). */
export { PinBuffer, PinBufferError } from '../core/pin-buffer.js';
export { ALGORITHM_3DES, ALGORITHM_SM4, blockSize, parseAlgorithmId, type CardAlgorithmId } from './algorithm.js';
export { atrHistoricalBytes, cardKeyContext, type CardKeyContext } from './card-key-context.js';
export { KeyError, type KeyErrorCode } from './key-error.js';
export { externalAuthKeyId, KEY_ROLES, ROLE_CODE, type ExternalAuthRole, type KeyRole, type MacRole, type PinRole } from './key-role.js';
export type { KeyService, KeyServiceKind } from './key-service.js';
export * as profileCrypto from './profile-crypto.js';
export { SoftKeyService, type SoftKeyServiceOptions } from './soft/soft-key-service.js';
export { MasterKeySet, defaultTestKeysPath, masterKeyFileSchema } from './soft/master-key-set.js';
export { PsamKeyService } from './psam/psam-key-service.js';
export {
  computeHsmStep2,
  formatHsmStep1,
  formatHsmStep2,
  hsmCardContext,
  hsmStep1,
  hsmStep2,
  parseHsmStep1,
  parseHsmStep2,
  HsmStep2KeyService,
  type HsmAuthFactors,
  type HsmAuthRequest,
  type HsmAuthValue,
  type HsmAuthValues,
} from './hsm/hsm-two-step.js';
