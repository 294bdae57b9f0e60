import { randomUUID } from 'node:crypto';
import { ApiError, badRequest, type FieldError, invalid, invalidValue, notFound } from '../../api/errors.js';
import type { Handler } from '../../api/handlers/context.js';
import { decodeVirtualBody } from '../../api/handlers/virtual-body.js';
import type { ApiServices } from '../../api/services.js';
import { timestamp } from '../../api/validation/objectmeta.js';
import type { KubeObject } from '../../store/types.js';
import { serviceAccountUsername } from './identity.js';
import { signingKey, signJwt } from './jwt.js';
import { tokenRequestType } from './reviews.js';

/**
 * `POST serviceaccounts/<name>/token` (`kubectl create token`): a bound service account token
 * with the claims kube-apiserver puts in one, signed with the lab's key.
 */

/** kind's API server: `--service-account-issuer` and the default audience are the same URL. */
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const API_AUDIENCES = [ISSUER];
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

const GROUP_KIND = { group: 'authentication.k8s.io', kind: 'TokenRequest' };

function validateExpiration(seconds: number): FieldError[] {
  const field = 'spec.expirationSeconds';
  if (seconds < MIN_EXPIRATION_SECONDS)
    return [invalidValue(field, seconds, 'may not specify a duration less than 10 minutes')];
  if (seconds > MAX_EXPIRATION_SECONDS)
    return [invalidValue(field, seconds, 'may not specify a duration larger than 2^32 seconds')];
  return [];
}

type Bound = { pod?: KubeObject; secret?: KubeObject; node?: { metadata: { name?: string; uid?: string } } };

/** The object a token is bound to, checked as upstream checks it. */
function boundObjects(svc: ApiServices, ref: any, namespace: string, saName: string): Bound {
  if (!ref) return {};
  const slash = (ref.apiVersion ?? '').indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  const get = (storage: string, ns: string | undefined, plural: string) => {
    const obj = svc.store.get(storage, ns, ref.name ?? '');
    if (!obj) throw notFound('', plural, ref.name ?? '');
    return obj;
  };
  let bound: Bound;
  if (group === '' && ref.kind === 'Pod') {
    const pod = get('core/pods', namespace, 'pods');
    if (pod.spec?.serviceAccountName !== saName) {
      throw badRequest(
        `cannot bind token for serviceaccount ${JSON.stringify(saName)} to pod running with different serviceaccount name.`,
      );
    }
    const nodeName: string | undefined = pod.spec?.nodeName;
    bound = { pod };
    if (nodeName)
      bound.node = svc.store.get('core/nodes', undefined, nodeName) ?? { metadata: { name: nodeName } };
  } else if (group === '' && ref.kind === 'Secret') {
    bound = { secret: get('core/secrets', namespace, 'secrets') };
  } else if (group === '' && ref.kind === 'Node') {
    bound = { node: get('core/nodes', undefined, 'nodes') };
  } else {
    const version = slash < 0 ? (ref.apiVersion ?? '') : ref.apiVersion.slice(slash + 1);
    throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${ref.kind ?? ''}`);
  }
  const uid = (bound.pod ?? bound.secret ?? bound.node)?.metadata.uid;
  if (ref.uid && ref.uid !== uid) {
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${ref.kind}${group ? `.${group}` : ''} ${JSON.stringify(ref.name)}: the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      { name: ref.name, group: group || undefined, kind: ref.kind },
    );
  }
  return bound;
}

const objectRef = (o: { metadata: { name?: string; uid?: string } } | undefined) =>
  o ? { name: o.metadata.name, ...(o.metadata.uid ? { uid: o.metadata.uid } : {}) } : undefined;

export const handleTokenRequest: Handler = async (svc, req) => {
  const name = req.info.name!;
  const namespace = req.info.namespace!;
  const { object, warnings } = decodeVirtualBody(svc, req, tokenRequestType);
  const meta = object.metadata;
  if (meta.name && meta.name !== name) {
    throw invalid(GROUP_KIND, name, [
      invalidValue('metadata.name', meta.name, 'must match the service account name if specified'),
    ]);
  }
  if (meta.namespace && meta.namespace !== namespace) {
    throw invalid(GROUP_KIND, name, [
      invalidValue(
        'metadata.namespace',
        meta.namespace,
        'must match the service account namespace if specified',
      ),
    ]);
  }
  const sa = svc.store.get('core/serviceaccounts', namespace, name);
  if (!sa) throw notFound('', 'serviceaccounts', name);

  const spec = object.spec ?? {};
  const audiences: string[] = (spec.audiences ?? []).length > 0 ? spec.audiences : API_AUDIENCES;
  const expirationSeconds: number = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  const errs = validateExpiration(expirationSeconds);
  if (errs.length > 0) throw invalid(GROUP_KIND, '', errs);
  const bound = boundObjects(svc, spec.boundObjectRef, namespace, name);

  const now = svc.clock.now();
  const iat = Math.floor(now.getTime() / 1000);
  const key = await signingKey(svc.store);
  const token = signJwt(key, {
    aud: audiences,
    exp: iat + expirationSeconds,
    iat,
    iss: ISSUER,
    jti: randomUUID(),
    'kubernetes.io': {
      namespace,
      ...(bound.node ? { node: objectRef(bound.node) } : {}),
      ...(bound.pod ? { pod: objectRef(bound.pod) } : {}),
      ...(bound.secret ? { secret: objectRef(bound.secret) } : {}),
      serviceaccount: { name, uid: sa.metadata.uid },
    },
    nbf: iat,
    sub: serviceAccountUsername(namespace, name),
  });
  const body = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: timestamp(now) },
    spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: {
      token,
      expirationTimestamp: timestamp(new Date(now.getTime() + expirationSeconds * 1000)),
    },
  };
  return { code: 201, body, warnings };
};
