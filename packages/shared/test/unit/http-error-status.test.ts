import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installErrorHandler, statusFor } from '../../../../apps/api/src/http-errors.ts';
import { BerthError, errorCatalog, errorCodes, type ErrorCode } from '../../src/errors.ts';

/** An app whose one route throws a BerthError of the code in the path. */
async function appThrowing() {
  const app = Fastify({ logger: false });
  installErrorHandler(app);
  app.get<{ Params: { code: string } }>('/throw/:code', async (request) => {
    throw new BerthError(request.params.code as ErrorCode, `thrown: ${request.params.code}`);
  });
  await app.ready();
  return app;
}

describe("the API's error handler answers with the catalog's status", () => {
  it('for every code with a status: that status, the code and the message', async () => {
    const app = await appThrowing();
    for (const code of errorCodes.filter((c) => errorCatalog[c].status !== null)) {
      const res = await app.inject({ method: 'GET', url: `/throw/${code}` });
      expect(res.statusCode, code).toBe(statusFor(code));
      expect(res.json(), code).toEqual({ error: { code, message: `thrown: ${code}` } });
    }
    await app.close();
  });

  it('for a pipeline-only code (a bug if a request raises it): 500 INTERNAL, as any unexpected error', async () => {
    const app = await appThrowing();
    const res = await app.inject({ method: 'GET', url: '/throw/BUILD_FAILED' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    await app.close();
  });
});
