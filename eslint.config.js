// ESLint: the TypeScript rules, no import cycles, and the layering the README describes (the data layer
// and the services never import the HTTP layer). Formatting is Prettier's job (npm run lint runs both).
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Server files below the HTTP layer: repos, services, presenters, schemas and the cross-cutting homes. */
const belowHttp = [
  'server/*/repo.ts',
  'server/*/service.ts',
  'server/*/presenter.ts',
  'server/*/schemas.ts',
  'server/errors.ts',
  'server/validation.ts',
  'server/throttle.ts',
  'server/auth/**',
  'server/db/**',
  'server/events/**',
];

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'models/', 'test/artifacts/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'renderer/tsconfig.json', 'server/widget/client/tsconfig.json', 'tsconfig.browser-tests.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: belowHttp, from: 'server/http', message: 'The data layer and the services never import the HTTP layer.' },
            {
              target: 'server',
              from: ['renderer', 'main'],
              message: 'The server stands alone: the shell and the console call it, not the reverse.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // A variable a closure reads before its one assignment cannot be const (the closure would hit the TDZ).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  // TypeScript itself checks names (and knows each project's environment); plain scripts run on Node.
  { files: ['**/*.ts', '**/*.tsx'], rules: { 'no-undef': 'off' } },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { globals: globals.node } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Tests and their helpers read JSON answers of any shape.
  {
    files: ['**/*.test.ts', 'test/**', 'bench/**', 'server/**/test-*.ts', 'server/**/testing/**', 'main/testing/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
