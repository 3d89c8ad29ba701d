import { readCommittedTests } from './read-committed.shared.js';

readCommittedTests();
