import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log.js';
import { negotiate, readBody } from './content.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { ApiError, methodNotAllowed, unauthorized } from './errors.js';
import type { Handler, HandlerRequest } from './handlers/context.js';
import { handleDelete, handleDeleteCollection } from './handlers/delete.js';
import { handleEviction } from './handlers/eviction.js';
import { handleGet, handleList } from './handlers/read.js';
import { handleBinding, handleScale } from './handlers/subresources.js';
import { virtualCreate } from './handlers/virtual.js';
import { handleWatch } from './handlers/watch.js';
import { handleCreate, handlePatch, handleUpdate } from './handlers/write.js';
import { parseRequest, type ResourceRequest } from './request-info.js';
import type { ApiServices } from './services.js';
import { rejectUpgrade, type UpgradeHandler } from './stream/upgrade.js';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** Serves the OpenAPI documents (`/openapi/v3` index and one document per group-version). */
export interface OpenApiProvider {
  v3Index(): unknown;
  v3Document(groupVersionPath: string): unknown | undefined;
  /** The gnostic protobuf document kubectl 1.27/1.28 fetch from /openapi/v2 before writes. */
  v2Protobuf?(): Buffer;
}

export interface ApiServerOptions {
  port: number;
  key: string;
  cert: string;
  token: string;
  version: VersionInfo;
  services: ApiServices;
  openapi: OpenApiProvider;
  log: Logger;
  /** Extra handlers for subresources the sim's node layer serves (log, exec, …). */
  subresourceHandlers?: Record<string, Handler>;
  /** Connection upgrades (WebSocket/SPDY) by `resource/subresource` (`pods/exec`). */
  upgradeHandlers?: Record<string, UpgradeHandler>;
  /** Upgrades on the sim's own paths, by path prefix (a node's shell). */
  pathUpgradeHandlers?: Array<[prefix: string, handler: UpgradeHandler]>;
}

const ANONYMOUS_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** The sim's Kubernetes API server: HTTPS on 127.0.0.1 only, bearer-token authentication. */
export class ApiServer {
  private server: https.Server | undefined;
  private readonly tokenBuf: Buffer;
  private readonly upgraded = new Set<Duplex>();

  constructor(private readonly opts: ApiServerOptions) {
    this.tokenBuf = Buffer.from(`Bearer ${opts.token}`);
  }

