/**
 * The hashes that name what workload controllers make: `pod-template-hash` (Deployments),
 * `controller-revision-hash` (DaemonSets) and ControllerRevision names (StatefulSets).
 *
 * Upstream hashes a pod template by feeding Go's `spew` dump of the struct to FNV-32a, which
 * cannot be reproduced outside Go; the sim feeds the template's canonical JSON instead, so the
 * hashes have upstream's shape (`rand.SafeEncodeString` of the decimal FNV sum, e.g.
 * `7c5ddbdf54`) and change exactly when upstream's would, but are not the same strings.
 * ControllerRevision hashes are FNV-32 over the revision's raw JSON, which the sim writes the
 * way Go's `json.Marshal` does, so those match upstream byte for byte.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits (`fnv.New32a`). */
export function fnv32a(bytes: Uint8Array): number {
  let h = FNV_OFFSET;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** FNV-1, 32 bits (`fnv.New32`): multiply, then xor. */
export function fnv32(bytes: Uint8Array): number {
  let h = FNV_OFFSET;
  for (const b of bytes) {
    h = Math.imul(h, FNV_PRIME) >>> 0;
    h ^= b;
  }
  return h >>> 0;
}

/** `rand.SafeEncodeString`: no vowels and no look-alike digits, so no words appear in names. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

const HTML_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** JSON as Go's `json.Marshal` writes a `map[string]interface{}`: sorted keys, HTML escaped. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${goString(k)}:${goJson(o[k])}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value);
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => HTML_ESCAPES[c]!);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * `controller.ComputeHash`: the pod template, then the collision count (when set) as eight
 * little-endian bytes, so a name clash gives a new hash.
 */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  const json = utf8(goJson(template));
  let bytes = json;
  if (collisionCount !== undefined && collisionCount !== null) {
    bytes = new Uint8Array(json.length + 8);
    bytes.set(json);
    new DataView(bytes.buffer).setUint32(json.length, collisionCount >>> 0, true);
  }
  return safeEncodeString(String(fnv32a(bytes)));
}

/** `history.HashControllerRevision`: the revision's raw data, then the probe in decimal. */
export function controllerRevisionHash(raw: string, probe?: number): string {
  const suffix = probe === undefined || probe === null ? '' : String(probe);
  return safeEncodeString(String(fnv32(utf8(raw + suffix))));
}
