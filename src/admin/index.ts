/**
 * The admin client's public surface: the class, its types, enums and errors. `createAdmin` (what
 * `kafka.admin()` calls) is internal and imported from admin.ts directly, so that the stripped
 * declarations (`stripInternal`) leave no dangling re-export.
 */
export {
  Admin,
  type AdminEventMap,
  type AdminEventName,
  AdminEvents,
} from './admin.js';
export * from './enums.js';
export {
  type AdminItemContext,
  type AdminItemError,
  KafkaJSAggregateError,
  KafkaJSDeleteGroupsError,
  KafkaJSDeleteTopicRecordsError,
} from './errors.js';
export type * from './types.js';