  async listen(): Promise<number> {
    const server = https.createServer({ key: this.opts.key, cert: this.opts.cert }, (req, res) => {
      this.handle(req, res).catch((err) => {
        this.opts.log.error(`unhandled error for ${req.method} ${req.url}: ${(err as Error).stack}`);
        if (!res.headersSent)
          this.sendError(res, new ApiError(500, 'InternalError', 'Internal error occurred'));
        else res.destroy();
      });
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgraded.add(socket);
      socket.once('close', () => this.upgraded.delete(socket));
      this.handleUpgrade(req, socket, head).catch((err) => {
        this.opts.log.error(`unhandled error for upgrade ${req.method} ${req.url}: ${(err as Error).stack}`);
        rejectUpgrade(socket, new ApiError(500, 'InternalError', 'Internal error occurred'));
      });
    });
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 70_000;
    server.requestTimeout = 0;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, '127.0.0.1', () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      // Upgraded connections (exec sessions) are no longer the HTTP server's to close.
      for (const socket of this.upgraded) socket.destroy();
    });
  }

  private authorized(req: IncomingMessage): boolean {
    const h = req.headers.authorization;
    if (!h) return false;
    const given = Buffer.from(h);
    return given.length === this.tokenBuf.length && timingSafeEqual(given, this.tokenBuf);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'https://localhost');
    res.on('finish', () => {
      this.opts.log.debug(
        `${req.method} ${url.pathname}${url.search} ${res.statusCode} ${Date.now() - started}ms`,
      );
    });
    try {
      if (!ANONYMOUS_PATHS.has(url.pathname) && !this.authorized(req)) throw unauthorized();
      await this.route(req, res, url);
    } catch (err) {
      if (err instanceof ApiError) {
        if (res.headersSent) res.end();
        else this.sendError(res, err);
        return;
      }
      throw err;
    }
  }

  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'https://localhost');
    this.opts.log.debug(`${req.method} ${url.pathname}${url.search} upgrade ${req.headers.upgrade}`);
    try {
      if (!this.authorized(req)) throw unauthorized();
      const byPath = this.opts.pathUpgradeHandlers?.find(([prefix]) => url.pathname.startsWith(prefix));
      if (byPath) {
        await byPath[1]({ req, socket, head, url, info: undefined, services: this.opts.services });
        return;
      }
      const info = parseRequest(req.method ?? 'GET', url.pathname, url.searchParams);
      const key = info.kind === 'resource' ? `${info.resource}/${info.subresource}` : '';
      const handler = this.opts.upgradeHandlers?.[key];
      if (!handler || info.kind !== 'resource') throw notFoundPath();
      await handler({ req, socket, head, url, info, services: this.opts.services });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      rejectUpgrade(socket, err);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const info = parseRequest(method, url.pathname, url.searchParams);
    if (info.kind === 'nonresource') {
      this.nonResource(res, url);
      return;
    }
    const registry = this.opts.services.registry;
    if (info.kind === 'discovery') {
      if (method !== 'GET') throw methodNotAllowed();
      let doc: unknown;
      if (info.legacy && info.version === undefined)
        doc = apiVersions(`127.0.0.1:${(this.server!.address() as AddressInfo).port}`);
      else if (!info.legacy && info.group === undefined) doc = apiGroupList(registry);
      else if (info.version === undefined) doc = apiGroup(registry, info.group!);
      else doc = apiResourceList(registry, info.group ?? '', info.version);
      if (!doc) throw notFoundPath();
      this.sendJson(res, 200, doc);
      return;
    }
    const type = registry.lookup(info.group, info.version, info.resource);
    if (!type) throw notFoundPath();
    const handler = this.pick(info, type.subresources?.map((s) => s.name) ?? []);
    const hreq: HandlerRequest = {
      info,
      type,
      query: url.searchParams,
      representation: negotiate(req.headers.accept),
      contentType: req.headers['content-type'],
      body: method === 'GET' ? Buffer.alloc(0) : await readBody(req),
      userAgent: req.headers['user-agent'] ?? '',
      headers: req.headersDistinct,
      res,
    };
    if (type.namespaced && info.namespace === undefined && info.name !== undefined) throw notFoundPath();
    if (!type.namespaced && info.namespace !== undefined && info.resource !== 'namespaces')
      throw notFoundPath();
    // Every request to a deprecated resource carries the deprecation warning kubectl prints.
    if (type.deprecationWarning) res.setHeader('Warning', `299 - ${JSON.stringify(type.deprecationWarning)}`);
    const result = await handler(this.opts.services, hreq);
    if (result) this.sendJson(res, result.code, result.body, result.warnings);
  }

  private pick(info: ResourceRequest, subresources: string[]): Handler {
    const { verb, subresource } = info;
    const virtual = virtualCreate(info);
    if (virtual) {
      // Create-only: POST to the collection (or to a subresource such as serviceaccounts/x/token).
      if (verb !== 'create' || (subresource === undefined && info.name !== undefined))
        throw methodNotAllowed();
      return virtual;
    }
    if (subresource === undefined) {
      const table: Record<string, Handler> = {
        get: handleGet,
        list: handleList,
        watch: handleWatch,
        create: handleCreate,
        update: handleUpdate,
        patch: handlePatch,
        delete: handleDelete,
        deletecollection: handleDeleteCollection,
      };
      if (verb === 'create' && info.name !== undefined) throw methodNotAllowed();
      if ((verb === 'update' || verb === 'patch') && info.name === undefined) throw methodNotAllowed();
      return table[verb]!;
    }
    if (!subresources.includes(subresource)) throw notFoundPath();
    const custom = this.opts.subresourceHandlers?.[`${info.resource}/${subresource}`];
    if (custom) return custom;
    switch (subresource) {
      case 'status':
        if (verb === 'get') return handleGet;
        if (verb === 'update') return handleUpdate;
        if (verb === 'patch') return handlePatch;
        throw methodNotAllowed();
      case 'finalize':
        if (verb === 'update') return handleUpdate;
        throw methodNotAllowed();
      case 'scale':
        if (verb === 'get' || verb === 'update' || verb === 'patch') return handleScale;
        throw methodNotAllowed();
      case 'binding':
        if (verb === 'create') return handleBinding;
        throw methodNotAllowed();
      case 'eviction':
        if (verb === 'create') return handleEviction;
        throw methodNotAllowed();
      default:
        throw new ApiError(
          501,
          'InternalError',
          `the sim does not serve ${info.resource}/${subresource} yet`,
        );
    }
  }

  private nonResource(res: ServerResponse, url: URL): void {
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (p === '/version') {
      this.sendJson(res, 200, this.opts.version);
      return;
    }
    if (
      p === '/healthz' ||
      p === '/livez' ||
      p === '/readyz' ||
      p.startsWith('/healthz/') ||
      p.startsWith('/livez/') ||
      p.startsWith('/readyz/')
    ) {
      res.writeHead(200, {
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(
        url.searchParams.has('verbose')
          ? '[+]ping ok\n[+]etcd ok\n[+]poststarthook/start-apiextensions-controllers ok\nhealthz check passed\n'
          : 'ok',
      );
      return;
    }
    if (p === '/openapi/v2' && this.opts.openapi.v2Protobuf) {
      const body = this.opts.openapi.v2Protobuf();
      res.writeHead(200, {
        // What upstream answers: the `@` of the type clients ask for is no valid media type.
        'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
        'Content-Length': String(body.length),
      });
      res.end(body);
      return;
    }
    if (p === '/openapi/v3') {
      this.sendJson(res, 200, this.opts.openapi.v3Index());
      return;
    }
    if (p.startsWith('/openapi/v3/')) {
      const doc = this.opts.openapi.v3Document(p.slice('/openapi/v3/'.length));
      if (!doc) throw notFoundPath();
      res.setHeader(
        'Cache-Control',
        url.searchParams.has('hash') ? 'public, immutable' : 'no-cache, no-store, must-revalidate',
      );
      this.sendJson(res, 200, doc);
      return;
    }
    if (p === '/') {
      this.sendJson(res, 200, {
        paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v3', '/readyz', '/version'],
      });
      return;
    }
    throw notFoundPath();
  }

  private sendJson(res: ServerResponse, code: number, body: unknown, warnings?: string[]): void {
    const text = JSON.stringify(body);
    const headers: Record<string, string | string[]> = {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Content-Length': String(Buffer.byteLength(text)),
    };
    if (warnings?.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
    res.writeHead(code, headers);
    res.end(text);
  }

  private sendError(res: ServerResponse, err: ApiError): void {
    this.sendJson(res, err.code, err.toStatus());
  }
}

function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}
