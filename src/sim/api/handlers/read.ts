import type { ResourceType } from '../../kinds/types.js';
import { apiVersionOf } from '../../kinds/types.js';
import type { KubeObject } from '../../store/types.js';
import { ApiError, badRequest } from '../errors.js';
import type { ApiServices } from '../services.js';
import { buildTable, partialObjectMetadata, type RowObjectMode } from '../table.js';
import {
  currentObject,
  type Handler,
  type HandlerRequest,
  queryInt,
  selection,
  selects,
  withTypeMeta,
} from './context.js';

export const handleGet: Handler = async (svc, req) => {
  const obj = currentObject(svc, req);
  return { code: 200, body: render(svc, req, [obj], { single: true, rv: obj.metadata.resourceVersion }) };
};

/** Pages of a list already served, so `continue` sees the snapshot the first page came from. */
class ContinueSnapshots {
  private readonly pages = new Map<string, { items: KubeObject[]; rv: number; at: number }>();
  private next = 1;

  put(items: KubeObject[], rv: number, now: number): string {
    for (const [k, v] of this.pages)
      if (now - v.at > 5 * 60_000 || this.pages.size > 64) this.pages.delete(k);
    const id = String(this.next++);
    this.pages.set(id, { items, rv, at: now });
    return id;
  }

  get(id: string) {
    return this.pages.get(id);
  }
}

const snapshots = new WeakMap<ApiServices, ContinueSnapshots>();

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  /** Index of the next item in the snapshot. */
  start: number;
  /** Snapshot id (this server process); when gone, the list restarts from `after`. */
  id: string;
  /** Namespace/name of the last item served, for when the snapshot is gone. */
  after: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as ContinueToken;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.start !== 'number') throw new Error('bad');
    return t;
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export const handleList: Handler = async (svc, req) => {
  const { type, info, query } = req;
  const sel = selection(type, query);
  const limit = queryInt(query, 'limit');
  const cont = query.get('continue');
  const now = svc.clock.now().getTime();
  let snaps = snapshots.get(svc);
  if (!snaps) {
    snaps = new ContinueSnapshots();
    snapshots.set(svc, snaps);
  }

  let items: KubeObject[];
  let rv: number;
  let start = 0;
  let snapId: string | undefined;
  if (cont) {
    if (query.get('resourceVersion')) {
      throw badRequest('specifying resource version is not allowed when using continue');
    }
    const token = decodeContinue(cont);
    const snap = snaps.get(token.id);
    if (snap && snap.rv === token.rv) {
      items = snap.items;
      rv = snap.rv;
      start = token.start;
      snapId = token.id;
    } else {
      items = svc.store
        .list(type.storage, type.namespaced ? info.namespace : undefined)
        .filter((o) => selects(sel, o) && keyOf(o) > token.after);
      rv = svc.store.resourceVersion;
    }
  } else {
    items = svc.store
      .list(type.storage, type.namespaced ? info.namespace : undefined)
      .filter((o) => selects(sel, o));
    rv = svc.store.resourceVersion;
  }

  let page = items.slice(start);
  let next: string | undefined;
  let remaining: number | undefined;
  if (limit !== undefined && limit > 0 && page.length > limit) {
    page = page.slice(0, limit);
    snapId ??= snaps.put(items, rv, now);
    next = encodeContinue({
      v: 'meta.k8s.io/v1',
      rv,
      start: start + limit,
      id: snapId,
      after: keyOf(page[page.length - 1]!),
    });
    remaining = items.length - start - limit;
  }
  return {
    code: 200,
    body: render(svc, req, page, { single: false, rv: String(rv), continueToken: next, remaining }),
  };
};

function includeObjectMode(req: HandlerRequest): RowObjectMode {
  const v = req.query.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw badRequest(
    `includeObject: Unsupported value: "${v}": supported values: "None", "Metadata", "Object"`,
  );
}

/** Strip type meta from list items, as typed lists do (custom resources keep it). */
function listItem(type: ResourceType, o: KubeObject): KubeObject {
  if (type.custom) return withTypeMeta(type, o);
  const { apiVersion: _a, kind: _k, ...rest } = type.fromStorage ? type.fromStorage(o) : o;
  return rest as KubeObject;
}

export function render(
  svc: ApiServices,
  req: HandlerRequest,
  objects: KubeObject[],
  opts: { single: boolean; rv?: string; continueToken?: string; remaining?: number },
): unknown {
  const { type, representation } = req;
  const now = svc.clock.now().getTime();
  if (representation.as === 'Table') {
    return buildTable(
      type,
      objects.map((o) => withTypeMeta(type, o)),
      {
        now,
        includeObject: includeObjectMode(req),
        metaVersion: representation.metaVersion,
        resourceVersion: opts.rv,
        continueToken: opts.continueToken,
        remainingItemCount: opts.remaining,
      },
    );
  }
  if (representation.as === 'PartialObjectMetadata') {
    if (!opts.single) {
      throw new ApiError(
        406,
        'NotAcceptable',
        'only the following media types are accepted: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
      );
    }
    return partialObjectMetadata(objects[0]!, representation.metaVersion);
  }
  if (representation.as === 'PartialObjectMetadataList') {
    return {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${representation.metaVersion}`,
      metadata: listMeta(opts),
      items: objects.map((o) => partialObjectMetadata(o, representation.metaVersion)),
    };
  }
  if (opts.single) return withTypeMeta(type, objects[0]!);
  return {
    kind: type.listKind,
    apiVersion: apiVersionOf(type),
    metadata: listMeta(opts),
    items: objects.map((o) => listItem(type, o)),
  };
}

function listMeta(opts: { rv?: string; continueToken?: string; remaining?: number }) {
  const m: Record<string, unknown> = { resourceVersion: opts.rv };
  if (opts.continueToken) m.continue = opts.continueToken;
  if (opts.remaining !== undefined) m.remainingItemCount = opts.remaining;
  return m;
}
