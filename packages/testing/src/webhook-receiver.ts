import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  headers: http.IncomingHttpHeaders;
  raw: string;
  at: number;
}

/**
 * A local webhook receiver on loopback: records deliveries; `answers` says what to answer, in turn (then 200).
 * With `tls` (a certificate for 127.0.0.1 and its key) it serves https.
 */
export async function startWebhookReceiver(answers: number[] = [], tls?: { cert: string; key: string }) {
  const got: ReceivedDelivery[] = [];
  const handle: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, raw: Buffer.concat(chunks).toString(), at: Date.now() });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  };
  const server = tls ? https.createServer(tls, handle) : http.createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { got, url, close: () => new Promise((r) => server.close(r)) };
}
