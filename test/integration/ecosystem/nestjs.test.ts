/** NestJS over kafkats on the default broker (Kafka 4.4, default group protocol): nestjs.shared.ts. */
import { nestSuite } from './nestjs.shared.js';

nestSuite('Kafka 4.x');
