// The lint gate (`npm run lint`, also run by `npm test` after the type-check): unused code, floating and
// misused promises, type-only imports, and no import cycles anywhere in the tree. Rules that need types
// get them from two TypeScript programs: the root tsconfig (everything but the dashboard) and the
// dashboard's (DOM, JSX). Not `projectService`: it opens each package's nearest tsconfig as a program of
// its own, ten that all re-check packages/shared, and took 82 s of CPU here against these two's 47 s.
// `npm run lint` caches results by file content (node_modules/.cache/eslint): a warm run re-lints only the
// files that changed, so a promise that starts floating because another file's signature changed shows
// up on a cold run (a fresh clone, CI) or with `npx eslint .`. The cycle check is import-x's no-cycle, in
// this same pass (about a quarter of its time): it follows workspace imports to their sources too.
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const typeScriptFiles = ['**/*.ts', '**/*.tsx', '**/*.mts'];
const scriptFiles = ['**/*.js', '**/*.mjs'];
const typeScriptPrograms = ['tsconfig.json', 'apps/dashboard/tsconfig.json'];

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'packages/client/src/generated/**', // written by `npm run openapi`
      'test-apps/**', // sample user apps that the tests deploy, not Berth's code
      '.berth/**',
      '.turbo/**',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: [...typeScriptFiles, ...scriptFiles],
    languageOptions: {
      parser: tseslint.parser,
      ecmaVersion: 'latest',
      sourceType: 'module',
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      // Which files the cycle check reads, and with which parser (import-x's own defaults know only .js).
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: typeScriptPrograms,
          // Workspace packages export their TypeScript sources under this condition (tsconfig.base.json),
          // so an import of @berth/shared/... resolves to the file the cycle check must follow.
          conditionNames: ['@berth/source', 'types', 'import', 'node', 'default'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // The tree already marks its deliberate control characters in regular expressions (ANSI, log masking).
      'no-control-regex': 'error',
    },
  },
  {
    files: typeScriptFiles,
    languageOptions: {
      parserOptions: { project: typeScriptPrograms, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // JSX event handlers may be async (the dashboard's catch their own errors): Preact ignores what they return.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // `typeof import('node:http')` stays allowed: the prober's main runs inside a container and takes its
      // modules from the `require` it is given, so it names their types inline, never importing them.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },
);
