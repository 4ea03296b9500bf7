import { BerthError } from '@berth/shared/errors';
import { hmacHex, safeEqual } from '@berth/shared/webhook-signature';
import { changedFilesOf } from './push-changes.ts';

/** What a git host's delivery asks of Berth. */
export type PushEvent =
  | { kind: 'ping' }
  | { kind: 'ignored'; reason: string }
  | { kind: 'push'; branch: string; sha: string; author: string | null; message: string | null; changedFiles?: string[] | undefined }
  | { kind: 'deleted'; branch: string };

export type Provider = 'github' | 'gitlab' | 'gitea' | 'generic';

type Headers = Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Which host sent it, from its event header (Gitea and Forgejo both send X-Gitea-*). */
export function detectProvider(headers: Headers): Provider {
  if (header(headers, 'x-github-event')) return 'github';
  if (header(headers, 'x-gitlab-event')) return 'gitlab';
  if (header(headers, 'x-gitea-event') || header(headers, 'x-forgejo-event')) return 'gitea';
  return 'generic';
}

/**
 * Whether the delivery carries the project's secret, checked in constant
 * time over the raw body: GitHub `X-Hub-Signature-256: sha256=<hmac>`,
 * Gitea/Forgejo `X-Gitea-Signature: <hmac>`, GitLab `X-Gitlab-Token: <secret>`,
 * the generic shape `X-Berth-Signature: sha256=<hmac>`.
 */
export function verifySignature(provider: Provider, headers: Headers, raw: Buffer, secret: string): boolean {
  const expected = hmacHex(secret, raw);
  switch (provider) {
    case 'github':
      return safeEqual(header(headers, 'x-hub-signature-256') ?? '', `sha256=${expected}`);
    case 'gitea':
      return safeEqual(header(headers, 'x-gitea-signature') ?? header(headers, 'x-forgejo-signature') ?? '', expected);
    case 'gitlab':
      return safeEqual(header(headers, 'x-gitlab-token') ?? '', secret);
    case 'generic':
      return safeEqual(header(headers, 'x-berth-signature') ?? '', `sha256=${expected}`);
  }
}

/** The delivery's id (a repeat of one is refused). */
export function deliveryId(provider: Provider, headers: Headers): string | undefined {
  const id = {
    github: header(headers, 'x-github-delivery'),
    gitlab: header(headers, 'x-gitlab-event-uuid') ?? header(headers, 'idempotency-key'),
    gitea: header(headers, 'x-gitea-delivery') ?? header(headers, 'x-forgejo-delivery'),
    generic: header(headers, 'x-berth-delivery'),
  }[provider];
  return id && /^[\w.:-]{1,200}$/.test(id) ? id : undefined;
}

const zeroSha = /^0+$/;
const shaPattern = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

function branchOf(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  if (ref.startsWith('refs/')) return undefined; // tags and the like
  return ref;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v.slice(0, 2000) : null);

/** The event in the body, per provider (bodies are the hosts' documented push and delete payloads). */
export function parsePush(provider: Provider, headers: Headers, body: unknown): PushEvent {
  if (typeof body !== 'object' || body === null) throw new BerthError('VALIDATION_FAILED', 'the delivery body is not a JSON object');
  const b = body as Record<string, any>;
  const event = (header(headers, 'x-github-event') ?? header(headers, 'x-gitea-event') ?? header(headers, 'x-forgejo-event') ?? header(headers, 'x-gitlab-event') ?? 'push').toLowerCase();
  if (event === 'ping') return { kind: 'ping' };
  if (event === 'delete') {
    const branch = b.ref_type === 'branch' ? branchOf(b.ref) : undefined;
    return branch ? { kind: 'deleted', branch } : { kind: 'ignored', reason: 'not a branch' };
  }
  if (!['push', 'push hook'].includes(event)) return { kind: 'ignored', reason: `event ${event} is not a push` };
  const branch = branchOf(b.ref);
  if (!branch) return { kind: 'ignored', reason: `ref ${String(b.ref)} is not a branch` };
  const sha = String(provider === 'generic' ? b.sha : b.after ?? '');
  if (b.deleted === true || zeroSha.test(sha)) return { kind: 'deleted', branch };
  if (!shaPattern.test(sha)) throw new BerthError('VALIDATION_FAILED', `the pushed commit "${sha.slice(0, 80)}" is not a commit id`);
  const head = provider === 'gitlab'
    ? (Array.isArray(b.commits) ? b.commits.find((c: any) => c?.id === sha) : undefined)
    : b.head_commit ?? (Array.isArray(b.commits) ? b.commits.at(-1) : undefined);
  const author = provider === 'generic' ? str(b.author) : str(head?.author?.name) ?? str(b.user_name) ?? str(b.pusher?.name);
  const message = provider === 'generic' ? str(b.message) : str(head?.message);
  return { kind: 'push', branch, sha, author, message: message?.trim() ?? null, changedFiles: changedFilesOf(provider, b) };
}
