import type { ServerResponse } from 'node:http';
import type { ResourceType } from '../../kinds/types.js';
import { apiVersionOf } from '../../kinds/types.js';
import {
  type FieldRequirement,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  type Requirement,
  SelectorError,
} from '../../store/selectors.js';
import type { KubeObject } from '../../store/types.js';
import type { Representation } from '../content.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import type { ResourceRequest } from '../request-info.js';
import type { ApiServices } from '../services.js';

/** One resource request, as the handlers see it. */
export interface HandlerRequest {
  info: ResourceRequest;
  type: ResourceType;
  query: URLSearchParams;
  representation: Representation;
  contentType: string | undefined;
  /** The raw body (writes only). */
  body: Buffer;
  userAgent: string;
  /** Request headers by lower-case name, each with all its values (impersonation reads them). */
  headers?: Record<string, string[] | undefined>;
  res: ServerResponse;
}

export interface HandlerResult {
  code: number;
  body: unknown;
  warnings?: string[];
}

export type Handler = (svc: ApiServices, req: HandlerRequest) => Promise<HandlerResult | undefined>;

export function currentObject(svc: ApiServices, req: HandlerRequest): KubeObject {
  const { type, info } = req;
  const obj = svc.store.get(type.storage, type.namespaced ? info.namespace : undefined, info.name!);
  if (!obj) throw notFound(type.group, type.plural, info.name!);
  return withTypeMeta(type, obj);
}

/** Objects are served in the version the client asked for (the store keeps one). */
export function withTypeMeta(type: ResourceType, stored: KubeObject): KubeObject {
  const obj = type.fromStorage ? type.fromStorage(stored) : stored;
  const apiVersion = apiVersionOf(type);
  if (obj.apiVersion === apiVersion && obj.kind === type.kind) return obj;
  return { ...obj, apiVersion, kind: type.kind };
}

/** The object as the store keeps it (see `ResourceType.toStorage`). */
export function toStorage(type: ResourceType, obj: KubeObject): KubeObject {
  return type.toStorage ? type.toStorage(obj) : obj;
}

export interface Selection {
  labels: Requirement[];
  fields: FieldRequirement[];
  fieldReaders: Record<string, (o: any) => string | undefined>;
}

const META_FIELDS: Record<string, (o: any) => string | undefined> = {
  'metadata.name': (o) => o.metadata?.name,
  'metadata.namespace': (o) => o.metadata?.namespace,
};

export function selection(type: ResourceType, query: URLSearchParams): Selection {
  try {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'));
    const fieldReaders = { ...META_FIELDS, ...(type.fieldSelectors ?? {}) };
    for (const f of fields) {
      if (!fieldReaders[f.field]) {
        throw badRequest(`field label not supported: ${f.field}`);
      }
    }
    return { labels, fields, fieldReaders };
  } catch (e) {
    if (e instanceof SelectorError) throw badRequest(e.message);
    throw e;
  }
}

export function selects(sel: Selection, obj: KubeObject): boolean {
  return matchesLabels(sel.labels, obj.metadata.labels) && matchesFields(sel.fields, obj, sel.fieldReaders);
}

export function queryInt(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return n;
}

export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All')
      throw new ApiError(400, 'BadRequest', `dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}
