import type { LogLine, RuntimeContainer } from '../../node/container.js';
import { badRequest } from '../errors.js';
import type { Handler } from './context.js';
import { queryInt } from './context.js';
import { containerSpec, instancesOf, type NodeRuntimes, podOf, runtimeOf } from './pod-target.js';

/**
 * `GET pods/{name}/log`: what the runtime kept of a container's output, as kubelet serves it
 * (`follow`, `previous`, `tailLines`, `sinceSeconds`, `sinceTime`, `timestamps`,
 * `limitBytes`). A follow streams new lines until the container exits or the client goes.
 */

/** RFC 3339 with nanoseconds, as CRI log lines carry them (`2026-01-02T03:04:05.123000000Z`). */
export function logTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

interface LogQuery {
  follow: boolean;
  timestamps: boolean;
  tail?: number;
  since?: number;
  limitBytes?: number;
}

function choose(instances: RuntimeContainer[], previous: boolean, pod: any, name: string): RuntimeContainer {
  const latest = instances[instances.length - 1];
  if (previous) {
    const prev = instances.length > 1 ? instances[instances.length - 2] : undefined;
    if (!prev)
      throw badRequest(
        `previous terminated container ${JSON.stringify(name)} in pod ${JSON.stringify(pod.metadata.name)} not found`,
      );
    return prev;
  }
  if (!latest) {
    const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
    const waiting = statuses.find((s: any) => s.name === name)?.state?.waiting?.reason;
    const init = (pod.spec?.initContainers ?? []).some((c: any) => c.name === name);
    throw badRequest(
      `container ${JSON.stringify(name)} in pod ${JSON.stringify(pod.metadata.name)} is waiting to start: ${waiting ?? (init ? 'PodInitializing' : 'ContainerCreating')}`,
    );
  }
  return latest;
}

export function logsHandler(runtimes: NodeRuntimes): Handler {
  return async (svc, req) => {
    const pod = podOf(svc, req.info.namespace, req.info.name);
    const { spec } = containerSpec(pod, req.query.get('container'));
    const flag = (n: string) => req.query.get(n) === 'true';
    const q: LogQuery = {
      follow: flag('follow'),
      timestamps: flag('timestamps'),
      tail: queryInt(req.query, 'tailLines'),
      limitBytes: queryInt(req.query, 'limitBytes'),
    };
    const sinceSeconds = queryInt(req.query, 'sinceSeconds');
    const sinceTime = req.query.get('sinceTime');
    if (sinceSeconds !== undefined) q.since = svc.clock.now().getTime() - sinceSeconds * 1000;
    else if (sinceTime) q.since = Date.parse(sinceTime);
    let c: RuntimeContainer;
    if (!pod.spec?.nodeName) {
      throw badRequest(
        `container ${JSON.stringify(spec.name)} in pod ${JSON.stringify(pod.metadata.name)} is waiting to start: ContainerCreating`,
      );
    } else
      c = choose(instancesOf(runtimeOf(runtimes, pod), pod, spec.name), flag('previous'), pod, spec.name);

    const res = req.res;
    res.writeHead(200, {
      'Content-Type': 'text/plain',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    let budget = q.limitBytes ?? Number.POSITIVE_INFINITY;
    const format = (l: LogLine) => `${q.timestamps ? `${logTimestamp(l.at)} ` : ''}${l.text}\n`;
    const send = (text: string): boolean => {
      if (budget <= 0) return false;
      const out = Buffer.byteLength(text) > budget ? Buffer.from(text).subarray(0, budget).toString() : text;
      budget -= Buffer.byteLength(out);
      res.write(out);
      return budget > 0;
    };
    let lines = c.logs.filter((l) => q.since === undefined || l.at >= q.since);
    if (q.tail !== undefined) lines = q.tail <= 0 ? [] : lines.slice(-q.tail);
    if (lines.length) send(lines.map(format).join(''));
    if (q.follow && c.state !== 'exited' && budget > 0) {
      await new Promise<void>((resolve) => {
        const off = c.followLogs((l) => {
          if (!send(format(l))) done();
        });
        const onClose = () => done();
        function done() {
          off();
          res.off('close', onClose);
          resolve();
        }
        res.on('close', onClose);
        void c.exited().then(done);
      });
    }
    res.end();
    return undefined;
  };
}
