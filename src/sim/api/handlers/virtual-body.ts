import type { ResourceType } from '../../kinds/types.js';
import type { KubeObject } from '../../store/types.js';
import { decodeBody } from '../content.js';
import type { ApiServices } from '../services.js';
import type { HandlerRequest } from './context.js';
import { checkObject, fieldValidationMode, strictDecode } from './decode.js';

/**
 * The body of a create-only request (a review, a token request) decoded as `type`, with the
 * same checks and unknown-field handling as any create; `type` may differ from the request's
 * resource (`serviceaccounts/token` takes an authentication.k8s.io/v1 TokenRequest).
 */
export function decodeVirtualBody(
  svc: ApiServices,
  req: HandlerRequest,
  type: ResourceType = req.type,
): { object: KubeObject; warnings: string[] } {
  const obj = checkObject(type, decodeBody(req.body, req.contentType));
  return strictDecode(svc, type, obj, fieldValidationMode(req.query));
}
