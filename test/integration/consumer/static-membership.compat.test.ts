import { staticMembershipTests } from './static-membership.shared.js';

staticMembershipTests(['classic']);
