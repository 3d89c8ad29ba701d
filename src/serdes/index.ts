export * from './errors.js';
export * from './serdes.js';
export type * from './types.js';
