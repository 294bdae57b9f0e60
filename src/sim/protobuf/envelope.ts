import { type DecodeContext, decodeMessage } from './message.js';
import { hasMessage } from './schema.js';
import { hasMagic, K8S_MAGIC } from './wellknown.js';
import { ProtobufError, WIRE_BYTES, WireReader } from './wire.js';

/**
 * Kubernetes' protobuf media type (`application/vnd.kubernetes.protobuf`): the 4 bytes `k8s\0`,
 * then a `runtime.Unknown` whose type meta names the object's apiVersion and kind and whose raw
 * bytes are the object's message (kubectl ≥ 1.32's typed clients send their bodies this way).
 */

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

export interface DecodedBody {
  /** The object in the JSON shape, `apiVersion` and `kind` included. */
  object: Record<string, unknown>;
  /** Fields this sim's table does not know, skipped. */
  warnings: string[];
}

/** Why a body could not be decoded, worded as the API server words it. */
export class ProtobufBodyError extends Error {}

const utf8 = new TextDecoder('utf-8');
const MAX_EMBEDDING = 8;

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
}

function readEnvelope(bytes: Uint8Array): Envelope {
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array() };
  const r = new WireReader(bytes.subarray(K8S_MAGIC.length));
  while (!r.done) {
    const t = r.tag();
    if (t.wire !== WIRE_BYTES) {
      r.skip(t.wire);
    } else if (t.field === 1) {
      const tm = new WireReader(r.bytes());
      while (!tm.done) {
        const f = tm.tag();
        if (f.wire !== WIRE_BYTES) tm.skip(f.wire);
        else if (f.field === 1) env.apiVersion = utf8.decode(tm.bytes());
        else if (f.field === 2) env.kind = utf8.decode(tm.bytes());
        else tm.skip(f.wire);
      }
    } else if (t.field === 2) {
      env.raw = r.bytes();
    } else {
      // contentEncoding and contentType: always empty for an object inside the envelope.
      r.skip(t.wire);
    }
  }
  return env;
}

/**
 * The protobuf message of an apiVersion and kind: `k8s.io.api.<group>.<version>.<Kind>` (the core
 * group is `core`, `rbac.authorization.k8s.io` is `rbac`), else the meta/v1 kinds every group
 * version registers (DeleteOptions, Status…).
 */
export function messageNameOf(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? 'core' : apiVersion.slice(0, slash).split('.')[0];
  const version = apiVersion.slice(slash + 1);
  const candidates = [
    `k8s.io.api.${group}.${version}.${kind}`,
    `k8s.io.apimachinery.pkg.apis.meta.v1.${kind}`,
  ];
  return candidates.find(hasMessage);
}

function decodeObject(bytes: Uint8Array, warnings: string[], embedding: number): Record<string, unknown> {
  if (!hasMagic(bytes)) {
    throw new ProtobufBodyError(
      `provided data does not appear to be a protobuf message, expected prefix [${K8S_MAGIC.join(' ')}]`,
    );
  }
  let env: Envelope;
  try {
    env = readEnvelope(bytes);
  } catch (e) {
    if (e instanceof ProtobufError)
      throw new ProtobufBodyError(`unable to decode the protobuf envelope: ${e.message}`);
    throw e;
  }
  if (env.kind === '') throw new ProtobufBodyError("Object 'Kind' is missing in protobuf body");
  const name = messageNameOf(env.apiVersion, env.kind);
  if (!name) {
    throw new ProtobufBodyError(
      `no kind "${env.kind}" is registered for version "${env.apiVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`,
    );
  }
  const ctx: DecodeContext = {
    warnings,
    embedded: (raw) => {
      if (embedding >= MAX_EMBEDDING) throw new ProtobufError('objects embed each other too deep');
      return decodeObject(raw, warnings, embedding + 1);
    },
  };
  try {
    return { apiVersion: env.apiVersion, kind: env.kind, ...decodeMessage(env.raw, name, ctx) };
  } catch (e) {
    if (!(e instanceof ProtobufError)) throw e;
    const version = env.apiVersion.slice(env.apiVersion.indexOf('/') + 1);
    throw new ProtobufBodyError(
      `${env.kind} in version "${version}" cannot be handled as a ${env.kind}: ${e.message}`,
    );
  }
}

/** Decode a request body sent as `application/vnd.kubernetes.protobuf`. */
export function decodeProtobufBody(bytes: Uint8Array): DecodedBody {
  const warnings: string[] = [];
  return { object: decodeObject(bytes, warnings, 0), warnings };
}
