import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LogLine } from '@berth/client/types';
import { ansiSpans, finalState, plainText } from './ansi.ts';
import { LogSearch } from './log-search.ts';

const rowHeight = 18;
const overscan = 20;

interface LogViewProps {
  /** Grows in place; `version` changes when it did. */
  lines: LogLine[];
  version: number;
  fileName: string;
}

/** A virtualised log: only the rows in view are in the DOM, so 100,000 lines scroll as smoothly as 100. */
export function LogView({ lines, version, fileName }: LogViewProps) {
  const [follow, setFollow] = useState(true);
  const [query, setQuery] = useState('');
  const search = useLogSearch(lines, query);
  const shown = query ? search.matches : lines;
  const { box, scrollTop, height, onScroll, onKeyDown } = useLogScroll(follow, setFollow, [version, follow, shown.length]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(shown.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows = [];
  for (let i = first; i < last; i++) rows.push(<LogRow key={shown[i]!.seq} line={shown[i]!} top={i * rowHeight} />);

  return (
    <section class="log" aria-label="Build log">
      <div class="log-tools">
        <button type="button" aria-pressed={follow} onClick={() => setFollow(!follow)}>
          Follow
        </button>
        <label>
          Search log <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </label>
        <button type="button" onClick={() => download(lines, fileName)}>
          Download log
        </button>
        <span class="muted" aria-live="polite">
          {!query ? `${lines.length} lines` : search.done ? `${shown.length} of ${lines.length} lines` : `searching… ${shown.length} of ${search.searched} lines`}
        </span>
      </div>
      <div class="log-box" ref={box} onScroll={onScroll} onKeyDown={onKeyDown} tabIndex={0} role="log" aria-label="Log lines">
        <div style={{ height: `${shown.length * rowHeight}px`, position: 'relative' }}>{rows}</div>
      </div>
    </section>
  );
}

/**
 * The log box's scrolling: its height as it is resized, the bottom kept in view while following
 * (again whenever `changes` change), and the keys and scrolls of the reader.
 */
function useLogScroll(follow: boolean, setFollow: (follow: boolean) => void, changes: unknown[]) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = box.current;
    if (follow && el) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, changes);

  // Following only ever scrolls down: a scroll up is the reader's, and pauses following.
  const lastTop = useRef(0);
  const onScroll = () => {
    const el = box.current!;
    if (follow && el.scrollTop < lastTop.current - rowHeight) setFollow(false);
    lastTop.current = el.scrollTop;
    setScrollTop(el.scrollTop);
  };

  // Home and End move within the log itself. Left to the browser, they scroll whichever scroller it
  // picks, which is the page when the page is taller than the window (seen in Chromium).
  const onKeyDown = (e: KeyboardEvent) => {
    const el = box.current;
    if (!el || (e.key !== 'Home' && e.key !== 'End') || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    el.scrollTop = e.key === 'Home' ? 0 : el.scrollHeight;
  };
  return { box, scrollTop, height, onScroll, onKeyDown };
}

/** The lines matching `query`, searched in slices (log-search.ts); renders again as the search moves on. */
function useLogSearch(lines: LogLine[], query: string) {
  const [, setProgress] = useState(0);
  const search = useMemo(() => new LogSearch(() => setProgress((p) => p + 1)), []);
  useEffect(() => () => search.stop(), [search]);
  search.update(lines, query); // on every render: the lines may have grown in place since the last one
  return search.result;
}

function LogRow({ line, top }: { line: LogLine; top: number }) {
  const spans = ansiSpans(finalState(line.line));
  return (
    <div class={`log-row ${line.stream}`} style={{ top: `${top}px` }} data-seq={line.seq}>
      {spans.map((s, i) => (s.classes ? <span key={i} class={s.classes}>{s.text}</span> : s.text))}
    </div>
  );
}

function download(lines: LogLine[], fileName: string): void {
  const text = lines.map((l) => plainText(l.line)).join('\n') + '\n';
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
