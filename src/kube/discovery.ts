import { ApiError, type KubeClient } from './client.js';

/** Where a kind lives on the API server: its resource name (plural) and whether it is namespaced. */
export interface ResolvedKind {
  apiVersion: string;
  kind: string;
  resource: string;
  namespaced: boolean;
}

interface ApiResourceList {
  resources: Array<{ name: string; kind: string; namespaced: boolean }>;
}

/** The API path of a kind's collection, in one namespace or across all. */
export function collectionPath(r: ResolvedKind, namespace?: string): string {
  const base = r.apiVersion.includes('/') ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`;
  return r.namespaced && namespace
    ? `${base}/namespaces/${namespace}/${r.resource}`
    : `${base}/${r.resource}`;
}

export class UnknownKindError extends Error {
  override readonly name = 'UnknownKindError';
}

/**
 * Kind → resource by asking the server, as kubectl does. Not cached across failures: a kind
 * that a CRD the learner has yet to create will serve is looked up again next time.
 */
export class Discovery {
  private readonly cache = new Map<string, Promise<ApiResourceList>>();

  constructor(private readonly client: KubeClient) {}

  async resolve(apiVersion: string, kind: string): Promise<ResolvedKind> {
    const list = await this.groupVersion(apiVersion);
    const found = list.resources.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!found) {
      this.cache.delete(apiVersion);
      throw new UnknownKindError(`the API server has no kind "${kind}" in ${apiVersion}`);
    }
    return { apiVersion, kind, resource: found.name, namespaced: found.namespaced };
  }

  private groupVersion(apiVersion: string): Promise<ApiResourceList> {
    let p = this.cache.get(apiVersion);
    if (!p) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      p = this.client.getJson<ApiResourceList>(path).catch((e) => {
        this.cache.delete(apiVersion);
        if (e instanceof ApiError && e.status === 404)
          throw new UnknownKindError(`the API server does not serve ${apiVersion}`);
        throw e;
      });
      this.cache.set(apiVersion, p);
    }
    return p;
  }
}
