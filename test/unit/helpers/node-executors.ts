import { fileURLToPath } from 'node:url';

// The engines behind the Runtime in Node are test/unit/helpers/node-runtime.ts.

/** The shared test data folder (never copied into the product). */
export const sharedData = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
