// The layers of the bridge (STYLE.md §5–6), checked by `npm run deps` in CI.
// Tests beside the code (`*.test.ts`) may reach across layers to build what
// they test; the rules are about the product code.
const TEST = '\\.test\\.ts$';
const SLICES = '^src/(routing|reconcile|privacy)/';
const IO_PACKAGES = 'node_modules/(bullmq|ioredis|jsforce|purecloud-platform-client-v2|express)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one; cut it through a port.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'src/domain imports only src/domain (and the phone-number metadata it computes with).',
      from: { path: '^src/domain/', pathNot: TEST },
      to: { pathNot: ['^src/domain/', 'node_modules/libphonenumber-js/'] },
    },
    {
      name: 'ports-import-only-domain',
      severity: 'error',
      comment: 'A port states what the core needs from the outside in domain terms only.',
      from: { path: '^src/ports/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'slice-ports-import-only-domain-and-contracts',
      severity: 'error',
      comment: "A slice's port speaks the domain and the slice's own contracts.",
      from: { path: `${SLICES}[^/]+\\.port\\.ts$` },
      to: { pathNot: ['^src/domain/', `^src/$1/[^/]+\\.contract\\.ts$`] },
    },
    {
      name: 'slices-stay-inside',
      severity: 'error',
      comment:
        'Use cases reach adapters, HTTP, configuration and entry points only through ports and the values main.ts hands them.',
      from: { path: SLICES, pathNot: TEST },
      to: {
        path: [
          '^src/(adapters|http|cli|config|demo|genesys-artifacts)/',
          '^src/(main|infrastructure)\\.ts$',
        ],
      },
    },
    {
      name: 'slices-do-not-import-each-other',
      severity: 'error',
      comment: 'Routing, reconcile and privacy share only the domain and the shared ports.',
      from: { path: SLICES, pathNot: TEST },
      to: { path: SLICES, pathNot: '^src/$1/' },
    },
    {
      name: 'use-cases-reach-io-through-ports',
      severity: 'error',
      comment:
        'Only the BullMQ queue and worker of the reconcile slice (and its module, which wires them) use BullMQ; nothing in a slice talks to Redis, Salesforce, Genesys or express directly.',
      from: {
        path: SLICES,
        pathNot: [TEST, '^src/reconcile/reconcile\\.(queue|worker|module)\\.ts$'],
      },
      to: { path: [IO_PACKAGES, '^node:sqlite$'] },
    },
    {
      name: 'http-shell-takes-routes-not-slices',
      severity: 'error',
      comment: 'The HTTP shell gets routes as values; it never imports a slice.',
      from: { path: '^src/http/', pathNot: TEST },
      to: { path: SLICES },
    },
    {
      name: 'adapters-see-only-ports-and-contracts-of-slices',
      severity: 'error',
      comment:
        'An adapter implements a port; it never reaches into a use case, the HTTP shell or an entry point.',
      from: { path: '^src/adapters/', pathNot: TEST },
      to: {
        path: [SLICES, '^src/(http|cli|demo)/', '^src/(main|infrastructure)\\.ts$'],
        pathNot: '\\.(port|contract)\\.ts$',
      },
    },
    {
      name: 'generators-read-contracts-only',
      severity: 'error',
      comment:
        "The Genesys artifacts are generated from the slices' contracts, nothing else of them.",
      from: { path: '^src/genesys-artifacts/', pathNot: TEST },
      to: { path: SLICES, pathNot: '\\.contract\\.ts$' },
    },
    {
      name: 'product-code-never-imports-tests-or-benchmarks',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'benchmarks-are-leaves',
      severity: 'error',
      comment: 'Benchmarks use the test emulators; nothing uses a benchmark.',
      from: { pathNot: '^bench/' },
      to: { path: '^bench/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(force-app|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
