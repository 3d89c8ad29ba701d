// Group members as the admin sees them, against Kafka 3.9 (run by `tsx scripts/run-tests.ts compat`).
import { adminGroupMembers } from './groups.shared.js';

adminGroupMembers();
