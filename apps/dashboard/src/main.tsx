import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { QueryClientProvider } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import { clientFor, signIn, signOut, storedToken } from './session.ts';
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
import './styles.css';

function App() {
  const [token, setToken] = useState(storedToken);
  if (!token) {
    return (
      <SignIn
        onSignedIn={(t) => {
          signIn(t);
          setToken(t);
        }}
      />
    );
  }
  return <SignedIn key={token} token={token} onSignOut={() => (signOut(), setToken(undefined))} />;
}

/** A fresh query cache per token: nothing one token read is shown to the next. */
function SignedIn({ token, onSignOut }: { token: string; onSignOut: () => void }) {
  const client = useMemo(() => clientFor(token), [token]);
  const queries = useMemo(newQueryClient, [token]);
  const route = useRoute();
  const busy = useLiveEvents(client, queries);
  const current = (page: Route['page'][]) => (page.includes(route.page) ? 'page' : undefined);
  return (
    <QueryClientProvider client={queries}>
      <header class="top">
        <a class="brand" href="#/">Berth</a>
        <nav aria-label="Main">
          <a href="#/" aria-current={current(['deployments'])}>Deployments</a>
          <a href="#/projects" aria-current={current(['projects', 'project'])}>Projects</a>
          <a href="#/new" aria-current={current(['new'])}>New deployment</a>
        </nav>
        <button type="button" class="sign-out" onClick={onSignOut}>Sign out</button>
      </header>
      <main>
        <BusyNote busy={busy} />
        <Page route={route} client={client} />
      </main>
    </QueryClientProvider>
  );
}

function Page({ route, client }: { route: Route; client: ApiClient }) {
  switch (route.page) {
    case 'deployments':
      return <Deployments client={client} />;
    case 'new':
      return <NewDeployment client={client} />;
    case 'deployment':
      return <DeploymentPage key={route.id} client={client} id={route.id} />;
    case 'projects':
      return <Projects client={client} />;
    case 'project':
      return <ProjectPage key={route.name} client={client} name={route.name} />;
  }
}

render(<App />, document.getElementById('app')!);
