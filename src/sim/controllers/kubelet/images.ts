import type { PresentImage, PullResult } from '../../node/images/node-images.js';
import { parseImageReference } from '../../node/images/reference.js';
import type { NodeRuntime } from '../../node/runtime.js';
import { Backoff } from './backoff.js';
import { msg, reason, type WaitingReason } from './messages.js';

/**
 * Kubelet's image manager (`EnsureImageExists`): pull policy, the per-pod pull back-off, and
 * the events. Pulls take simulated time, so a pull is started and its result collected by a
 * later sync (which the pull's completion triggers).
 */

export type ImageOutcome =
  | { state: 'present'; image: PresentImage }
  | { state: 'pulling' }
  | { state: 'error'; reason: WaitingReason; message: string };

export interface ImageEvents {
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** The pull finished: sync the pod again. */
  wake(): void;
}

export class ImageManager {
  private readonly backoff = new Backoff();
  private readonly pulls = new Map<string, PullResult | 'pulling'>();
  private readonly lastPullError = new Map<string, string>();

  constructor(
    private readonly runtime: NodeRuntime,
    private readonly now: () => number,
  ) {}

  ensure(podUid: string, container: any, events: ImageEvents): ImageOutcome {
    const image: string = container.image;
    const parsed = parseImageReference(image);
    if (!parsed.ok) {
      const message = msg.invalidImage(image, parsed.error);
      events.event('Warning', reason.inspectFailed, message);
      return { state: 'error', reason: 'InvalidImageName', message };
    }
    const policy: string = container.imagePullPolicy ?? 'IfNotPresent';
    const key = `${podUid}_${image}`;
    const pending = this.pulls.get(key);
    if (pending === 'pulling') return { state: 'pulling' };
    if (pending) {
      // Collect the result of the pull this pod started.
      this.pulls.delete(key);
      if (pending.ok) return { state: 'present', image: pending.present };
      return { state: 'error', reason: 'ErrImagePull', message: pending.message };
    }
    const present = this.runtime.images.find(parsed.ref);
    if (present && policy !== 'Always') {
      events.event('Normal', reason.pulled, msg.alreadyPresent(image));
      return { state: 'present', image: present };
    }
    if (!present && policy === 'Never') {
      const message = msg.neverPull(image);
      events.event('Warning', reason.neverPull, message);
      return { state: 'error', reason: 'ErrImageNeverPull', message };
    }
    const now = this.now();
    if (this.backoff.inBackOffSinceUpdate(key, now)) {
      const base = msg.backOffPull(image);
      events.event('Normal', reason.backOff, base);
      const prev = this.lastPullError.get(key);
      return { state: 'error', reason: 'ImagePullBackOff', message: prev ? `${base}: ${prev}` : base };
    }
    this.lastPullError.delete(key);
    events.event('Normal', reason.pulling, msg.pulling(image));
    this.pulls.set(key, 'pulling');
    this.runtime.images.pull(parsed.ref, (result) => {
      if (this.pulls.get(key) !== 'pulling') return; // The pod went away meanwhile.
      this.pulls.set(key, result);
      if (result.ok) {
        events.event(
          'Normal',
          reason.pulled,
          msg.pulled(image, result.pullMs, result.totalMs, result.present.variant.sizeBytes),
        );
      } else {
        events.event('Warning', reason.failed, msg.failedPull(image, result.message));
        this.backoff.next(key, this.now(), this.now());
        this.lastPullError.set(key, `ErrImagePull: ${result.message}`);
      }
      events.wake();
    });
    return { state: 'pulling' };
  }

  /** When a pull that failed for this pod may be tried again. */
  retryAt(podUid: string, image: string): number | undefined {
    const key = `${podUid}_${image}`;
    const last = this.backoff.lastUpdate(key);
    return last === undefined ? undefined : last + this.backoff.get(key);
  }

  forget(podUid: string): void {
    this.backoff.forget(`${podUid}_`);
    for (const k of [...this.pulls.keys()]) if (k.startsWith(`${podUid}_`)) this.pulls.delete(k);
    for (const k of [...this.lastPullError.keys()])
      if (k.startsWith(`${podUid}_`)) this.lastPullError.delete(k);
  }
}
