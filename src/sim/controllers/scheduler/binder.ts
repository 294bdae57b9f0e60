import type { InternalClient } from '../../api/client.js';
import type { ApiServices } from '../../api/services.js';
import { timestamp } from '../../api/validation/objectmeta.js';
import type { KubeObject } from '../../store/types.js';
import type { EventRecorder } from '../events.js';

/**
 * What the scheduler writes: the binding (spec.nodeName and `PodScheduled=True` in one write,
 * as `POST pods/<name>/binding` does), the `PodScheduled=False` condition of a pod that fits
 * nowhere, the events, and the deletion of preemption victims.
 */

export const SCHEDULER_NAME = 'default-scheduler';
const SOURCE = { component: SCHEDULER_NAME };

export class SchedulerWriter {
  constructor(
    private readonly svc: ApiServices,
    private readonly client: InternalClient,
    private readonly events: EventRecorder,
  ) {}

  /** Bind like the binding subresource; false when the pod went away or was bound meanwhile. */
  async bind(pod: KubeObject, node: string): Promise<boolean> {
    const current = this.svc.store.get('core/pods', pod.metadata.namespace, pod.metadata.name!);
    if (!current || current.spec?.nodeName || current.metadata.deletionTimestamp) return false;
    if (current.metadata.uid !== pod.metadata.uid) return false;
    const next = structuredClone(current);
    next.spec.nodeName = node;
    const conditions = (next.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
    conditions.push({
      type: 'PodScheduled',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: timestamp(this.svc.clock.now()),
    });
    next.status = { ...next.status, conditions };
    // No nominated node once the pod is placed.
    delete next.status.nominatedNodeName;
    this.svc.store.update('core/pods', next);
    await this.svc.store.flushed();
    await this.events.record(
      current,
      SOURCE,
      'Normal',
      'Scheduled',
      `Successfully assigned ${current.metadata.namespace}/${current.metadata.name} to ${node}`,
    );
    return true;
  }

  /** `PodScheduled=False` with the reason and message, plus the FailedScheduling event. */
  async unschedulable(
    pod: KubeObject,
    reason: string,
    message: string,
    nominatedNode?: string,
  ): Promise<void> {
    const pods = this.client.resource('', 'pods');
    const current = pods.get(pod.metadata.namespace, pod.metadata.name!);
    if (!current || current.spec?.nodeName || current.metadata.uid !== pod.metadata.uid) return;
    await this.events.record(current, SOURCE, 'Warning', 'FailedScheduling', message);
    const conditions: any[] = current.status?.conditions ?? [];
    const previous = conditions.find((c) => c.type === 'PodScheduled');
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime:
        previous?.status === 'False' ? previous.lastTransitionTime : timestamp(this.svc.clock.now()),
      reason,
      message,
    };
    const status = {
      ...current.status,
      conditions: [...conditions.filter((c) => c !== previous), condition],
    };
    if (nominatedNode !== undefined) {
      if (nominatedNode) status.nominatedNodeName = nominatedNode;
      else delete status.nominatedNodeName;
    }
    const unchanged =
      previous?.status === 'False' &&
      previous.reason === reason &&
      previous.message === message &&
      status.nominatedNodeName === current.status?.nominatedNodeName;
    if (unchanged) return;
    await pods.update({ ...current, status }, 'status');
  }

  /** Evict a preemption victim as upstream does: DisruptionTarget condition, event, graceful delete. */
  async preemptVictim(victim: KubeObject, preemptor: KubeObject, node: string): Promise<void> {
    const pods = this.client.resource('', 'pods');
    const current = pods.get(victim.metadata.namespace, victim.metadata.name!);
    if (!current || current.metadata.deletionTimestamp) return;
    const conditions = (current.status?.conditions ?? []).filter((c: any) => c.type !== 'DisruptionTarget');
    conditions.push({
      type: 'DisruptionTarget',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: timestamp(this.svc.clock.now()),
      reason: 'PreemptionByScheduler',
      message: `${SCHEDULER_NAME}: preempting to accommodate a higher priority pod`,
    });
    await pods.update({ ...current, status: { ...current.status, conditions } }, 'status');
    await this.events.record(
      current,
      SOURCE,
      'Normal',
      'Preempted',
      `Preempted by pod ${preemptor.metadata.uid} on node ${node}`,
    );
    await pods.delete(current.metadata.namespace, current.metadata.name!);
  }
}
