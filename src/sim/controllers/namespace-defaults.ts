import type { InternalClient } from '../api/client.js';
import type { ApiServices } from '../api/services.js';
import type { Logger } from '../log.js';
import { WorkQueue } from './queue.js';
import type { Controller } from './types.js';

/**
 * What every namespace holds on a real cluster: the `kube-root-ca.crt` ConfigMap (root CA
 * publisher) and the `default` ServiceAccount (service account controller). Both come back if
 * deleted, as upstream's controllers make them.
 */
export class NamespaceDefaultsController implements Controller {
  readonly name = 'namespace-defaults';
  private readonly queue: WorkQueue;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly svc: ApiServices,
    private readonly client: InternalClient,
    private readonly caCert: string,
    log: Logger,
  ) {
    this.queue = new WorkQueue(this.name, (ns) => this.sync(ns), log);
  }

  start(): void {
    this.unsubscribe = this.svc.store.subscribe((e) => {
      if (e.resource === 'core/namespaces' && e.type === 'ADDED') this.queue.add(e.object.metadata.name!);
      else if (e.type === 'DELETED' && e.object.metadata.namespace) {
        const n = e.object.metadata.name;
        if (
          (e.resource === 'core/configmaps' && n === 'kube-root-ca.crt') ||
          (e.resource === 'core/serviceaccounts' && n === 'default')
        ) {
          this.queue.add(e.object.metadata.namespace);
        }
      }
    });
    for (const ns of this.svc.store.list('core/namespaces')) this.queue.add(ns.metadata.name!);
  }

  stop(): void {
    this.unsubscribe?.();
    this.queue.stop();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async sync(name: string): Promise<void> {
    const ns = this.svc.store.get('core/namespaces', undefined, name);
    if (!ns || ns.metadata.deletionTimestamp) return;
    const cms = this.client.resource('', 'configmaps');
    if (!cms.get(name, 'kube-root-ca.crt')) {
      await cms.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kube-root-ca.crt', namespace: name },
        data: { 'ca.crt': this.caCert },
      });
    }
    if (this.svc.registry.byStorage('core/serviceaccounts').length > 0) {
      const sas = this.client.resource('', 'serviceaccounts');
      if (!sas.get(name, 'default')) {
        await sas.create({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: 'default', namespace: name },
        });
      }
    }
  }
}
