/** Client quotas (KIP-546): describe on any broker, alter on the controller. */
import { AlterClientQuotas, DescribeClientQuotas } from '../protocol/messages/index.js';
import { brokerError, Codes } from './common.js';
import type { AdminCluster } from './context.js';
import { throwIfAny } from './errors.js';
import { requireArray, requireObject, requireString } from './validation.js';

/** `user`, `client-id` or `ip`; a null name is the entity type's default. */
export type QuotaEntity = Record<string, string | null>;

/** One condition of `admin.describeClientQuotas`: which entities of one type to match. */
export interface QuotaFilterComponent {
  /** Entity type: `user`, `client-id` or `ip`. */
  entityType: string;
  /** `exact` (default when `match` is given), `default` (the default entity) or `any`. */
  matchType?: 'exact' | 'default' | 'any';
  /** The entity name to match with `exact`. */
  match?: string;
}

const MATCH_TYPES = { exact: 0, default: 1, any: 2 } as const;

export async function describeClientQuotas(
  cluster: AdminCluster,
  options: { components: QuotaFilterComponent[]; strict?: boolean },
): Promise<{
  /** One entry per entity (user, client id, IP) with quotas that match the filter. */
  entries: Array<{
    /** The entity: its type(s) and name(s), e.g. `{ user: 'alice' }`. */
    entity: QuotaEntity;
    /** Quota values by name, e.g. `producer_byte_rate`. */
    values: Record<string, number>;
  }>;
}> {
  requireObject('describeClientQuotas', options);
  requireArray('components', options.components, { nonEmpty: false });
  const components = options.components.map((c, i) => {
    requireString(`components[${i}].entityType`, c.entityType);
    const matchType = c.matchType ?? (c.match !== undefined ? 'exact' : 'any');
    return {
      entityType: c.entityType,
      matchType: MATCH_TYPES[matchType],
      match: matchType === 'exact' ? (c.match ?? null) : null,
    };
  });
  const res = await cluster.retry(() =>
    cluster.send('any', DescribeClientQuotas, { components, strict: options.strict ?? false }),
  );
  if (res.errorCode !== Codes.NONE) throw brokerError(res.errorCode, res.errorMessage);
  return {
    entries: (res.entries ?? []).map((e) => ({
      entity: Object.fromEntries(e.entity.map((x) => [x.entityType, x.entityName])),
      values: Object.fromEntries(e.values.map((v) => [v.key, v.value])),
    })),
  };
}

/** Quota changes of one entity in `admin.alterClientQuotas`. */
export interface QuotaAlteration {
  /** The entity, e.g. `{ user: 'alice' }` or `{ user: 'alice', 'client-id': 'app' }`; a null name is the default entity. */
  entity: QuotaEntity;
  /** `value: null` removes the quota. */
  ops: Array<{
    /** The quota, e.g. `producer_byte_rate`, `consumer_byte_rate`, `request_percentage`. */
    key: string;
    /** The new value, or null to remove the quota. */
    value: number | null;
  }>;
}

export async function alterClientQuotas(
  cluster: AdminCluster,
  options: { entries: QuotaAlteration[]; validateOnly?: boolean },
): Promise<void> {
  requireObject('alterClientQuotas', options);
  requireArray('entries', options.entries);
  const entries = options.entries.map((e) => ({
    entity: Object.entries(e.entity).map(([entityType, entityName]) => ({ entityType, entityName })),
    ops: e.ops.map((o) => ({ key: o.key, value: o.value ?? 0, remove: o.value === null })),
  }));
  const res = await cluster.retry(() =>
    cluster.send('controller', AlterClientQuotas, { entries, validateOnly: options.validateOnly ?? false }),
  );
  throwIfAny(
    'Error altering client quotas',
    res.entries
      .filter((e) => e.errorCode !== Codes.NONE)
      .map((e) =>
        brokerError(e.errorCode, e.errorMessage, {
          resourceName: e.entity.map((x) => `${x.entityType}=${x.entityName ?? '<default>'}`).join(','),
        }),
      ),
  );
}
