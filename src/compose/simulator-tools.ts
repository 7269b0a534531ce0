/**
 * The simulator as a tool of its own (`sscard sim`: list the profiles, serve a card to vpcd):
 * the CLI reaches simulators/ only through this composition root.
 */
export { defaultProfileId, listProfiles } from '../../simulators/load-profile.js';
export { createSimulatedCard } from '../../simulators/create-card.js';
export { VpcdClient } from '../../simulators/vpcd-client.js';
