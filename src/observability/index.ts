export * from './attributes.js';
export * from './channels.js';
export * from './diagnostics.js';
export * from './metrics.js';
