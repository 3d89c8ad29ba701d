import { classicGroupTests } from './classic-group.shared.js';

classicGroupTests();
