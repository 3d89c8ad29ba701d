/**
 * ACLs: create and delete go to the controller (KRaft's StandardAuthorizer keeps ACLs in the
 * metadata log), describe to any broker. Each creation and each delete filter has its own error.
 */
import { CreateAcls, DeleteAcls, DescribeAcls } from '../protocol/messages/index.js';
import { brokerError, Codes } from './common.js';
import type { AdminCluster } from './context.js';
import type { AclOperationType, AclPermissionType, AclResourceType, ResourcePatternType } from './enums.js';
import { throwIfAny } from './errors.js';
import type {
  AclFilter,
  CreateAclsOptions,
  DeleteAclResponse,
  DeleteAclsOptions,
  DescribeAclResponse,
} from './types.js';
import { requireArray, requireObject, validateAclEntries, validateAclFilter } from './validation.js';

export async function createAcls(cluster: AdminCluster, options: CreateAclsOptions): Promise<boolean> {
  requireObject('createAcls', options);
  validateAclEntries('acl', options.acl);
  const res = await cluster.retry(() =>
    cluster.send('controller', CreateAcls, {
      creations: options.acl.map((a) => ({
        resourceType: a.resourceType,
        resourceName: a.resourceName,
        resourcePatternType: a.resourcePatternType,
        principal: a.principal,
        host: a.host,
        operation: a.operation,
        permissionType: a.permissionType,
      })),
    }),
  );
  const errors = res.results.flatMap((r, i) =>
    r.errorCode === Codes.NONE
      ? []
      : [
          brokerError(r.errorCode, r.errorMessage, {
            resourceType: options.acl[i]?.resourceType,
            resourceName: options.acl[i]?.resourceName,
          }),
        ],
  );
  throwIfAny('Error creating ACLs', errors);
  return true;
}

function filterBody(f: AclFilter) {
  return {
    resourceTypeFilter: f.resourceType,
    resourceNameFilter: f.resourceName ?? null,
    patternTypeFilter: f.resourcePatternType,
    principalFilter: f.principal ?? null,
    hostFilter: f.host ?? null,
    operation: f.operation,
    permissionType: f.permissionType,
  };
}

export async function describeAcls(cluster: AdminCluster, filter: AclFilter): Promise<DescribeAclResponse> {
  validateAclFilter('describeAcls', filter);
  const res = await cluster.retry(() => cluster.send('any', DescribeAcls, filterBody(filter)));
  if (res.errorCode !== Codes.NONE) throw brokerError(res.errorCode, res.errorMessage);
  return {
    throttleTime: res.throttleTimeMs,
    errorCode: res.errorCode,
    errorMessage: res.errorMessage,
    resources: res.resources.map((r) => ({
      resourceType: r.resourceType as AclResourceType,
      resourceName: r.resourceName,
      resourcePatternType: r.patternType as ResourcePatternType,
      acls: r.acls.map((a) => ({
        principal: a.principal,
        host: a.host,
        operation: a.operation as AclOperationType,
        permissionType: a.permissionType as AclPermissionType,
      })),
    })),
  };
}

export async function deleteAcls(
  cluster: AdminCluster,
  options: DeleteAclsOptions,
): Promise<DeleteAclResponse> {
  requireObject('deleteAcls', options);
  requireArray('filters', options.filters);
  options.filters.forEach((f, i) => {
    validateAclFilter(`filters[${i}]`, f);
  });
  const res = await cluster.retry(() =>
    cluster.send('controller', DeleteAcls, { filters: options.filters.map(filterBody) }),
  );
  const errors = res.filterResults.flatMap((r, i) =>
    r.errorCode === Codes.NONE
      ? []
      : [
          brokerError(r.errorCode, r.errorMessage, {
            resourceName: options.filters[i]?.resourceName ?? undefined,
          }),
        ],
  );
  throwIfAny('Error deleting ACLs', errors);
  return {
    throttleTime: res.throttleTimeMs,
    filterResponses: res.filterResults.map((r) => ({
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
      matchingAcls: r.matchingAcls.map((m) => ({
        errorCode: m.errorCode,
        errorMessage: m.errorMessage,
        resourceType: m.resourceType as AclResourceType,
        resourceName: m.resourceName,
        resourcePatternType: m.patternType as ResourcePatternType,
        principal: m.principal,
        host: m.host,
        operation: m.operation as AclOperationType,
        permissionType: m.permissionType as AclPermissionType,
      })),
    })),
  };
}
