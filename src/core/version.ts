/**
 * The app's version, written into every checkpoint (the record's `appVersion`). Kept equal to
 * package.json's "version" by a unit test.
 * Must not import: anything.
 */
export const APP_VERSION = '0.1.0';
