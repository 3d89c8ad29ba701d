/** The admin client: `createAdmin(context, options)` for `kafka.admin()`, its types, enums and errors. */
export {
  Admin,
  type AdminContext,
  type AdminEventMap,
  type AdminEventName,
  AdminEvents,
  createAdmin,
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
