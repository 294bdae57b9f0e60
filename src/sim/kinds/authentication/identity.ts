import { ApiError } from '../../api/errors.js';

/**
 * Who a request comes from. The sim authenticates one credential, the lab's admin token, as
 * the user kind's admin kubeconfig carries (kubeadm ≥ 1.29 puts it in `kubeadm:cluster-admins`
 * rather than `system:masters`). `kubectl --as`/`--as-group` impersonation headers are honoured
 * the way upstream's impersonation filter builds the user, for the review APIs that answer
 * "who am I" and "may I" (the sim enforces no authorization on other requests).
 */

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export const ALL_AUTHENTICATED = 'system:authenticated';
const ALL_UNAUTHENTICATED = 'system:unauthenticated';
const ANONYMOUS = 'system:anonymous';
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

export const ADMIN_USER: UserInfo = {
  username: 'kubernetes-admin',
  groups: ['kubeadm:cluster-admins', ALL_AUTHENTICATED],
};

export const serviceAccountUsername = (namespace: string, name: string) =>
  `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;

export const serviceAccountGroups = (namespace: string) => [
  'system:serviceaccounts',
  `system:serviceaccounts:${namespace}`,
];

/** `system:serviceaccount:<ns>:<name>` split, or undefined for other users. */
export function parseServiceAccountUsername(
  username: string,
): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

export type RequestHeaders = Record<string, string[] | undefined>;

/** The user a request acts as: the admin, or whom its `Impersonate-*` headers name. */
export function requestUser(headers: RequestHeaders | undefined): UserInfo {
  const username = headers?.['impersonate-user']?.[0];
  const groups = headers?.['impersonate-group'] ?? [];
  const uid = headers?.['impersonate-uid']?.[0];
  const extra: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(headers ?? {})) {
    if (key.startsWith('impersonate-extra-') && values) {
      extra[decodeURIComponent(key.slice('impersonate-extra-'.length))] = values;
    }
  }
  if (username === undefined) {
    if (groups.length > 0 || uid !== undefined || Object.keys(extra).length > 0) {
      throw new ApiError(
        500,
        'InternalError',
        'Internal error occurred: requested impersonation of groups, uid or extra without impersonating a user',
      );
    }
    return ADMIN_USER;
  }
  const user: UserInfo = { username, groups: [...groups] };
  if (uid) user.uid = uid;
  if (Object.keys(extra).length > 0) user.extra = extra;
  const sa = parseServiceAccountUsername(username);
  if (sa && groups.length === 0) user.groups = serviceAccountGroups(sa.namespace);
  if (username === ANONYMOUS) {
    if (!user.groups.includes(ALL_UNAUTHENTICATED)) user.groups.push(ALL_UNAUTHENTICATED);
  } else if (!user.groups.includes(ALL_AUTHENTICATED) && !user.groups.includes(ALL_UNAUTHENTICATED)) {
    user.groups.push(ALL_AUTHENTICATED);
  }
  return user;
}
