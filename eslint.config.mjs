// Lint: typescript-eslint's recommended rules, plus the import boundaries of the layout (README "Development"):
// - constructs never import the CLI (a synth must not load its login code);
// - `lib/cli/` and `lib/common/` never import cdktf, cdktn, constructs or a provider, nor a construct module;
// - `lib/runtime/` (bundled into function apps) imports nothing outside itself.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const cdkPackages = ['cdktf', 'cdktf/*', 'cdktn', 'cdktn/*', 'constructs', '@cdktf/*', '@cdktn/*'];
// Relative paths up to lib/ from every folder depth of lib/cli (lib/cli/verify/checks/ is three levels down): the
// patterns are anchored, so a depth not listed here would pass unchecked.
const constructModules = ['webpubsub', 'functions', 'code', 'patterns', 'core', 'iam', 'azapi', 'validation', 'network'].flatMap((m) =>
  ['../', '../../', '../../../'].flatMap((up) => [`${up}${m}/*`, `${up}${m}`]),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'cdktf.out/**', 'bench/.cache/**', '**/fixtures/**', 'coverage/**'] },
  { files: ['lib/**/*.ts'], extends: [js.configs.recommended, ...tseslint.configs.recommended] },
  {
    files: ['lib/**/*.ts'],
    rules: {
      // The CLI loads its commands lazily with `require(...) as typeof import(...)` (startup time of the apply steps).
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lib/**/*.ts'],
    ignores: ['lib/cli/**', 'lib/common/**', 'lib/runtime/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/cli', '**/cli/**'], message: 'constructs never import the CLI: share values through lib/common/' }] }] },
  },
  {
    files: ['lib/cli/**/*.ts', 'lib/common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: cdkPackages, message: 'the CLI and lib/common never load a CDK core or provider' },
            { group: constructModules, message: 'the CLI and lib/common never import construct modules' },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/runtime/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./)', message: 'the runtime entry imports nothing outside lib/runtime' }] }] },
  },
);
