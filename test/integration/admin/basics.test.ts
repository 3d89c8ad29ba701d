import { adminBasics } from './basics.shared.js';

adminBasics();
