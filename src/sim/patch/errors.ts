/** A patch that cannot be applied to the object (422, as upstream answers). */
export class PatchApplyError extends Error {}
/** A patch document that is malformed (400). */
export class PatchFormatError extends Error {}
