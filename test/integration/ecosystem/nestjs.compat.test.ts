/** NestJS over kafkats on Kafka 3.9 (classic groups only): nestjs.shared.ts. */
import { nestSuite } from './nestjs.shared.js';

nestSuite('Kafka 3.9');
