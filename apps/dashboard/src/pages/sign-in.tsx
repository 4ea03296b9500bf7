import { useState } from 'preact/hooks';
import { ApiError } from '@berth/client/api-client';
import { signInWithPassword } from '../people-api.ts';
import { clientFor, type Session } from '../session.ts';
import { ErrorBox } from '../status-badge.tsx';

type SecondFactor = 'totp' | 'recoveryCode';

/** A person's email and password (then the second factor's code when the account has one). */
async function withPassword(email: string, password: string, factor: { kind: SecondFactor; code: string } | undefined): Promise<Session> {
  const body = { email: email.trim(), password, ...(factor ? { [factor.kind]: factor.code.trim() } : {}) };
  const answer = await signInWithPassword(clientFor(undefined), body);
  return { kind: 'cookie', csrfToken: answer.csrfToken, email: answer.user.email, userId: answer.user.id };
}

/** An operator's API token, checked against the API before it is kept. */
async function withToken(token: string): Promise<Session> {
  const session: Session = { kind: 'token', token };
  await clientFor(session).listDeployments({ limit: 1 });
  return session;
}

/**
 * One form: email and password for people; an API token for operators (the secondary choice below).
 * The button signs in with whichever was filled in; the password step asks for the second factor's code
 * when the API answers SECOND_FACTOR_REQUIRED.
 */
export function SignIn({ notice, onSignedIn }: { notice?: string; onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [factor, setFactor] = useState<SecondFactor | undefined>();
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const byToken = token.trim() !== '' && !factor;

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(byToken ? await withToken(token.trim()) : await withPassword(email, password, factor && { kind: factor, code }));
    } catch (err) {
      // The password was right and the account has a second factor: ask for its code (a wrong code is an error).
      if (err instanceof ApiError && err.code === 'SECOND_FACTOR_REQUIRED' && !factor) setFactor('totp');
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>Sign in to Berth</h1>
      {notice && <p role="status" class="muted">{notice}</p>}
      <form onSubmit={submit}>
        {factor ? (
          <SecondFactorStep factor={factor} code={code} onCode={setCode} onSwitch={() => (setFactor(factor === 'totp' ? 'recoveryCode' : 'totp'), setCode(''))} />
        ) : (
          <>
            <label for="email">Email</label>
            <input id="email" type="email" autocomplete="username" required={!byToken} value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
            <label for="password">Password</label>
            <input id="password" type="password" autocomplete="current-password" required={!byToken} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </>
        )}
        <button type="submit" disabled={busy}>Sign in</button>
        <ErrorBox error={error} />
        {!factor && (
          <div class="operator">
            <p class="or muted small">Operators: an API token instead</p>
            <label for="token">API token</label>
            <input id="token" type="password" autocomplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
            <button type="submit" class="quiet" disabled={busy || !byToken}>Use this token</button>
            <p class="muted small">The admin token is in <code>.berth/admin-token</code>. It is kept in this tab only.</p>
          </div>
        )}
      </form>
    </main>
  );
}

function SecondFactorStep({ factor, code, onCode, onSwitch }: { factor: SecondFactor; code: string; onCode: (code: string) => void; onSwitch: () => void }) {
  const totp = factor === 'totp';
  return (
    <>
      <p>This account has a second factor.</p>
      <label for="code">{totp ? 'Code from your authenticator app' : 'Recovery code'}</label>
      <input
        id="code"
        required
        autocomplete="one-time-code"
        inputMode={totp ? 'numeric' : 'text'}
        pattern={totp ? '\\d{6}' : undefined}
        value={code}
        onInput={(e) => onCode(e.currentTarget.value)}
      />
      <button type="button" class="quiet" onClick={onSwitch}>{totp ? 'Use a recovery code instead' : 'Use the code from the app'}</button>
    </>
  );
}
