/** The data directory of every face (status registry, daemon tokens and config). */
export { statusDataDir as dataDirOf } from '../status/status-config.js';
