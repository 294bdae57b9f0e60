import { KubeClient } from './client.js';
import { Discovery } from './discovery.js';
import { type PodExec, podExecFor } from './exec.js';
import { InformerPool, type InformerPoolOptions } from './informers.js';

export { ApiError, KubeClient, type RawReply } from './client.js';
export { Discovery, type ResolvedKind, UnknownKindError } from './discovery.js';
export type { PodExec, PodExecResult } from './exec.js';
export { InformerPool, type WatchHandle, type WatchKey } from './informers.js';

/** Everything the checks need from one cluster, made from one kubeconfig. */
export interface KubeConnection {
  client: KubeClient;
  discovery: Discovery;
  informers: InformerPool;
  podExec: PodExec;
  close(): Promise<void>;
}

export function connect(kubeconfig: string, o: InformerPoolOptions = {}): KubeConnection {
  const client = KubeClient.fromFile(kubeconfig);
  const discovery = new Discovery(client);
  const informers = new InformerPool(client, discovery, o);
  return {
    client,
    discovery,
    informers,
    podExec: podExecFor(client),
    async close() {
      await informers.close();
      client.close();
    },
  };
}
