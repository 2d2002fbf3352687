/** What the route knows about a request, stored as its delivery row. */
export type DeliveryInput = {
  provider: string;
  method: string;
  receivedAt: Date;
  headers: Record<string, string>;
  sourceIp: string | null;
  body: Buffer;
  bodySize: number;
  bodyTruncated: boolean;
};
