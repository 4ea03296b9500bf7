import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { QueryClientProvider } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import { signOutSession } from './people-api.ts';
import { clientFor, forgetToken, keepToken, resumeSession, sessionKey, storedToken, type Session } from './session.ts';
import { useRoute, type Route } from './route.ts';
import { newQueryClient } from './queries.ts';
import { useLiveEvents } from './live.ts';
import { BusyNote } from './status-badge.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { Deployments } from './pages/deployments.tsx';
import { NewDeployment } from './pages/new-deployment.tsx';
import { DeploymentPage } from './pages/deployment.tsx';
import { Projects } from './pages/projects.tsx';
import { ProjectPage } from './pages/project.tsx';
import { MembersPage } from './pages/members.tsx';
import { TokensPage } from './pages/tokens.tsx';
import { AuditPage } from './pages/audit.tsx';
import { SetPassword } from './pages/set-password.tsx';
import './styles.css';

/** A token kept in this tab, else the browser's session cookie if it is still good (asked once on load), else the sign-in page. */
function App() {
  const [session, setSession] = useState<Session | 'checking' | undefined>(() => {
    const token = storedToken();
    return token ? { kind: 'token', token } : 'checking';
  });
  const [notice, setNotice] = useState('');
  const route = useRoute();
  useEffect(() => {
    if (session === 'checking') void resumeSession().then(setSession);
  }, []);

  // A one-time link sets a password whoever is signed in here.
  if (route.page === 'setup') return <SetPassword token={route.token} />;
  if (session === 'checking') return <main class="sign-in"><p class="muted">Loading…</p></main>;
  if (!session) {
    const signedIn = (s: Session) => {
      if (s.kind === 'token') keepToken(s.token);
      setNotice('');
      setSession(s);
    };
    return <SignIn notice={notice} onSignedIn={signedIn} />;
  }
  const signedOut = (why = '') => (forgetToken(), setNotice(why), setSession(undefined));
  return <SignedIn key={sessionKey(session)} session={session} onSignedOut={signedOut} />;
}

/** A fresh query cache per session: nothing one caller read is shown to the next. */
function SignedIn({ session, onSignedOut }: { session: Session; onSignedOut: (why?: string) => void }) {
  // Signing out on purpose: a request refused on the way out (401) is no news.
  const leaving = useRef(false);
  const client = useMemo(() => clientFor(session, () => leaving.current || onSignedOut('Your session has ended: sign in again.')), [session]);
  const queries = useMemo(newQueryClient, [session]);
  const route = useRoute();
  const busy = useLiveEvents(client, queries);
  const current = (page: Route['page'][]) => (page.includes(route.page) ? 'page' : undefined);
  // A person's session ends on the server too; a token is only forgotten by this tab.
  const signOut = () => {
    leaving.current = true;
    void (session.kind === 'cookie' ? signOutSession(client).catch(() => undefined) : Promise.resolve()).then(() => onSignedOut());
  };
  return (
    <QueryClientProvider client={queries}>
      <header class="top">
        <a class="brand" href="#/">Berth</a>
        <nav aria-label="Main">
          <a href="#/" aria-current={current(['deployments'])}>Deployments</a>
          <a href="#/projects" aria-current={current(['projects', 'project', 'members'])}>Projects</a>
          <a href="#/new" aria-current={current(['new'])}>New deployment</a>
          <a href="#/tokens" aria-current={current(['tokens'])}>Tokens</a>
          <a href="#/audit" aria-current={current(['audit'])}>Audit</a>
        </nav>
        <span class="who muted small">{session.kind === 'cookie' ? session.email : 'API token'}</span>
        <button type="button" class="sign-out" onClick={signOut}>Sign out</button>
      </header>
      <main>
        <BusyNote busy={busy} />
        <Page route={route} client={client} session={session} />
      </main>
    </QueryClientProvider>
  );
}

function Page({ route, client, session }: { route: Route; client: ApiClient; session: Session }) {
  switch (route.page) {
    case 'deployments':
      return <Deployments client={client} />;
    case 'new':
      return <NewDeployment client={client} />;
    case 'deployment':
      return <DeploymentPage key={route.id} client={client} id={route.id} session={session} />;
    case 'projects':
      return <Projects client={client} />;
    case 'project':
      return <ProjectPage key={route.name} client={client} name={route.name} />;
    case 'members':
      return <MembersPage key={route.name} client={client} name={route.name} />;
    case 'tokens':
      return <TokensPage client={client} userId={session.kind === 'cookie' ? session.userId : undefined} />;
    case 'audit':
      return <AuditPage key={route.project} client={client} project={route.project} />;
    case 'setup':
      return null; // shown by App, signed in or not
  }
}

render(<App />, document.getElementById('app')!);
