export function verifyBerthSignature(
  secret: string,
  header: string | string[] | undefined,
  rawBody: string | Buffer,
  toleranceSeconds?: number,
  nowSeconds?: number,
): boolean;
