/**
 * The suite runs once per edition (`npx jest --selectProjects cdktf` or `cdktn` for one):
 * - cdktf: the sources as written;
 * - cdktn: the same sources with `cdktf` and `@cdktf/provider-*` resolved to `cdktn` and `@cdktn/provider-*`
 *   (build/editions.json), as the published cdktn edition has them (build/build-edition.ts). Child processes that
 *   synthesize follow the project through test/edition.ts.
 */
const editions = require('./build/editions.json');

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** `pkg` and `pkg/sub/path` → the mapped package, for every package of an edition. */
function moduleNameMapper(modules) {
  return Object.fromEntries(
    Object.entries(modules).flatMap(([from, to]) => [
      [`^${escape(from)}$`, to],
      [`^${escape(from)}/(.*)$`, `${to}/$1`],
    ]),
  );
}

/**
 * Suites the cdktn project skips. Each either tests one edition's package on purpose (new-project and
 * new-project-cdktn: the packed packages in scratch projects; edition-package: builds the cdktn package) or loads no
 * core at all, neither in the Jest process nor
 * in a child (the CLI through its bin, function code, the chat page, the build's specifier rewrite), so a second run
 * would repeat the same code. test/build/editions.test.ts fails when a listed suite starts to load a core.
 */
const EDITION_INDEPENDENT_SUITES = [
  'build/edition-package',
  'build/ci-run',
  'build/module-specifiers',
  'new-project/new-project',
  'new-project/new-project-cdktn',
  'new-project/readme-gitignore',
  'chat-page/chat-page',
  'cli/apply/apply-steps',
  'cli/apply/approve-private-links',
  'cli/apply/reachability',
  'cli/verify/checks',
  'cli/workflow',
  'example/index-page',
  'example/negotiate',
  'example/negotiate-roles',
  'example/registrations',
  'example/web-pubsub-events',
  'example/webpubsub-context',
  'code/function-registration-recorder',
  'code/host-json',
  'code/bundle-cache',
  'runtime/event-responses',
  'runtime/output-actions',
  'runtime/runtime-entry',
  'runtime/web-pubsub-handlers',
  'build/lint-boundaries',
  'core/arm-type-check',
  'runtime/multi-origin-preflight',
  'bench/deploy-graph',
  'cli/dev-package',
];

/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking runs in `npm run typecheck` (both editions); Jest only transpiles (isolatedModules in tsconfig).
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'cdktf', globals: { CDK_EDITION: 'cdktf' } },
    {
      ...common,
      displayName: 'cdktn',
      globals: { CDK_EDITION: 'cdktn' },
      moduleNameMapper: moduleNameMapper(editions.cdktn.modules),
      testPathIgnorePatterns: ['/node_modules/', ...EDITION_INDEPENDENT_SUITES.map((suite) => `<rootDir>/test/${escape(suite)}\\.test\\.ts$`)],
    },
  ],
};
