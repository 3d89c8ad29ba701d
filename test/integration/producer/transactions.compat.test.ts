// The producer's commit/abort visibility, fencing, state errors, against Kafka 3.9 (`tsx scripts/run-tests.ts compat producer`).
import { transactionBasics } from './transactions.shared.js';

transactionBasics();
