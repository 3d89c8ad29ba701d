import { kafkaVersion } from '../../helpers/cluster.js';
import { lifecycleTests } from './lifecycle.shared.js';

lifecycleTests(kafkaVersion()[0] >= 4 ? ['classic', 'consumer'] : ['classic']);
