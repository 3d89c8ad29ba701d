// The producer's send/sendBatch, idempotence, every codec read back by kcat, against the shared 4.x broker.
import { produceBasics } from './produce.shared.js';

produceBasics();
