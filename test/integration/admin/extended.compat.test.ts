// The admin APIs beyond KafkaJS against Kafka 3.9 (run by `tsx scripts/run-tests.ts compat`).
import { adminExtended } from './extended.shared.js';

adminExtended();
