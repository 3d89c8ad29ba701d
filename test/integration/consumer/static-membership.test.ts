import { kafkaVersion } from '../../helpers/cluster.js';
import { staticMembershipTests } from './static-membership.shared.js';

staticMembershipTests(kafkaVersion()[0] >= 4 ? ['classic', 'consumer'] : ['classic']);
