import { kafkaVersion } from '../../helpers/cluster.js';
import { groupChurnTests } from './group-churn.shared.js';

groupChurnTests(kafkaVersion()[0] >= 4 ? ['classic', 'consumer'] : ['classic']);
