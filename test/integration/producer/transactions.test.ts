// The producer's commit/abort visibility, fencing, state errors, against the shared 4.x broker.
import { transactionBasics } from './transactions.shared.js';

transactionBasics();
