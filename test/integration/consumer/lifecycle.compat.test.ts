import { lifecycleTests } from './lifecycle.shared.js';

lifecycleTests(['classic']);
