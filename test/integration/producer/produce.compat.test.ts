// The producer's send/sendBatch, idempotence, every codec read back by kcat, against Kafka 3.9 (`tsx scripts/run-tests.ts compat producer`).
import { produceBasics } from './produce.shared.js';

produceBasics();
