/**
 * Turn a request path and method into what it asks for, the way the upstream API server's
 * RequestInfo does: `/apis/apps/v1/namespaces/web/deployments/front/scale` is a `get` of the
 * `scale` subresource of deployment `front` in namespace `web`.
 */

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  kind: 'resource';
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  verb: Verb;
}

export interface NonResourceRequest {
  kind: 'nonresource';
  path: string;
}

/** `/api` or `/apis/<group>` — what a discovery document describes. */
export interface DiscoveryRequest {
  kind: 'discovery';
  group?: string;
  version?: string;
  legacy: boolean;
}

export type RequestInfo = ResourceRequest | NonResourceRequest | DiscoveryRequest;

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRequest(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const parts = pathname.split('/').filter((p) => p.length > 0);
  let rest: string[];
  let group: string;
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'discovery', legacy: true };
    group = '';
    if (parts.length === 2) return { kind: 'discovery', legacy: true, group: '', version: parts[1]! };
    rest = parts.slice(1);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'discovery', legacy: false };
    if (parts.length === 2) return { kind: 'discovery', legacy: false, group: parts[1]! };
    if (parts.length === 3) return { kind: 'discovery', legacy: false, group: parts[1]!, version: parts[2]! };
    group = parts[1]!;
    rest = parts.slice(2);
  } else {
    return { kind: 'nonresource', path: pathname };
  }
  const version = rest[0]!;
  let cur = rest.slice(1);
  let watchPath = false;
  if (cur[0] === 'watch') {
    watchPath = true;
    cur = cur.slice(1);
  }
  let namespace: string | undefined;
  if (cur[0] === 'namespaces' && cur.length > 1) {
    namespace = decodeURIComponent(cur[1]!);
    if (cur.length > 2 && !NAMESPACE_SUBRESOURCES.has(cur[2]!)) cur = cur.slice(2);
  }
  const resource = cur[0] ?? '';
  const name = cur[1] !== undefined ? decodeURIComponent(cur[1]) : undefined;
  const subresource = cur.length > 2 ? cur.slice(2).join('/') : undefined;
  if (resource === 'namespaces' && namespace !== undefined && name === undefined) {
    // `/api/v1/namespaces/x` names the namespace x itself.
    return finish(method, query, watchPath, { group, version, resource, name: namespace, subresource });
  }
  return finish(method, query, watchPath, { group, version, namespace, resource, name, subresource });
}

function finish(
  method: string,
  query: URLSearchParams,
  watchPath: boolean,
  r: Omit<ResourceRequest, 'kind' | 'verb'>,
): ResourceRequest {
  const watch = watchPath || query.get('watch') === 'true' || query.get('watch') === '1';
  let verb: Verb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = watch ? 'watch' : r.name === undefined ? 'list' : 'get';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = r.name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      verb = 'get';
  }
  if (r.resource === 'namespaces' && r.name !== undefined && r.namespace === undefined) {
    return { kind: 'resource', ...r, namespace: r.name, verb };
  }
  return { kind: 'resource', ...r, verb };
}
