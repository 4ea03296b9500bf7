import http from 'node:http';

/**
 * One HTTP request to the app's health path; true when it answers with a
 * status below 500 (it listens and is not failing), false otherwise.
 */
export function probeHttp(host: string, port: number, path = '/', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path, timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
