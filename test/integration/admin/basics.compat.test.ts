// The KafkaJS-surface basics against Kafka 3.9 (run by `tsx scripts/run-tests.ts compat`).
import { adminBasics } from './basics.shared.js';

adminBasics();
