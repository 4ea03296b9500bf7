import type { Caller } from '@berth/shared/accounts/principal';
import { BerthError } from '@berth/shared/errors';
import type { PeopleStores } from './people-stores.ts';

/** The person behind a caller: a session's user, a personal token's owner; none for instance tokens and deploy keys. */
export async function personOf(stores: Pick<PeopleStores, 'personalTokens'>, caller: Caller): Promise<string | undefined> {
  if (caller.principal.kind === 'user') return caller.actor.id ?? undefined;
  if (caller.principal.kind === 'personal-token' && caller.actor.id) return (await stores.personalTokens.get(caller.actor.id))?.ownerUserId ?? undefined;
  return undefined;
}

/** The signed-in person (a session only: one's own password and second factor are not a token's to change). */
export function sessionUserId(caller: Caller): string {
  if (caller.principal.kind !== 'user' || !caller.actor.id) throw new BerthError('FORBIDDEN', 'only a signed-in person changes their own password or second factor');
  return caller.actor.id;
}
