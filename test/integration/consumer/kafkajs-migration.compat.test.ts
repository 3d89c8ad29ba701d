import { kafkajsMigrationTests } from './kafkajs-migration.shared.js';

// Kafka 3.9: classic throughout, on the round-robin name KafkaJS offers.
kafkajsMigrationTests('RoundRobinAssigner');
