import { streamTests } from './stream.shared.js';

streamTests();
