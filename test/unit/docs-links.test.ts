import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README is the front door and docs/ the reference: every relative link
// and image in them must land on a file inside this repository (and on a
// heading there, when it names one), nothing may point at `../shared` (a
// folder outside the repository, dead in every clone), and the README stays
// short. Pure: it reads files only.

const root = fileURLToPath(new URL('../..', import.meta.url));
const readmeMaxLines = 200;
const outside = '../shared';

/** README.md, BENCHMARKS.md and every Markdown file under docs/, as paths relative to the root. */
function documentationFiles(): string[] {
  const docs = readdirSync(path.join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f));
  return ['README.md', 'BENCHMARKS.md', ...docs].sort();
}

/**
 * The text a reader sees as prose: fenced and indented code blocks and inline
 * code spans blanked out (a `[x](y)` inside code is not a link), lines kept so
 * line numbers stay true.
 */
function proseOf(markdown: string): string[] {
  let fence: string | undefined;
  let previousBlank = true;
  let inIndentedCode = false;
  return markdown.split('\n').map((line) => {
    const fenceMark = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (fenceMark?.startsWith(fence)) fence = undefined;
      return '';
    }
    if (fenceMark) {
      fence = fenceMark;
      return '';
    }
    if (line.trim() === '') {
      previousBlank = true;
      return line;
    }
    // An indented block starts after a blank line (it cannot interrupt a paragraph) and runs until a line that is not indented.
    inIndentedCode = /^( {4}|\t)/.test(line) && (previousBlank || inIndentedCode);
    previousBlank = false;
    return inIndentedCode ? '' : line.replace(/(`+)[^`]*?\1/g, '');
  });
}

/** Relative link and image targets (inline, reference definitions, HTML src/href), with their line. */
function linksOf(markdown: string): { target: string; line: number }[] {
  const found: { target: string; line: number }[] = [];
  proseOf(markdown).forEach((text, i) => {
    const patterns = [/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g, /\b(?:src|href)="([^"]+)"/g];
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) found.push({ target: match[1]!, line: i + 1 });
    }
  });
  return found.filter(({ target }) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//'));
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as hyphens; repeats get -1, -2 … */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s{0,3}(`{3,}|~{3,})/.test(line)) fence = !fence;
    const heading = fence ? undefined : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1];
    if (!heading) continue;
    const base = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** What is wrong with one file's links: each problem as `file:line: why`. */
export function linkProblems(file: string, markdown: string, readFile: (p: string) => string | undefined): string[] {
  const problems: string[] = [];
  markdown.split('\n').forEach((line, i) => {
    if (line.includes(outside)) problems.push(`${file}:${i + 1}: mentions ${outside}, which is outside the repository`);
  });
  for (const { target, line } of linksOf(markdown)) {
    const [pathPart = '', anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved = pathPart === '' ? file : path.normalize(path.join(path.dirname(file), decodeURIComponent(pathPart)));
    if (resolved.startsWith('..') || path.isAbsolute(resolved)) {
      problems.push(`${file}:${line}: ${target} points outside the repository`);
      continue;
    }
    const text = pathPart === '' ? markdown : readFile(resolved);
    if (text === undefined) {
      problems.push(`${file}:${line}: ${target} names ${resolved}, which does not exist`);
    } else if (anchor && resolved.endsWith('.md') && !anchorsOf(text).has(anchor)) {
      problems.push(`${file}:${line}: ${target}: ${resolved} has no heading #${anchor}`);
    }
  }
  return problems;
}

/** A repository file's text ('' for a folder or a binary we do not read), or undefined when it is missing. */
function readRepositoryFile(relative: string): string | undefined {
  const full = path.join(root, relative);
  if (!existsSync(full)) return undefined;
  return statSync(full).isFile() && relative.endsWith('.md') ? readFileSync(full, 'utf8') : '';
}

describe('the README and docs/ link only to what is in the repository', () => {
  for (const file of documentationFiles()) {
    it(`${file}: every relative link and image resolves, and nothing mentions ${outside}`, () => {
      expect(linkProblems(file, readFileSync(path.join(root, file), 'utf8'), readRepositoryFile)).toEqual([]);
    });
  }

  it(`README.md is a front door: under ${readmeMaxLines} lines, and it leads to docs/architecture.md`, () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme.trimEnd().split('\n').length).toBeLessThan(readmeMaxLines);
    expect(linksOf(readme).map((l) => l.target)).toContain('docs/architecture.md');
  });
});

describe('the link check itself', () => {
  const files: Record<string, string> = {
    'docs/guide.md': '# Guide\n\n## Start here\n',
    'docs/picture.png': '',
  };
  const read = (p: string) => files[p];

  it('reports a dead link, a missing heading, a link out of the repository and a mention of ../shared', () => {
    const broken = [
      'See [the guide](guide.md#start-here) and ![a picture](picture.png).',
      'Gone: [old](old-plan.md), [no such part](guide.md#the-end), [out](../../elsewhere/notes.md).',
      'See `../shared/ARCHITECTURE.md` for the design.',
    ].join('\n');
    const problems = linkProblems('docs/broken.md', broken, read);
    expect(problems).toEqual([
      'docs/broken.md:3: mentions ../shared, which is outside the repository',
      'docs/broken.md:2: old-plan.md names docs/old-plan.md, which does not exist',
      'docs/broken.md:2: guide.md#the-end: docs/guide.md has no heading #the-end',
      'docs/broken.md:2: ../../elsewhere/notes.md points outside the repository',
    ]);
  });

  it('ignores web addresses and what is inside code, and checks links to headings of the same file', () => {
    const fine = [
      '# Here',
      '',
      'Go to <http://localhost:8080/>, [the site](https://example.com/x.md), [here](#here).',
      '',
      '    curl -F projectArchive=@[x](missing.zip)',
      '',
      '```sh',
      'echo [y](missing.md)',
      '```',
      'and `[z](missing.md)` in a code span.',
    ].join('\n');
    expect(linkProblems('docs/fine.md', fine, read)).toEqual([]);
    expect(linkProblems('docs/bad-anchor.md', '# Here\n[there](#there)\n', read)).toEqual([
      'docs/bad-anchor.md:2: #there: docs/bad-anchor.md has no heading #there',
    ]);
  });

  it('makes GitHub anchors of headings with code, punctuation and dashes', () => {
    const anchors = anchorsOf('## Dashboard (`apps/dashboard`)\n## Swarm mode\'s edge\n## A — B\n## A — B\n');
    expect([...anchors]).toEqual(['dashboard-appsdashboard', 'swarm-modes-edge', 'a--b', 'a--b-1']);
  });
});
