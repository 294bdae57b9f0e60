import { AUTHENTICATION_HANDLERS } from '../../kinds/authentication/handlers.js';
import { AUTHORIZATION_HANDLERS } from '../../kinds/authorization/handlers.js';
import type { ResourceRequest } from '../request-info.js';
import type { Handler } from './context.js';

/**
 * Create-only endpoints that answer a request and store nothing, as upstream's "virtual"
 * resources do: the access and token reviews, and `serviceaccounts/<name>/token`. Keyed by
 * `<group>/<resource>[/<subresource>]`; every other verb on them is 405 MethodNotAllowed.
 */
const VIRTUAL_CREATES: Record<string, Handler> = {
  ...AUTHORIZATION_HANDLERS,
  ...AUTHENTICATION_HANDLERS,
};

export function virtualCreate(info: ResourceRequest): Handler | undefined {
  const key = `${info.group}/${info.resource}${info.subresource ? `/${info.subresource}` : ''}`;
  return VIRTUAL_CREATES[key];
}
