import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  AlterConfigOpTypes,
  ConfigResourceTypes,
  ResourcePatternTypes,
} from '../../../src/admin/enums.js';
import {
  parseOffset,
  validateAclEntries,
  validateAclFilter,
  validateAlterConfigs,
  validateAlterPartitionReassignments,
  validateCreatePartitions,
  validateCreateTopics,
  validateDeleteTopicRecords,
  validateDescribeConfigs,
  validateIncrementalAlterConfigs,
  validateSeekEntries,
  validateTopics,
} from '../../../src/admin/validation.js';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';

function rejects(fn: () => void, option: string, fragment?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof KafkaJSInvalidArgument, `expected KafkaJSInvalidArgument, got ${String(e)}`);
    assert.equal(e.option, option);
    assert.equal(e.retriable, false);
    if (fragment) assert.match(e.message, fragment);
    return true;
  });
}

describe('admin argument validation', () => {
  it('accepts a KafkaJS createTopics call', () => {
    validateCreateTopics({
      validateOnly: false,
      waitForLeaders: true,
      timeout: 5000,
      topics: [
        {
          topic: 'a',
          numPartitions: 3,
          replicationFactor: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
        { topic: 'b', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] },
        { topic: 'c', numPartitions: -1, replicationFactor: -1 },
      ],
    });
  });

  it('rejects createTopics without topics, with duplicates or with bad numbers', () => {
    rejects(() => validateCreateTopics({}), 'topics', /array/);
    rejects(() => validateCreateTopics({ topics: [] }), 'topics', /non-empty/);
    rejects(
      () => validateCreateTopics({ topics: [{ topic: 'a' }, { topic: 'a' }] }),
      'topics',
      /"a" appears more than once/,
    );
    rejects(() => validateCreateTopics({ topics: [{ topic: '' }] }), 'topics[0].topic');
    rejects(
      () => validateCreateTopics({ topics: [{ topic: 'a', numPartitions: 1.5 }] }),
      'topics[0].numPartitions',
      /integer/,
    );
    rejects(
      () => validateCreateTopics({ topics: [{ topic: 'a', numPartitions: 0 }] }),
      'topics[0].numPartitions',
    );
    rejects(
      () => validateCreateTopics({ topics: [{ topic: 'a', replicationFactor: 40000 }] }),
      'topics[0].replicationFactor',
    );
    rejects(
      () => validateCreateTopics({ topics: [{ topic: 'a', configEntries: [{ name: 'x', value: 5 }] }] }),
      'topics[0].configEntries[0].value',
    );
    rejects(() => validateCreateTopics({ topics: [{ topic: 'a' }], timeout: -1 }), 'timeout');
  });

  it('leaves topic-name legality to the broker', () => {
    // The broker's INVALID_TOPIC_EXCEPTION message is more precise than any copy of its rules.
    validateCreateTopics({ topics: [{ topic: 'bad name!' }] });
  });

  it('checks createPartitions', () => {
    validateCreatePartitions({ topicPartitions: [{ topic: 'a', count: 3, assignments: [[1], [2]] }] });
    rejects(
      () => validateCreatePartitions({ topicPartitions: [{ topic: 'a', count: 0 }] }),
      'topicPartitions[0].count',
    );
    rejects(
      () => validateCreatePartitions({ topicPartitions: [{ topic: 'a', count: 2, assignments: [[-1]] }] }),
      'topicPartitions[0].assignments[0][0]',
    );
  });

  it('checks topic lists', () => {
    validateTopics('topics', ['a', 'b']);
    rejects(() => validateTopics('topics', 'a'), 'topics');
    rejects(() => validateTopics('topics', ['a', 'a']), 'topics', /more than once/);
  });

  it('parses offsets from strings, numbers and bigints', () => {
    assert.equal(parseOffset('o', '42'), 42n);
    assert.equal(parseOffset('o', '-1'), -1n);
    assert.equal(parseOffset('o', 7), 7n);
    assert.equal(parseOffset('o', 9007199254740993n), 9007199254740993n);
    rejects(() => parseOffset('o', '4x'), 'o', /decimal string/);
    rejects(() => parseOffset('o', 1.5), 'o');
  });

  it('checks seek entries and deleteTopicRecords', () => {
    validateSeekEntries('partitions', [{ partition: 0, offset: '5' }]);
    rejects(
      () => validateSeekEntries('partitions', [{ partition: -1, offset: '5' }]),
      'partitions[0].partition',
    );
    rejects(
      () =>
        validateSeekEntries('partitions', [
          { partition: 0, offset: '1' },
          { partition: 0, offset: '2' },
        ]),
      'partitions',
      /partition 0 appears more than once/,
    );
    validateDeleteTopicRecords({ topic: 't', partitions: [{ partition: 0, offset: '-1' }] });
    rejects(
      () => validateDeleteTopicRecords({ topic: 't', partitions: [{ partition: 0, offset: '-2' }] }),
      'partitions[0].offset',
    );
  });

  it('checks config resources and their types', () => {
    validateDescribeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 't', configNames: ['a'] }],
    });
    validateDescribeConfigs({
      resources: [{ type: ConfigResourceTypes.BROKER, name: '' }],
      includeSynonyms: true,
    });
    rejects(
      () => validateDescribeConfigs({ resources: [{ type: 3, name: 't' }] }),
      'resources[0].type',
      /TOPIC=2/,
    );
    validateAlterConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 't', configEntries: [{ name: 'a', value: '1' }] }],
    });
    rejects(
      () =>
        validateAlterConfigs({
          resources: [{ type: ConfigResourceTypes.TOPIC, name: 't', configEntries: [{ value: '1' }] }],
        }),
      'resources[0].configEntries[0].name',
    );
    validateIncrementalAlterConfigs({
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 't',
          configEntries: [
            { name: 'a', value: '1' },
            { name: 'b', operation: AlterConfigOpTypes.DELETE },
          ],
        },
      ],
    });
    rejects(
      () =>
        validateIncrementalAlterConfigs({
          resources: [
            { type: 2, name: 't', configEntries: [{ name: 'a', operation: AlterConfigOpTypes.APPEND }] },
          ],
        }),
      'resources[0].configEntries[0].value',
    );
  });

  it('requires concrete values in ACLs but allows wildcards in filters', () => {
    const acl = {
      resourceType: AclResourceTypes.TOPIC,
      resourceName: 't',
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: 'User:alice',
      host: '*',
      operation: AclOperationTypes.WRITE,
      permissionType: AclPermissionTypes.ALLOW,
    };
    validateAclEntries('acl', [acl]);
    rejects(
      () => validateAclEntries('acl', [{ ...acl, operation: AclOperationTypes.ANY }]),
      'acl[0].operation',
      /filter/,
    );
    rejects(() => validateAclEntries('acl', [{ ...acl, operation: 99 }]), 'acl[0].operation', /READ=3/);
    rejects(() => validateAclEntries('acl', [{ ...acl, principal: undefined }]), 'acl[0].principal');
    validateAclFilter('filter', {
      ...acl,
      operation: AclOperationTypes.ANY,
      resourceName: null,
      principal: undefined,
    });
    rejects(() => validateAclFilter('filter', { ...acl, host: 5 }), 'filter.host');
  });

  it('checks reassignments', () => {
    validateAlterPartitionReassignments({
      topics: [
        {
          topic: 't',
          partitionAssignment: [
            { partition: 0, replicas: [1, 2] },
            { partition: 1, replicas: null },
          ],
        },
      ],
    });
    rejects(
      () =>
        validateAlterPartitionReassignments({
          topics: [{ topic: 't', partitionAssignment: [{ partition: 0, replicas: ['1'] }] }],
        }),
      'topics[0].partitionAssignment[0].replicas[0]',
    );
  });
});
