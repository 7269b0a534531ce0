/** The chip simulator's public surface (docs/simulator.md). */
export type { SimulatedCard } from './simulated-card.js';
export { CardOs, type CardOsOptions } from './card-os.js';
export { CardState } from './card-state.js';
export { SecurityState } from './security-state.js';
export { createSimulatedCard } from './create-card.js';
export { defaultProfileId, listProfiles, loadProfile, profilesDir, validateProfile, type ProfileSummary } from './load-profile.js';
export { profileSchema, profileObjectSchema, type Behaviour, type CardProfile, type Generation } from './profile-schema.js';
export { SimulatorError, type SimulatorErrorCode } from './sim-error.js';
export { INS, reply, type CommandFilter, type InstructionEntry, type InstructionHandler, type InstructionOptions, type Reply } from './instruction.js';
export { SW, moreData, wrongLe } from './status.js';
export { DedicatedFile, FileSystem, RecordFile, TransparentFile, MF_FID, type ElementaryFile, type FileNode } from './file-system.js';
export { registerFileInstructions } from './handlers/register-file-instructions.js';
export { buildSsseFileSystem, ssseFci } from './build-ssse-file-system.js';
