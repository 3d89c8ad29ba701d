import { handlerErrorsTests } from './handler-errors.shared.js';

handlerErrorsTests();
