/** A patch that cannot be applied to the object (422, as upstream answers). */
export class PatchApplyError extends Error {}
/** A patch document that is malformed (400). */
export class PatchFormatError extends Error {}
/**
 * A patch the merge code rejects without a typed API error: upstream returns these as a plain
 * Go error, which the API server turns into a 500 Status without a reason, so kubectl prints
 * `Error from server: map: map[image:nginx] does not contain declared merge key: name`.
 */
export class PatchServerError extends Error {}
