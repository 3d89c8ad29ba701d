import { assignSeekIterateTests } from './assign-seek-iterate.shared.js';

assignSeekIterateTests();
