import type { RuntimeContainer } from '../../node/container.js';
import { execInContainer } from '../../node/process/exec.js';
import type { KubeObject } from '../../store/types.js';
import type { KubeletContext } from './context.js';
import { reason } from './messages.js';
import { fieldPath } from './start.js';

/**
 * Stopping a container as kubelet's `killContainer` does: the `Killing` event, the preStop
 * hook (its time counts against the grace period), then the image's stop signal; what the
 * process has not finished when the grace period (at least 2 s) runs out is SIGKILLed (137).
 */

const MINIMUM_GRACE_MS = 2000;

/** The grace period: a probe's own `terminationGracePeriodSeconds`, else the pod's (30 s by default). */
export function terminationGraceMs(pod: KubeObject, spec?: any, probe?: 'liveness' | 'startup'): number {
  const probeGrace = probe ? spec?.[`${probe}Probe`]?.terminationGracePeriodSeconds : undefined;
  return (probeGrace ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
}

function preStopMs(spec: any, c: RuntimeContainer, now: number): number {
  const hook = spec.lifecycle?.preStop;
  if (!hook) return 0;
  if (hook.sleep) return (hook.sleep.seconds ?? 0) * 1000;
  if (hook.exec?.command) {
    const out = execInContainer(
      {
        shell: c.config.image.variant.shell,
        fs: c.fs,
        env: c.config.env,
        hostname: c.config.hostname,
        now,
        resolve: (n) => c.config.resolve(n),
      },
      hook.exec.command,
    );
    return out.ok ? out.result.tookMs : 0;
  }
  return 0;
}

export function stopContainer(
  ctx: KubeletContext,
  pod: KubeObject,
  spec: any,
  init: boolean,
  c: RuntimeContainer,
  message: string,
  graceMs: number,
): void {
  const now = ctx.now();
  ctx.event(pod, 'Normal', reason.killing, message, fieldPath(spec, init));
  const hookMs = Math.min(preStopMs(spec, c, now), graceMs);
  const remaining = Math.max(graceMs - hookMs, MINIMUM_GRACE_MS);
  const signal = c.config.image.image.stopSignal;
  c.stopReason ??= 'stop';
  if (hookMs <= 0) c.stop(signal, remaining, now);
  else ctx.setTimeout(() => c.stop(signal, remaining, now + hookMs), hookMs);
}
