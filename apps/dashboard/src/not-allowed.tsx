import type { MemberRole, ProjectAccess } from '@berth/client/types';

/**
 * What the caller may do in a project comes from the API (GET /api/projects/:name answers `access`:
 * its role there and the actions its policy allows, token scope counted). A control the caller may
 * not use is not shown as a button the API would refuse: <NotAllowed> says why instead.
 */
export function allows(access: ProjectAccess | undefined, action: ProjectAccess['actions'][number]): boolean {
  return access?.actions.includes(action) ?? false;
}

const rank: Record<MemberRole, number> = { viewer: 1, deployer: 2, admin: 3 };

/** "You cannot do this here: <doing> needs the <needs> role …", and what the caller is instead. */
export function NotAllowed({ access, doing, needs }: { access: ProjectAccess | undefined; doing: string; needs: MemberRole }) {
  if (!access) return null;
  const role = access.role;
  const why =
    role === null
      ? `${doing} needs the ${needs} role in this project`
      : rank[role] >= rank[needs]
        ? `${doing} needs more than this token's scope allows`
        : `${doing} needs the ${needs} role, and you are a ${role} of this project`;
  return (
    <p class="not-allowed" role="note">
      You cannot do this here: {why}.
    </p>
  );
}

/** The same sentence for a page the API refused (403) without a project role to name: its own reason. */
export function NotAllowedPage({ reason }: { reason: string }) {
  return (
    <p class="not-allowed" role="note">
      You cannot do this here: {reason}.
    </p>
  );
}
