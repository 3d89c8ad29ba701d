export * from './diagnostics.js';
export * from './events.js';
