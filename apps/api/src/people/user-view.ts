import type { UserInfo } from '@berth/shared/accounts/user-store';
import { toUserInfo } from '@berth/shared/accounts/user-store';
import type { UserRow } from '@berth/shared/accounts/tables';

/** A person as the API shows them: never a password hash or TOTP secret. */
export const userViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string', enum: ['owner', 'member'] },
    hasPassword: { type: 'boolean', description: 'false until the person has used their one-time link' },
    totpEnabled: { type: 'boolean' },
    disabledAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
  required: ['id', 'email', 'role', 'hasPassword', 'totpEnabled', 'disabledAt', 'createdAt'],
  additionalProperties: false,
} as const;

export function userView(user: UserInfo | UserRow) {
  const info = 'password_hash' in user ? toUserInfo(user) : user;
  return { ...info, disabledAt: info.disabledAt?.toISOString() ?? null, createdAt: info.createdAt.toISOString() };
}

/** A one-time link as an answer: the URL to hand the person, and when it stops working. */
export const setupLinkSchema = {
  type: 'object',
  properties: {
    url: { type: 'string', description: 'the dashboard page that sets the password; shown only here' },
    token: { type: 'string', description: 'the link secret (POST /api/auth/setup takes it); shown only here' },
    expiresAt: { type: 'string' },
  },
  required: ['url', 'token', 'expiresAt'],
  additionalProperties: false,
} as const;
