export * from './attributes.js';
export * from './channels.js';
export * from './metrics.js';
