import { useEffect, useRef, useState } from 'preact/hooks';
import { bearerProtocolPrefix, csrfProtocolPrefix, parseServerMessage, terminalPath, terminalProtocol } from '@berth/client/terminal-protocol';
import type { Session } from './session.ts';

/**
 * How this tab proves itself to the terminal's WebSocket (no headers there): a person's session by its
 * cookie (sent by the browser) and its CSRF token as a subprotocol; an operator's token as a subprotocol.
 */
function protocolsFor(session: Session): string[] {
  return [terminalProtocol, session.kind === 'cookie' ? `${csrfProtocolPrefix}${session.csrfToken}` : `${bearerProtocolPrefix}${session.token}`];
}

/** Splits a command line into words on spaces (no quoting: a shell's `sh -c "…"` is for the shell to read). */
function words(line: string): string[] {
  return line.trim().split(/\s+/).filter(Boolean);
}

/** The Terminal panel of a running deployment (deployers and up): a command, or `sh`, in xterm.js over the API's WebSocket. */
export function TerminalPanel({ id, session }: { id: string; session: Session }) {
  const [command, setCommand] = useState('');
  const [opened, setOpened] = useState<string[] | undefined>();
  return (
    <section aria-label="Terminal">
      <h2>Terminal</h2>
      <form
        class="actions"
        onSubmit={(e) => {
          e.preventDefault();
          setOpened(words(command));
        }}
      >
        <input aria-label="Command" placeholder="sh" value={command} onInput={(e) => setCommand(e.currentTarget.value)} />
        <button type="submit">{opened ? 'Open again' : 'Open terminal'}</button>
      </form>
      {opened && <TerminalView key={opened.join(' ') + Math.random()} id={id} command={opened} session={session} />}
    </section>
  );
}

function TerminalView({ id, command, session }: { id: string; command: string[]; session: Session }) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState('connecting…');
  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    // xterm.js is loaded when a terminal is first opened: the rest of the dashboard does not wait for it.
    void import('@xterm/xterm').then(({ Terminal }) => {
      if (disposed || !host.current) return;
      const term = new Terminal({ cols: 100, rows: 24, convertEol: false });
      term.open(host.current);
      const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${terminalPath(id, command)}`;
      const socket = new WebSocket(url, protocolsFor(session));
      socket.binaryType = 'arraybuffer';
      const encoder = new TextEncoder();
      socket.onopen = () => {
        setState('connected');
        socket.send(JSON.stringify({ type: 'resize', cols: term.cols, rows: term.rows }));
        term.focus();
      };
      socket.onmessage = (event: MessageEvent) => {
        if (typeof event.data !== 'string') return term.write(new Uint8Array(event.data as ArrayBuffer));
        const message = parseServerMessage(event.data);
        if (message?.type === 'exit') setState(`exited with code ${message.code ?? 'unknown'}`);
        if (message?.type === 'closed') setState(`closed: ${message.message}`);
      };
      socket.onclose = (event) => setState((s) => (s.startsWith('exited') || s.startsWith('closed') ? s : `could not open (${event.code === 1006 ? 'refused or unreachable' : event.code})`));
      const typed = term.onData((data) => socket.readyState === WebSocket.OPEN && socket.send(encoder.encode(data)));
      cleanup = () => {
        typed.dispose();
        socket.close();
        term.dispose();
      };
    }, (err: unknown) => setState(`could not load the terminal: ${String(err)}`));
    return () => {
      disposed = true;
      cleanup();
    };
  }, []);
  return (
    <>
      <p class="muted small" role="status" aria-label="Terminal state">{state}</p>
      <div class="terminal" ref={host} />
    </>
  );
}
