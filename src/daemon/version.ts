/** The daemon's version (sent in `hello` and `/health`); kept equal to package.json's. */
export const SSCARD_VERSION = '0.1.0';
