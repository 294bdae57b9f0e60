import { badRequest } from '../../api/errors.js';
import type { Handler } from '../../api/handlers/context.js';
import { decodeVirtualBody } from '../../api/handlers/virtual-body.js';
import type { ApiServices } from '../../api/services.js';
import { ALL_AUTHENTICATED, requestUser, serviceAccountGroups, type UserInfo } from './identity.js';
import { signingKey, verifyJwt } from './jwt.js';
import { API_AUDIENCES, handleTokenRequest, ISSUER } from './token-request.js';

/** authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`) and TokenReview. */

function userInfoJson(user: UserInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { username: user.username };
  if (user.uid) out.uid = user.uid;
  out.groups = user.groups;
  if (user.extra && Object.keys(user.extra).length > 0) out.extra = user.extra;
  return out;
}

const selfSubjectReview: Handler = async (svc, req) => {
  const { warnings } = decodeVirtualBody(svc, req);
  const body = {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    status: { userInfo: userInfoJson(requestUser(req.headers)) },
  };
  return { code: 201, body, warnings };
};

/** Who a service account token this lab signed stands for, or why it stands for no one. */
async function authenticate(
  svc: ApiServices,
  token: string,
  audiences: string[],
): Promise<{ user: UserInfo; audiences: string[] } | string> {
  const claims = verifyJwt(await signingKey(svc.store), token);
  if (typeof claims === 'string') return claims;
  if (claims.iss !== ISSUER) return 'token issuer is not trusted';
  const now = Math.floor(svc.clock.now().getTime() / 1000);
  if (typeof claims.exp === 'number' && now > claims.exp) return 'service account token has expired';
  if (typeof claims.nbf === 'number' && now < claims.nbf) return 'service account token is not valid yet';
  const tokenAudiences: string[] = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const matched = audiences.filter((a) => tokenAudiences.includes(a));
  if (matched.length === 0) return 'token audiences is invalid for the target audiences';
  const k8s = claims['kubernetes.io'] ?? {};
  const ns: string = k8s.namespace ?? '';
  const sa = svc.store.get('core/serviceaccounts', ns, k8s.serviceaccount?.name ?? '');
  if (!sa || sa.metadata.uid !== k8s.serviceaccount?.uid) {
    return `service account ${ns}/${k8s.serviceaccount?.name} has been deleted`;
  }
  const extra: Record<string, string[]> = {};
  if (claims.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
  for (const [kind, storage] of [
    ['pod', 'core/pods'],
    ['secret', 'core/secrets'],
  ] as const) {
    const ref = k8s[kind];
    if (!ref) continue;
    const obj = svc.store.get(storage, ns, ref.name);
    if (!obj || obj.metadata.uid !== ref.uid) return `${kind} ${ns}/${ref.name} has been deleted`;
    if (kind === 'pod') {
      extra['authentication.kubernetes.io/pod-name'] = [ref.name];
      extra['authentication.kubernetes.io/pod-uid'] = [ref.uid];
    }
  }
  if (k8s.node) {
    extra['authentication.kubernetes.io/node-name'] = [k8s.node.name];
    if (k8s.node.uid) extra['authentication.kubernetes.io/node-uid'] = [k8s.node.uid];
  }
  const user: UserInfo = {
    username: claims.sub,
    uid: sa.metadata.uid,
    groups: [...serviceAccountGroups(ns), ALL_AUTHENTICATED],
    extra,
  };
  return { user, audiences: matched };
}

const tokenReview: Handler = async (svc, req) => {
  const { object, warnings } = decodeVirtualBody(svc, req);
  const token: string = object.spec?.token ?? '';
  if (!token) throw badRequest('token is required for TokenReview in authentication');
  const requested: string[] =
    (object.spec?.audiences ?? []).length > 0 ? object.spec.audiences : API_AUDIENCES;
  const result = await authenticate(svc, token, requested);
  const status =
    typeof result === 'string'
      ? { user: {}, error: `[invalid bearer token, ${result}]` }
      : { authenticated: true, user: userInfoJson(result.user), audiences: result.audiences };
  const body = {
    kind: 'TokenReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: object.spec,
    status,
  };
  return { code: 201, body, warnings };
};

/** Handlers by `<group>/<resource>[/<subresource>]`, for the create-only routing in the API server. */
export const AUTHENTICATION_HANDLERS: Record<string, Handler> = {
  'authentication.k8s.io/selfsubjectreviews': selfSubjectReview,
  'authentication.k8s.io/tokenreviews': tokenReview,
  '/serviceaccounts/token': handleTokenRequest,
};
