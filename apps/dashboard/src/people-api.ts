/**
 * The people routes the dashboard calls (sign-in, members, personal tokens, the audit log), on the
 * typed client's `request`: the shapes come from the OpenAPI document (@berth/client/types).
 */
import { seg, type ApiClient } from '@berth/client/api-client';
import type {
  AuditPage,
  AuditQuery,
  CreatedToken,
  CreateTokenRequest,
  Member,
  MemberRole,
  SignedIn,
  SignInRequest,
  TokenInfo,
  UserView,
  WhoAmI,
} from '@berth/client/types';

export const signInWithPassword = (client: ApiClient, body: SignInRequest) => client.request<SignedIn>('POST', '/api/auth/login', body);
export const signOutSession = (client: ApiClient) => client.request<void>('POST', '/api/auth/logout');
export const whoAmI = (client: ApiClient) => client.request<WhoAmI>('GET', '/api/auth/me');
export const setPasswordWithLink = (client: ApiClient, token: string, password: string) =>
  client.request<{ user: UserView }>('POST', '/api/auth/setup', { token, password });

const membersPath = (project: string) => `/api/projects/${seg(project)}/members`;
export const listMembers = (client: ApiClient, project: string) => client.request<{ items: Member[] }>('GET', membersPath(project));
export const addMember = (client: ApiClient, project: string, email: string, role: MemberRole) =>
  client.request<Member>('POST', membersPath(project), { email, role });
export const changeMemberRole = (client: ApiClient, project: string, userId: string, role: MemberRole) =>
  client.request<Member>('PATCH', `${membersPath(project)}/${seg(userId)}`, { role });
export const removeMember = (client: ApiClient, project: string, userId: string) =>
  client.request<void>('DELETE', `${membersPath(project)}/${seg(userId)}`);

export const listTokens = (client: ApiClient) => client.request<{ items: TokenInfo[] }>('GET', '/api/tokens');
export const createToken = (client: ApiClient, body: CreateTokenRequest) => client.request<CreatedToken>('POST', '/api/tokens', body);
export const revokeToken = (client: ApiClient, id: string) => client.request<TokenInfo>('DELETE', `/api/tokens/${seg(id)}`);

export function listAudit(client: ApiClient, query: AuditQuery): Promise<AuditPage> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return client.request<AuditPage>('GET', `/api/audit${qs ? `?${qs}` : ''}`);
}
