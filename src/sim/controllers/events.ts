import type { InternalClient } from '../api/client.js';
import { timestamp } from '../api/validation/objectmeta.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { KubeObject } from '../store/types.js';

/**
 * Events as the sim's components emit them, aggregated the way client-go's event correlator
 * does: the same source, object, type, reason and message again bumps `count` and
 * `lastTimestamp` on the existing Event instead of creating another, so `kubectl describe`
 * shows `Back-off restarting failed container … (x5 over 3m)` as on a real cluster.
 */

export interface EventSource {
  /** `kubelet`, `default-scheduler`, `deployment-controller`, … */
  component: string;
  /** The node, for kubelet events. */
  host?: string;
}

export interface EventOptions {
  /** `spec.containers{web}` for container-level kubelet events. */
  fieldPath?: string;
}

export type EventType = 'Normal' | 'Warning';

interface Seen {
  namespace: string;
  name: string;
}

/** How long a previous identical event is still bumped instead of a new one made (upstream: 10 min). */
const AGGREGATION_WINDOW_MS = 10 * 60_000;

export class EventRecorder {
  private readonly seen = new Map<string, Seen & { at: number }>();
  private counter = 0;
  private sweepAt = 4096;

  constructor(
    private readonly client: InternalClient,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Record an event about `obj`. Never throws: a lost event must not break a controller. */
  async record(
    obj: KubeObject,
    source: EventSource,
    type: EventType,
    reason: string,
    message: string,
    opts: EventOptions = {},
  ): Promise<void> {
    try {
      await this.write(obj, source, type, reason, message, opts);
    } catch (err) {
      this.log.warn(`event ${reason} for ${obj.kind}/${obj.metadata.name}: ${(err as Error).message}`);
    }
  }

  private async write(
    obj: KubeObject,
    source: EventSource,
    type: EventType,
    reason: string,
    message: string,
    opts: EventOptions,
  ): Promise<void> {
    const events = this.client.resource('', 'events');
    const now = this.clock.now();
    const namespace = obj.metadata.namespace ?? 'default';
    const key = JSON.stringify([
      source.component,
      source.host ?? '',
      obj.kind,
      namespace,
      obj.metadata.name,
      obj.metadata.uid,
      opts.fieldPath ?? '',
      type,
      reason,
      message,
    ]);
    const previous = this.seen.get(key);
    if (previous && now.getTime() - previous.at < AGGREGATION_WINDOW_MS) {
      const existing = events.get(previous.namespace, previous.name);
      if (existing) {
        previous.at = now.getTime();
        await events.update({ ...existing, count: (existing.count ?? 1) + 1, lastTimestamp: timestamp(now) });
        return;
      }
    }
    const name = `${obj.metadata.name}.${this.suffix(now)}`;
    const involvedObject: Record<string, unknown> = {
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
    };
    if (opts.fieldPath) involvedObject.fieldPath = opts.fieldPath;
    await events.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      source: source.host
        ? { component: source.component, host: source.host }
        : { component: source.component },
      firstTimestamp: timestamp(now),
      lastTimestamp: timestamp(now),
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
    this.seen.set(key, { namespace, name, at: now.getTime() });
    // Forget events outside the window, but only when the map has doubled since the last
    // sweep, so recording stays O(1) on average however many events a big lab emits.
    if (this.seen.size > this.sweepAt) {
      for (const [k, v] of this.seen) if (now.getTime() - v.at > AGGREGATION_WINDOW_MS) this.seen.delete(k);
      this.sweepAt = Math.max(4096, this.seen.size * 2);
    }
  }

  /** Upstream names events `<object>.<unix nanoseconds in hex>`. */
  private suffix(now: Date): string {
    const nanos = BigInt(now.getTime()) * 1_000_000n + BigInt(this.counter++ % 1_000_000);
    return nanos.toString(16);
  }
}
