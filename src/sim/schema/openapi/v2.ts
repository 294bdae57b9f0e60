/**
 * `/openapi/v2` as kubectl fetches it: a gnostic `openapi.v2.Document` in protobuf. kubectl
 * 1.27/1.28 download it before every apply/create/replace and fail without it. The document
 * is deliberately empty (swagger 2.0, info, no paths or definitions): kubectl then finds the
 * `fieldValidation` parameter in the v3 documents and validates on the server, explains with
 * v3, and computes client-side apply patches from its compiled-in types, which carry the
 * exact strategic-merge metadata.
 */

/** The media type upstream answers with (clients ask for `…spec.v2@v1.0+protobuf`). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

/** A length-delimited field (strings and embedded messages). */
function field(num: number, payload: Uint8Array | string): number[] {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];
}

export function emptyOpenApiV2(kubernetesVersion: string): Buffer {
  // Field numbers of gnostic's OpenAPIv2.proto: Document.swagger=1, info=2, paths=8,
  // definitions=9; Info.title=1, version=2.
  const info = Uint8Array.from([...field(1, 'Kubernetes'), ...field(2, kubernetesVersion)]);
  return Buffer.from([
    ...field(1, '2.0'),
    ...field(2, info),
    ...field(8, new Uint8Array()),
    ...field(9, new Uint8Array()),
  ]);
}
