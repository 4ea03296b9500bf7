import { useState } from 'preact/hooks';
import type { UserView } from '@berth/client/types';
import { setPasswordWithLink } from '../people-api.ts';
import { clientFor } from '../session.ts';
import { ErrorBox } from '../status-badge.tsx';

/**
 * Where a one-time link (an invitation, a reset, the first owner's) lands: `#/setup/<secret>`. The secret
 * rides in the fragment, which the browser never sends to a server; this page posts it with the new password.
 */
export function SetPassword({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<UserView>();
  const [busy, setBusy] = useState(false);

  const submit = (e: Event) => {
    e.preventDefault();
    if (password !== again) return setError(new Error('the two passwords differ'));
    setBusy(true);
    setError(undefined);
    setPasswordWithLink(clientFor(undefined), token, password)
      .then((answer) => setDone(answer.user), setError)
      .finally(() => setBusy(false));
  };
  return (
    <main class="sign-in">
      <h1>Set your password</h1>
      {done ? (
        <>
          <p role="status">The password of {done.email} is set.</p>
          <p><a href="#/">Sign in</a></p>
        </>
      ) : (
        <form onSubmit={submit}>
          <label for="new-password">New password (10 characters or more)</label>
          <input id="new-password" type="password" autocomplete="new-password" required minLength={10} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          <label for="new-password-again">The same again</label>
          <input id="new-password-again" type="password" autocomplete="new-password" required value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
          <button type="submit" disabled={busy}>Set password</button>
          <ErrorBox error={error} />
          <p class="muted small">The link works once; an owner can send a new one.</p>
        </form>
      )}
    </main>
  );
}
