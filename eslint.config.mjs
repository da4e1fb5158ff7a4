// Lint run by `npm test` (`npm run lint`): lines under 150 characters, no unused code, imports in order
// (`npx eslint --fix <files>` sorts them), and the recommended sets of eslint and typescript-eslint. After it,
// `npm run lint` type-checks the sources jest and ts-node only transpile (tsconfig.dev.json refuses unused
// locals and parameters) and runs scripts/unused-exports.ts (exports nothing imports).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import { defineConfig } from 'eslint/config';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const unusedVars = ['error', {
  args: 'after-used',
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrors: 'none',
  ignoreRestSiblings: true,
}];

export default defineConfig(
  {
    ignores: [
      'node_modules/**', 'build/**', 'dist/**', 'jsii-dist/**', 'coverage/**', 'cdk8s.out/**',
      'compliance/**', 'bench/results/**', '.cache/**', '.scratch/**', 'test/fixtures/**',
    ],
  },
  {
    files: ['**/*.{ts,js,mjs}'],
    plugins: { '@stylistic': stylistic, import: importPlugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@stylistic/max-len': ['error', { code: 150, tabWidth: 2, ignoreUrls: false }],
      'import/order': ['error', {
        groups: ['builtin', 'external', 'internal', 'parent', 'sibling', 'index'],
        'newlines-between': 'never',
        alphabetize: { order: 'asc', caseInsensitive: true },
      }],
      'import/no-duplicates': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': unusedVars,
      // Manifests are untyped JSON read from users' YAML; the engine narrows them where it reads them.
      '@typescript-eslint/no-explicit-any': 'off',
      // jsii names every props type, so an options interface that only extends another is the public shape.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    // Rendering is typed (k8s.PodSpec in, k8s.PodSpec out): an `any` there would let a field go unchecked.
    files: ['lib/workloads/**/*.ts', 'lib/kplus.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['bench/**/*.js', 'scripts/**/*.js', 'test/**/*.js', 'jest.config.js', 'bin/cdk8s-secure'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { 'no-unused-vars': unusedVars },
  },
  {
    files: ['eslint.config.mjs'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
);
