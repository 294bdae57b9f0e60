import { GoneError } from '../../store/store.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import { ApiError, badRequest } from '../errors.js';
import type { ApiServices } from '../services.js';
import { buildTable, partialObjectMetadata } from '../table.js';
import { type Handler, type HandlerRequest, queryInt, selection, selects, withTypeMeta } from './context.js';

type OutType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** A chunked stream of `{"type","object"}` lines, each ending in `\n` (client-node splits on it). */
export const handleWatch: Handler = async (svc, req) => {
  const { type, info, query, res } = req;
  const sel = selection(type, query);
  const namespace = type.namespaced ? info.namespace : undefined;
  const rvParam = query.get('resourceVersion') ?? '';
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const timeoutSeconds = queryInt(query, 'timeoutSeconds');
  const initialEvents = query.get('sendInitialEvents') === 'true';
  if (rvParam !== '' && !/^\d+$/.test(rvParam)) {
    throw badRequest(`resourceVersion: Invalid value: "${rvParam}": must be a non-negative integer`);
  }
  const inScope = (o: KubeObject) => namespace === undefined || o.metadata.namespace === namespace;
  const matches = (o: KubeObject | undefined) => !!o && inScope(o) && selects(sel, o);

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();

  let first = true;
  const encode = (evType: OutType, obj: unknown): string => {
    let object = obj;
    if (evType !== 'ERROR' && evType !== 'BOOKMARK') {
      const o = withTypeMeta(type, obj as KubeObject);
      if (req.representation.as === 'Table') {
        object = buildTable(type, [o], {
          now: svc.clock.now().getTime(),
          includeObject: (query.get('includeObject') as 'None' | 'Metadata' | 'Object' | null) ?? 'Metadata',
          metaVersion: req.representation.metaVersion,
          resourceVersion: o.metadata.resourceVersion,
          noHeaders: !first,
        });
        first = false;
      } else if (
        req.representation.as === 'PartialObjectMetadata' ||
        req.representation.as === 'PartialObjectMetadataList'
      ) {
        object = partialObjectMetadata(o, req.representation.metaVersion);
      } else object = o;
    }
    return `${JSON.stringify({ type: evType, object })}\n`;
  };

  let closed = false;
  const cleanups: Array<() => void> = [];
  const close = () => {
    if (closed) return;
    closed = true;
    for (const c of cleanups) c();
    res.end();
  };
  const send = (evType: OutType, obj: unknown) => {
    if (closed) return;
    res.write(encode(evType, obj));
    // A client that stops reading must not make the server buffer without limit.
    if (res.writableLength > 64 * 1024 * 1024) close();
  };
  const bookmark = (rv: number, extra?: Record<string, string>) =>
    send('BOOKMARK', {
      kind: type.kind,
      apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
      metadata: { resourceVersion: String(rv), ...(extra ? { annotations: extra } : {}) },
    });

  const translate = (e: StoreEvent) => {
    if (e.resource !== type.storage) return;
    const now = e.type === 'DELETED' ? false : matches(e.object);
    const before = e.type === 'ADDED' ? false : matches(e.old);
    if (e.type === 'DELETED') {
      if (before) send('DELETED', e.object);
    } else if (now && before) send('MODIFIED', e.object);
    else if (now) send('ADDED', e.object);
    else if (before) send('DELETED', e.object);
  };

  // Subscribe before reading history so that nothing is missed in between.
  const buffered: StoreEvent[] = [];
  let live = false;
  cleanups.push(
    svc.store.subscribe((e) => {
      if (live) translate(e);
      else buffered.push(e);
    }),
  );

  let startRv: number;
  try {
    if (rvParam === '' || rvParam === '0' || initialEvents) {
      startRv = svc.store.resourceVersion;
      for (const o of svc.store.list(type.storage, namespace)) if (selects(sel, o)) send('ADDED', o);
      if (initialEvents && bookmarks) bookmark(startRv, { 'k8s.io/initial-events-end': 'true' });
    } else {
      startRv = Number(rvParam);
      for (const e of svc.store.eventsSince(Math.min(startRv, svc.store.resourceVersion))) translate(e);
    }
  } catch (err) {
    if (err instanceof GoneError) {
      const gone = new ApiError(410, 'Expired', err.message);
      send('ERROR', gone.toStatus());
      close();
      return undefined;
    }
    throw err;
  }
  for (const e of buffered) if (e.rv > startRv) translate(e);
  live = true;

  if (bookmarks) {
    const timer = setInterval(() => bookmark(svc.store.resourceVersion), svc.watch.bookmarkIntervalMs);
    cleanups.push(() => clearInterval(timer));
  }
  const min = svc.watch.minRequestTimeoutMs;
  const timeoutMs =
    timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds * 1000 : min * (1 + Math.random());
  const timer = setTimeout(close, timeoutMs);
  cleanups.push(() => clearTimeout(timer));
  res.on('close', close);
  return undefined;
};

export function isWatchRequest(req: HandlerRequest): boolean {
  return req.info.verb === 'watch';
}

export type { ApiServices };
