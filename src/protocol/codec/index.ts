export { Reader } from './reader.js';
export { uuidFromBytes, uuidToBytes, ZERO_UUID } from './uuid.js';
export { Writer } from './writer.js';
