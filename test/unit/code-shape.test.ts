import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@berth/testing/paths';

/**
 * The house rules a reviewer would otherwise count by hand: every hand-written file ≤ 250 lines, and
 * every function outside the tests ≤ 60 lines unless the comment just above it says why (it names
 * "60 lines"). Test files are exempt from the function rule: a `describe` callback is a list of cases.
 */
const maxFileLines = 250;
const maxFunctionLines = 60;

function handWrittenFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts', '*.tsx', '*.mjs', '*.js', '*.sh'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return listed
    .split('\n')
    .filter((f) => f !== '' && !f.includes('/generated/') && !f.startsWith('test-apps/') && !f.includes('node_modules/'))
    .filter((f) => !f.includes('/dist/'));
}

function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}

/** Functions over the limit whose leading comment does not say why. */
export function longFunctions(file: string, text: string, limit = maxFunctionLines): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const explained = (node: ts.Node) => {
    // The comment may sit on the function or on the statement that holds it (`export const f = () => …`).
    for (let n: ts.Node | undefined = node; n && !ts.isSourceFile(n); n = n.parent) {
      const comments = ts.getLeadingCommentRanges(text, n.getFullStart()) ?? [];
      if (comments.some((c) => /\b60 lines\b/.test(text.slice(c.pos, c.end)))) return true;
      if (ts.isStatement(n) || ts.isClassElement(n)) break;
    }
    return false;
  };
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart()) + 1;
      if (lines > limit && !explained(node)) found.push(`${file}:${lineOf(node.getStart())} is ${lines} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the shape of the code', () => {
  const files = handWrittenFiles();

  it(`no hand-written file is over ${maxFileLines} lines`, () => {
    const long = files
      .map((f) => ({ f, lines: lineCount(readFileSync(path.join(repoRoot, f), 'utf8')) }))
      .filter(({ lines }) => lines > maxFileLines)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it(`no function outside the tests is over ${maxFunctionLines} lines without a comment saying why`, () => {
    const code = files.filter((f) => /\.(ts|tsx|mjs|js)$/.test(f) && !/\.test\.tsx?$/.test(f));
    const long = code.flatMap((f) => longFunctions(f, readFileSync(path.join(repoRoot, f), 'utf8')));
    expect(long).toEqual([]);
  });

  it('finds a long function, and accepts one whose comment says why', () => {
    const body = Array.from({ length: 3 }, (_, i) => `  const x${i} = ${i};`).join('\n');
    const text = `function long() {\n${body}\n}\n\n/** Over 60 lines: … why. */\nfunction explained() {\n${body}\n}\n`;
    expect(longFunctions('x.ts', text, 3)).toEqual(['x.ts:1 is 5 lines']);
  });
});
