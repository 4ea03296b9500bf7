import { scrapeMetrics, type ApiMetrics, type MetricsSources } from '../metrics.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface MetricsRoutesOptions {
  metrics: ApiMetrics;
  sources: MetricsSources;
}

/** Prometheus scrapes this with a read token (its `authorization` setting); README: Metrics. */
export const metricsRoutes: ApiPlugin<MetricsRoutesOptions> = async (app, { metrics, sources }) => {
  app.get(
    '/metrics',
    {
      config: { action: 'instance.read' },
      schema: {
        response: {
          200: { description: 'the Prometheus text exposition format (version 0.0.4)', content: { 'text/plain': { schema: { type: 'string' } } } },
          ...errorResponses,
        },
      },
    },
    async (_request, reply) => {
      const { text, contentType } = await scrapeMetrics(metrics, sources);
      return reply.type(contentType).send(text);
    },
  );
};
