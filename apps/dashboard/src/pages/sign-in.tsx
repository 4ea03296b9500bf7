import { useState } from 'preact/hooks';
import { ApiError } from '@berth/client/api-client';
import { clientFor } from '../session.ts';

/** One field: the API token, checked against the API before it is kept. */
export function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await clientFor(token.trim()).listDeployments({ limit: 1 });
      onSignedIn(token.trim());
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>Sign in to Berth</h1>
      <form onSubmit={submit}>
        <label for="token">API token</label>
        <input id="token" type="password" autocomplete="off" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        <button type="submit" disabled={busy}>Sign in</button>
        {error && <p role="alert" class="error">{error}</p>}
      </form>
      <p class="muted">The admin token is in <code>.berth/admin-token</code>. It is kept in this tab only.</p>
    </main>
  );
}
