import type { ResourceType } from '../kinds/types.js';
import type { KubeObject } from '../store/types.js';
import { notFound } from './errors.js';
import { commitCreate, commitUpdate } from './handlers/commit.js';
import { commitDelete, type DeleteOptions } from './handlers/delete.js';
import type { ApiServices } from './services.js';

/**
 * The sim's controllers talk to the cluster through this client, which runs the same write
 * path as HTTP requests (defaulting, validation, finalizers, watch events), without HTTP.
 */
export class ResourceClient {
  constructor(
    private readonly svc: ApiServices,
    readonly type: ResourceType,
    private readonly manager: string,
  ) {}

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.svc.store.get(this.type.storage, this.type.namespaced ? namespace : undefined, name);
  }

  list(namespace?: string): KubeObject[] {
    return this.svc.store.list(this.type.storage, namespace);
  }

  create(obj: KubeObject): Promise<KubeObject> {
    return commitCreate(this.svc, this.type, obj, obj.metadata.namespace, { fieldManager: this.manager });
  }

  update(obj: KubeObject, subresource?: 'status' | 'finalize'): Promise<KubeObject> {
    const current = this.get(obj.metadata.namespace, obj.metadata.name!);
    if (!current) throw notFound(this.type.group, this.type.plural, obj.metadata.name!);
    return commitUpdate(this.svc, this.type, current, obj, { fieldManager: this.manager, subresource });
  }

  async delete(namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<void> {
    const current = this.get(namespace, name);
    if (!current) return;
    await commitDelete(this.svc, this.type, current, opts);
  }
}

export class InternalClient {
  constructor(
    private readonly svc: ApiServices,
    private readonly manager: string,
  ) {}

  /** A client for a resource by group and plural, at the group's preferred version. */
  resource(group: string, plural: string): ResourceClient {
    const type = this.svc.registry.byStorage(`${group || 'core'}/${plural}`)[0];
    if (!type) throw new Error(`resource ${plural}.${group} is not served`);
    return new ResourceClient(this.svc, type, this.manager);
  }

  forType(type: ResourceType): ResourceClient {
    return new ResourceClient(this.svc, type, this.manager);
  }
}
