import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { decodeProtobufBody, PROTOBUF_MEDIA_TYPE, ProtobufBodyError } from '../protobuf/envelope.js';
import { ApiError, badRequest } from './errors.js';

/** What representation the client asked for in `Accept`. */
export interface Representation {
  /** `Table` (meta.k8s.io v1 or v1beta1), `PartialObjectMetadata(List)`, or plain objects. */
  as: 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList' | 'object';
  /** The meta.k8s.io version the client asked for (Table v1beta1 is still requested by old clients). */
  metaVersion: string;
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseMediaRanges(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      const p: Record<string, string> = {};
      for (const kv of params) {
        const i = kv.indexOf('=');
        if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
      }
      return { type: (type ?? '').toLowerCase(), params: p };
    })
    .filter((m) => m.type.length > 0);
}

/** Pick the first acceptable representation, as the API server's negotiation does. */
export function negotiate(acceptHeader: string | undefined): Representation {
  if (!acceptHeader) return { as: 'object', metaVersion: 'v1' };
  const ranges = parseMediaRanges(acceptHeader);
  let jsonAcceptable = false;
  for (const m of ranges) {
    const json = m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*';
    if (!json) continue;
    const as = m.params.as;
    if (as === undefined) {
      jsonAcceptable = true;
      return { as: 'object', metaVersion: 'v1' };
    }
    if (m.params.g && m.params.g !== 'meta.k8s.io') continue;
    const v = m.params.v ?? 'v1';
    if (v !== 'v1' && v !== 'v1beta1') continue;
    if (as === 'Table' || as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') {
      return { as, metaVersion: v };
    }
  }
  if (!jsonAcceptable && ranges.length > 0) {
    // Protobuf-only or unknown media types.
    throw new ApiError(
      406,
      'NotAcceptable',
      `only the following media types are accepted: application/json, application/yaml`,
    );
  }
  return { as: 'object', metaVersion: 'v1' };
}

export const MAX_BODY_BYTES = 3 * 1024 * 1024;
export const MAX_DEPTH = 512;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

/** How deep brackets nest in a JSON text, without parsing it (strings are skipped). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

export type BodyFormat = 'json' | 'yaml';

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

const bodyWarnings = new WeakMap<object, string[]>();

/** What decoding a body left out and the client should hear about (fields of a newer protobuf schema). */
export function decodeWarnings(body: unknown): string[] {
  return (body !== null && typeof body === 'object' && bodyWarnings.get(body)) || [];
}

function decodeProtobuf(buf: Buffer): unknown {
  try {
    const { object, warnings } = decodeProtobufBody(buf);
    if (warnings.length > 0) bodyWarnings.set(object, warnings);
    return object;
  } catch (e) {
    if (e instanceof ProtobufBodyError) throw badRequest(e.message);
    throw e;
  }
}

/** Decode a request body as JSON, YAML or Kubernetes protobuf into a plain value, with upstream-like errors. */
export function decodeBody(buf: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (buf.length === 0) throw badRequest('the body of the request was empty');
  if (type === PROTOBUF_MEDIA_TYPE) return decodeProtobuf(buf);
  const text = buf.toString('utf8');
  if (text.trim() === '') throw badRequest('the body of the request was empty');
  const yamlish =
    type === 'application/yaml' || type === 'application/apply-patch+yaml' || type === 'text/yaml';
  if (type.includes('protobuf') || type.includes('cbor')) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF_MEDIA_TYPE}`,
    );
  }
  if (nestingDepth(text) > MAX_DEPTH) {
    throw badRequest(
      `the object nests more than ${MAX_DEPTH} levels deep; Kubernetes objects never need that`,
    );
  }
  if (yamlish) {
    try {
      return parseYaml(text, { maxAliasCount: 100, uniqueKeys: true, version: '1.2' });
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding JSON: ${(e as Error).message}`);
  }
}
