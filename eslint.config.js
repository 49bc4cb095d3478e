// The tools hold the rules: zones keep renderer/ out of electron/, both out of shared/, and 'electron'
// out of everything but the three shell files; handlers never import handlers; no import cycles.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ['error', { patterns }];

export default tseslint.config(
  // tests/lint-fixtures/ holds code that breaks the rules on purpose: tests/tools/lint.test.ts lints it with ignores off.
  { ignores: ['dist/**', 'node_modules/**', 'release/**', '**/*.d.ts', 'tests/lint-fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'electron/scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']",
          message: 'No focused tests: .only hides the rest of the suite.',
        },
      ],
    },
  },
  {
    // No import cycles anywhere: an area that needs another's work asks it, and is never asked back.
    files: ['shared/**/*.ts', 'electron/**/*.ts', 'renderer/**/*.{ts,tsx}', 'tests/lint-fixtures/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.d.ts'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['electron/scripts/*.mjs'],
    languageOptions: { globals: { console: 'readonly' } },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ is pure: it imports neither electron/ nor renderer/.' },
        {
          group: ['node:*', 'fs', 'path', 'os', 'electron', 'better-sqlite3-multiple-ciphers', 'kysely', 'exceljs', 'react', 'antd'],
          message: 'shared/ runs anywhere: no Node, DOM, database or UI libraries.',
        },
      ]),
    },
  },
  {
    files: ['renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      'no-restricted-imports': restrict([
        {
          group: ['**/electron/**', 'electron', 'node:*', 'better-sqlite3-multiple-ciphers', 'kysely', 'exceljs'],
          message: 'The renderer reaches the core only through renderer/src/api/client.ts.',
        },
      ]),
    },
  },
  {
    files: ['electron/**'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/ipc.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron'], message: "Only main.ts, preload.ts and ipc.ts import 'electron': the core is plain Node." },
        { group: ['**/renderer/**'], message: 'electron/ does not import the renderer.' },
      ]),
    },
  },
  {
    // Handlers are doors: each calls its area and never another handler.
    files: ['electron/core/handlers/**', 'tests/lint-fixtures/handlers/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['./*', '../handlers/*'], message: 'A handler never imports another handler: call the area module both use.' },
        { group: ['electron'], message: "Only main.ts, preload.ts and ipc.ts import 'electron': the core is plain Node." },
        { group: ['**/renderer/**'], message: 'electron/ does not import the renderer.' },
      ]),
    },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts', 'electron/ipc.ts'],
    rules: { 'no-restricted-imports': restrict([{ group: ['**/renderer/**'], message: 'electron/ does not import the renderer.' }]) },
  },
);
