import { useEffect, useState } from 'preact/hooks';

/** Hash routes, so the API serves only / and /assets/*. */
export type Route =
  | { page: 'deployments' }
  | { page: 'new' }
  | { page: 'deployment'; id: string }
  | { page: 'projects' }
  | { page: 'project'; name: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const match = /^\/deployments\/([A-Za-z0-9_-]{1,100})$/.exec(path);
  if (match) return { page: 'deployment', id: match[1]! };
  const project = /^\/projects\/([A-Za-z0-9._%-]{1,200})$/.exec(path);
  if (project) return { page: 'project', name: safeDecode(project[1]!) };
  if (path === '/projects') return { page: 'projects' };
  if (path === '/new') return { page: 'new' };
  return { page: 'deployments' };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
