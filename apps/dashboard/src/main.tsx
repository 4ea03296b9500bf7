import { render } from 'preact';
import { useState } from 'preact/hooks';
import { clientFor, signIn, signOut, storedToken } from './session.ts';
import { useRoute } from './route.ts';
import { SignIn } from './pages/sign-in.tsx';
import { Deployments } from './pages/deployments.tsx';
import { NewDeployment } from './pages/new-deployment.tsx';
import { DeploymentPage } from './pages/deployment.tsx';
import './styles.css';

function App() {
  const [token, setToken] = useState(storedToken);
  const route = useRoute();
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
  const client = clientFor(token);
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">Berth</a>
        <nav aria-label="Main">
          <a href="#/" aria-current={route.page === 'deployments' ? 'page' : undefined}>Deployments</a>
          <a href="#/new" aria-current={route.page === 'new' ? 'page' : undefined}>New deployment</a>
        </nav>
        <button
          type="button"
          onClick={() => {
            signOut();
            setToken(undefined);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        {route.page === 'deployments' && <Deployments client={client} />}
        {route.page === 'new' && <NewDeployment client={client} />}
        {route.page === 'deployment' && <DeploymentPage key={route.id} client={client} id={route.id} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
