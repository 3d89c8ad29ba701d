import { kafkaVersion } from '../../helpers/cluster.js';
import { kafkajsMigrationTests } from './kafkajs-migration.shared.js';

// Kafka 4.x: default kafkats members use KIP-848 next to KafkaJS's classic members.
kafkajsMigrationTests(kafkaVersion()[0] >= 4 ? 'consumer' : 'RoundRobinAssigner');
