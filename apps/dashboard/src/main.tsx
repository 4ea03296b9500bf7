import { render } from 'preact';
import { useState } from 'preact/hooks';
import { clientFor, signIn, signOut, storedToken } from './session.ts';
import { useRoute } from './route.ts';
import { SignIn } from './pages/sign-in.tsx';
import { Deployments } from './pages/deployments.tsx';
import { NewDeployment } from './pages/new-deployment.tsx';
import { DeploymentPage } from './pages/deployment.tsx';
import { Projects } from './pages/projects.tsx';
import { ProjectPage } from './pages/project.tsx';
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
          <a href="#/projects" aria-current={route.page === 'projects' || route.page === 'project' ? 'page' : undefined}>Projects</a>
          <a href="#/new" aria-current={route.page === 'new' ? 'page' : undefined}>New deployment</a>
        </nav>
        <button
          type="button"
          class="sign-out"
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
        {route.page === 'projects' && <Projects client={client} />}
        {route.page === 'project' && <ProjectPage key={route.name} client={client} name={route.name} />}
        {route.page === 'deployment' && <DeploymentPage key={route.id} client={client} id={route.id} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
