import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreLab, skipReason, startCoreLab, tableRows } from './kinds-core-support.js';

const AGE = expect.stringMatching(/^\d+s$/);
const pc = (name: string, value: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name },
  value,
  ...extra,
});

describe.skipIf(!!skipReason)('PriorityClasses through the real kubectl', () => {
  let core: CoreLab;
  beforeAll(async () => {
    core = await startCoreLab();
  });
  afterAll(() => core?.lab.stop());

  it('has the two system classes a real cluster has', async () => {
    const { stdout } = await core.kubectl(['get', 'pc']);
    expect(tableRows(stdout)).toEqual([
      {
        NAME: 'system-cluster-critical',
        VALUE: '2000000000',
        'GLOBAL-DEFAULT': 'false',
        AGE,
        PREEMPTIONPOLICY: 'PreemptLowerPriority',
      },
      {
        NAME: 'system-node-critical',
        VALUE: '2000001000',
        'GLOBAL-DEFAULT': 'false',
        AGE,
        PREEMPTIONPOLICY: 'PreemptLowerPriority',
      },
    ]);
    const node = await core.json(['priorityclass', 'system-node-critical']);
    expect(node.description).toBe(
      'Used for system critical pods that must not be moved from their current node.',
    );
  });

  it('creates classes with `kubectl create priorityclass` and allows one global default', async () => {
    await core.kubectl(['create', 'priorityclass', 'high', '--value=1000', '--description=important']);
    await core.kubectl(['create', 'priorityclass', 'batch', '--value=10', '--global-default']);
    const rows = tableRows((await core.kubectl(['get', 'priorityclass', 'high', 'batch'])).stdout);
    expect(rows).toEqual([
      {
        NAME: 'high',
        VALUE: '1000',
        'GLOBAL-DEFAULT': 'false',
        AGE,
        PREEMPTIONPOLICY: 'PreemptLowerPriority',
      },
      { NAME: 'batch', VALUE: '10', 'GLOBAL-DEFAULT': 'true', AGE, PREEMPTIONPOLICY: 'PreemptLowerPriority' },
    ]);
    const second = await core.kubectl(['create', 'priorityclass', 'other', '--value=5', '--global-default'], {
      allowFail: true,
    });
    expect(second.stderr.trim()).toBe(
      'error: failed to create priorityclass: priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass batch is already marked as default. Only one default can exist',
    );
  });

  it('keeps value immutable and system- names reserved', async () => {
    await core.write('apply', [pc('web', 100)]);
    const changed = await core.write('apply', [pc('web', 200)], true);
    expect(changed.stderr.trim()).toBe(
      'The PriorityClass "web" is invalid: value: Forbidden: may not be changed in an update.',
    );
    // Other fields may change.
    await core.write('apply', [pc('web', 100, { description: 'front end' })]);
    expect((await core.json(['pc', 'web'])).description).toBe('front end');

    const reserved = await core.write('create', [pc('system-mine', 100)], true);
    expect(reserved.stderr.trim()).toBe(
      'The PriorityClass "system-mine" is invalid: metadata.name: Forbidden: priority class names with \'system-\' prefix are reserved for system use only. error: system-mine is not a known system priority class',
    );
    const tooHigh = await core.write('create', [pc('huge', 1_000_000_001)], true);
    expect(tooHigh.stderr.trim()).toBe(
      'The PriorityClass "huge" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
    );
  });
});
