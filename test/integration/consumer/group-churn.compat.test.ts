import { groupChurnTests } from './group-churn.shared.js';

groupChurnTests(['classic']);
