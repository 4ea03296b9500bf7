import type { DeploymentRow } from '@berth/shared/db';
import { redactUrl } from '@berth/shared/redact';
import type { ApiConfig } from './config.ts';

export type Urls = Pick<ApiConfig, 'BASE_DOMAIN' | 'PUBLIC_PORT' | 'PUBLIC_SCHEME'>;

export function hostUrl(urls: Urls, label: string): string {
  const defaultPort = urls.PUBLIC_SCHEME === 'https' ? 443 : 80;
  const port = urls.PUBLIC_PORT === defaultPort ? '' : `:${urls.PUBLIC_PORT}`;
  return `${urls.PUBLIC_SCHEME}://${label}.${urls.BASE_DOMAIN}${port}`;
}

/** The public shape of a deployment. Env values are secrets: only their names are shown. */
export function deploymentView(row: DeploymentRow, urls: Urls) {
  const self = `/api/deployments/${row.id}`;
  return {
    id: row.id,
    project: row.project,
    status: row.status,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    source:
      row.source_type === 'git'
        ? { type: 'git' as const, gitUrl: row.git_url && redactUrl(row.git_url), ref: row.git_ref, rootDir: row.root_dir }
        : { type: 'archive' as const, format: row.archive_format, rootDir: row.root_dir },
    port: row.port,
    envKeys: Object.keys(row.env).sort(),
    url: hostUrl(urls, row.id),
    projectUrl: hostUrl(urls, row.project),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    links: { self, logs: `${self}/logs`, events: `${self}/events` },
  };
}
