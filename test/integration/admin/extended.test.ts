import { adminExtended } from './extended.shared.js';

adminExtended();
