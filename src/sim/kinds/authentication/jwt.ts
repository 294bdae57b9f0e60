import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import type { ObjectStore } from '../../store/store.js';

/**
 * Service account tokens are RS256 JWTs, as kube-apiserver signs them with kubeadm's `sa.key`.
 * Each lab gets its own RSA key, made on first use and kept in the lab's store under a key no
 * API serves, so it survives restarts with the rest of the lab's state.
 */

const KEY_STORAGE = 'sim/service-account-signing-keys';
const KEY_NAME = 'sa';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Upstream's key id: base64url of the SHA-256 of the DER public key. */
  kid: string;
}

const pending = new WeakMap<ObjectStore, Promise<SigningKey>>();

function fromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, kid: createHash('sha256').update(der).digest('base64url') };
}

async function loadOrCreate(store: ObjectStore): Promise<SigningKey> {
  const stored = store.get(KEY_STORAGE, undefined, KEY_NAME);
  if (stored) return fromPem(stored.privateKey);
  const pem = await new Promise<string>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, _pub, priv) =>
      err ? reject(err) : resolve(priv.export({ type: 'pkcs8', format: 'pem' }) as string),
    ),
  );
  store.create(KEY_STORAGE, { metadata: { name: KEY_NAME }, privateKey: pem });
  await store.flushed();
  return fromPem(pem);
}

/** The lab's signing key (created once per lab). */
export function signingKey(store: ObjectStore): Promise<SigningKey> {
  let p = pending.get(store);
  if (!p) {
    p = loadOrCreate(store);
    pending.set(store, p);
    p.catch(() => pending.delete(store));
  }
  return p;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Keys in Go's order for maps (sorted), which is how go-jose serialises merged claims. */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => [k, sorted(x)]),
  );
}

export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const input = `${b64({ alg: 'RS256', kid: key.kid })}.${b64(sorted(claims))}`;
  const signature = sign('sha256', Buffer.from(input), key.privateKey).toString('base64url');
  return `${input}.${signature}`;
}

/** The claims of a token this lab signed, or why it is not one. */
export function verifyJwt(key: SigningKey, token: string): Record<string, any> | string {
  const parts = token.split('.');
  if (parts.length !== 3) return 'not a compact JWS';
  const [header, payload, signature] = parts as [string, string, string];
  let claims: Record<string, any>;
  try {
    const h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    if (h.alg !== 'RS256') return `unexpected signing algorithm ${JSON.stringify(h.alg)}`;
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return 'malformed token';
  }
  const ok = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    key.publicKey,
    Buffer.from(signature, 'base64url'),
  );
  return ok ? claims : 'crypto/rsa: verification error';
}
