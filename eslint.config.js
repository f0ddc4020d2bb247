// Lint rules, including the architecture's dependency rules (docs/ARCHITECTURE.md).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const restrict = (patterns, paths = []) => ['error', { patterns, paths }];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'bench/results/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The platform is the ground floor: it knows no module, no demo, no app.
    files: ['server/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/modules/**', '**/demo/**', '**/app.ts', '**/main.ts', '**/cli/main.ts'], message: 'platform imports no module' },
      ]),
    },
  },
  {
    // Algorithms are pure: they import nothing of ours.
    files: ['server/algorithms/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([{ group: ['**/platform/**', '**/modules/**'], message: 'algorithms import nothing of ours' }]),
    },
  },
  {
    // A module reaches another only through its index.ts (a flat module's files).
    files: ['server/modules/*/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['../*/*', '!../*/index.ts', '!../../**'], message: 'import another module through its index.ts' },
        { group: ['**/platform/**', '!**/platform/index.ts', '!**/platform/standalone.ts'], message: 'use the platform through server/platform/index.ts (or standalone.ts for a command without a database)' },
      ]),
    },
  },
  {
    // The same for a module grouped by role: its folders see one another, other modules only through index.ts.
    files: ['server/modules/*/*/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['../../*/*', '!../../*/index.ts', '!../../../**'], message: 'import another module through its index.ts' },
        { group: ['**/platform/**', '!**/platform/index.ts', '!**/platform/standalone.ts'], message: 'use the platform through server/platform/index.ts (or standalone.ts for a command without a database)' },
      ]),
    },
  },
  {
    // Domain, services and presenters hold no HTTP and no SQL: only routes speak HTTP, only repositories speak SQL.
    files: ['server/**/*.ts'],
    ignores: [
      'server/**/*.routes.ts',
      'server/**/*.repository.ts',
      'server/**/*.test.ts',
      'server/app.ts',
      'server/main.ts',
      'server/platform/http/**',
      'server/platform/database/**',
      'server/migrations/**',
      'server/platform/platform.cli.ts',
      'server/platform/index.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        [{ group: ['fastify', '@fastify/*'], message: 'only *.routes.ts and platform/http speak HTTP', allowTypeImports: true }],
        [
          { name: 'kysely', message: 'only *.repository.ts writes SQL', allowTypeImports: true },
          { name: 'pg', message: 'only the database layer talks to PostgreSQL', allowTypeImports: true },
        ],
      ),
    },
  },
  {
    files: ['cli/**/*.ts', 'bin/**/*.js', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
