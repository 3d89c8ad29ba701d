import { kafkajsMigrationTests } from './kafkajs-migration.shared.js';

// Kafka 3.9 (the harness enables KIP-848 there too): a default kafkats member tries KIP-848, is
// told the group is classic, and joins as classic on the round-robin name KafkaJS offers.
kafkajsMigrationTests('RoundRobinAssigner');
