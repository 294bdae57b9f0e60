import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreLab, skipReason, startCoreLab, tableRows } from './kinds-core-support.js';

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const micro = () => new Date().toISOString().replace(/Z$/, '000Z');

describe.skipIf(!!skipReason)('Events through core/v1 and events.k8s.io/v1', () => {
  let core: CoreLab;
  let podRef: Record<string, string>;
  beforeAll(async () => {
    core = await startCoreLab();
    await core.write('create', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      // No scheduler takes it, so the sim's scheduler and kubelet add no events of their own.
      spec: { schedulerName: 'no-scheduler', containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
    });
    const pod = await core.json(['pod', 'web']);
    podRef = { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'default', uid: pod.metadata.uid };
    // Written the way kubelet writes them (core/v1, legacy fields)…
    await core.write('create', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.pulled', namespace: 'default' },
      involvedObject: { ...podRef, fieldPath: 'spec.containers{nginx}' },
      reason: 'Pulled',
      message: 'Container image "nginx:1.27" already present on machine',
      type: 'Normal',
      source: { component: 'kubelet', host: 'lab-worker' },
      firstTimestamp: now(),
      lastTimestamp: now(),
      count: 3,
    });
    // …and the way the new events API is written (events.k8s.io/v1).
    await core.write('create', {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'web.checked', namespace: 'default' },
      eventTime: micro(),
      reportingController: 'clusterlab.dev/checker',
      reportingInstance: 'checker-1',
      action: 'Check',
      reason: 'StepPassed',
      regarding: podRef,
      note: 'step 1 passed',
      type: 'Warning',
    });
  });
  afterAll(() => core?.lab.stop());

  it('lists both in the upstream event table, wide columns included', async () => {
    const { stdout } = await core.kubectl([
      'get',
      'events',
      '-o',
      'wide',
      '--field-selector',
      'involvedObject.name=web',
    ]);
    const rows = new Map(tableRows(stdout).map((r) => [r.NAME, r]));
    expect(rows.get('web.pulled')).toEqual({
      'LAST SEEN': expect.stringMatching(/^\d+s$/),
      TYPE: 'Normal',
      REASON: 'Pulled',
      OBJECT: 'pod/web',
      SUBOBJECT: 'spec.containers{nginx}',
      SOURCE: 'kubelet, lab-worker',
      MESSAGE: 'Container image "nginx:1.27" already present on machine',
      'FIRST SEEN': expect.stringMatching(/^\d+s$/),
      COUNT: '3',
      NAME: 'web.pulled',
    });
    expect(rows.get('web.checked')).toMatchObject({
      TYPE: 'Warning',
      REASON: 'StepPassed',
      OBJECT: 'pod/web',
      SOURCE: 'clusterlab.dev/checker, checker-1',
      MESSAGE: 'step 1 passed',
      COUNT: '1',
    });
  });

  it('serves a core/v1 event through events.k8s.io/v1 with the fields renamed', async () => {
    const e = await core.json(['events.v1.events.k8s.io', 'web.pulled']);
    expect(e).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      regarding: { ...podRef, fieldPath: 'spec.containers{nginx}' },
      note: 'Container image "nginx:1.27" already present on machine',
      deprecatedSource: { component: 'kubelet', host: 'lab-worker' },
      deprecatedCount: 3,
      reason: 'Pulled',
      type: 'Normal',
      eventTime: null,
    });
    expect(e.deprecatedFirstTimestamp).toMatch(/Z$/);
    expect(e).not.toHaveProperty('involvedObject');
    expect(e).not.toHaveProperty('message');
    const { stdout } = await core.kubectl(['get', 'events.v1.events.k8s.io']);
    expect(tableRows(stdout).map((r) => r.OBJECT)).toContain('pod/web');
  });

  it('serves an events.k8s.io/v1 event through core/v1 with the fields renamed', async () => {
    const e = await core.json(['events', 'web.checked']);
    expect(e).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      involvedObject: podRef,
      message: 'step 1 passed',
      reportingComponent: 'clusterlab.dev/checker',
      reportingInstance: 'checker-1',
      action: 'Check',
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
    });
    expect(e.eventTime).toMatch(/\.\d{6}Z$/);
    expect(e).not.toHaveProperty('regarding');
  });

  it('writes through either API to the same event', async () => {
    await core.kubectl([
      'patch',
      'events.v1.events.k8s.io',
      'web.checked',
      '--type=merge',
      '-p',
      '{"note":"step 1 passed again"}',
    ]);
    expect((await core.json(['events', 'web.checked'])).message).toBe('step 1 passed again');
    await core.kubectl(['patch', 'events', 'web.pulled', '--type=merge', '-p', '{"count":4}']);
    expect((await core.json(['events.v1.events.k8s.io', 'web.pulled'])).deprecatedCount).toBe(4);
  });

  it('selects events by the fields kubectl describe and the new API use', async () => {
    const names = async (resource: string, selector: string) =>
      tableRows((await core.kubectl(['get', resource, '-o', 'wide', '--field-selector', selector])).stdout)
        .map((r) => r.NAME)
        .filter((n) => n.startsWith('web.'))
        .sort();
    expect(await names('events', `involvedObject.uid=${podRef.uid},involvedObject.kind=Pod`)).toEqual([
      'web.checked',
      'web.pulled',
    ]);
    expect(await names('events', 'reason=Pulled')).toEqual(['web.pulled']);
    expect(await names('events', 'source=clusterlab.dev/checker')).toEqual(['web.checked']);
    expect(await names('events', 'type=Warning')).toEqual(['web.checked']);
    expect(
      await names('events.v1.events.k8s.io', 'regarding.name=web,reportingController=clusterlab.dev/checker'),
    ).toEqual(['web.checked']);
    const bad = await core.kubectl(['get', 'events', '--field-selector', 'note=x'], { allowFail: true });
    expect(bad.stderr.trim()).toBe(
      'Error from server (BadRequest): Unable to find "/v1, Resource=events" that match label selector "", field selector "note=x": field label not supported: note',
    );
  });

  it('shows the pod its events in kubectl describe', async () => {
    const { stdout } = await core.kubectl(['describe', 'pod', 'web']);
    const events = stdout.slice(stdout.indexOf('Events:'));
    expect(events).toMatch(/Type\s+Reason\s+Age\s+From\s+Message/);
    expect(events).toMatch(
      /Normal\s+Pulled\s+\S+ \(x4 over \S+\)\s+kubelet\s+Container image "nginx:1.27" already present on machine/,
    );
    expect(events).toMatch(/Warning\s+StepPassed\s+\S+\s+clusterlab.dev\/checker\s+step 1 passed again/);
  });

  it('applies the strict rules of the new API to events created through it', async () => {
    const r = await core.write(
      'create',
      {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: 'web.bad', namespace: 'default' },
        regarding: podRef,
        reason: 'Oops',
        note: 'no event time',
        type: 'Sometimes',
      },
      true,
    );
    expect(r.stderr.trim()).toBe(
      'The Event "web.bad" is invalid: \n* eventTime: Required value\n* type: Invalid value: "": has invalid value: Sometimes',
    );
  });
});
