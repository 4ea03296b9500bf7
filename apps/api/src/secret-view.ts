import type { FastifyRequest } from 'fastify';
import { callerMay } from './access/decide.ts';

/**
 * The one place that decides what a response shows of a project's secrets.
 * Env values are never shown to anyone (only their names); the git hook
 * secret only in the answers that create or rotate it (admin actions); a
 * webhook's URL (a Slack or Discord URL is itself the credential) only to
 * callers with `project.secrets.read` (the project's admins, owners, admin
 * tokens). Everyone else sees where it points, not the URL.
 */
export function showsSecrets(request: FastifyRequest, project: string): boolean {
  return callerMay(request, 'project.secrets.read', project);
}

/** What a caller without project.secrets.read sees of a webhook URL: its origin. */
export function redactedWebhookUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}

/**
 * What a caller without project.secrets.read sees of a log drain URL: a syslog
 * one whole (a host and a port), an https one's origin (its path or query may
 * carry the receiver's key).
 */
export function redactedDrainUrl(url: string): string {
  return url.startsWith('syslog+') ? url : redactedWebhookUrl(url);
}

/** A text (a delivery's error) with a webhook's (or a drain's) URL in it redacted. */
export function withoutUrl(text: string, url: string, redact: (url: string) => string = redactedWebhookUrl): string {
  return text.split(url).join(redact(url));
}
