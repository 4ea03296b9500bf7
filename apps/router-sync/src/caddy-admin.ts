/** Caddy's admin API, as far as router-sync needs it. */
export interface CaddyAdmin {
  load(config: unknown): Promise<void>;
  current(): Promise<unknown>;
}

export class HttpCaddyAdmin implements CaddyAdmin {
  private readonly origin: string;

  constructor(adminUrl: string) {
    this.origin = new URL(adminUrl).origin;
  }

  async load(config: unknown): Promise<void> {
    const res = await fetch(`${this.origin}/load`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(config),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`caddy /load answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  }

  async current(): Promise<unknown> {
    const res = await fetch(`${this.origin}/config/`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`caddy /config/ answered ${res.status}`);
    return res.json();
  }
}
