import { useEffect, useState } from 'preact/hooks';

/** Hash routes, so the API serves only / and /assets/*. */
export type Route =
  | { page: 'deployments' }
  | { page: 'new' }
  | { page: 'deployment'; id: string }
  | { page: 'projects' }
  | { page: 'project'; name: string }
  | { page: 'members'; name: string }
  | { page: 'tokens' }
  | { page: 'audit'; project?: string }
  | { page: 'setup'; token: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const match = /^\/deployments\/([A-Za-z0-9_-]{1,100})$/.exec(path);
  if (match) return { page: 'deployment', id: match[1]! };
  const project = /^\/projects\/([A-Za-z0-9._%-]{1,200})(\/members)?$/.exec(path);
  if (project) return { page: project[2] ? 'members' : 'project', name: safeDecode(project[1]!) };
  const audit = /^\/audit(?:\?project=([A-Za-z0-9._%-]{1,200}))?$/.exec(path);
  if (audit) return audit[1] ? { page: 'audit', project: safeDecode(audit[1]) } : { page: 'audit' };
  if (path === '/tokens') return { page: 'tokens' };
  const setup = /^\/setup\/([A-Za-z0-9_-]{1,200})$/.exec(path);
  if (setup) return { page: 'setup', token: setup[1]! };
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
