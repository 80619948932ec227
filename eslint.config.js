// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['dist/**', 'generated/**', 'node_modules/**', 'test/fixtures/**', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-control-regex': 'off',
      // lazy require() keeps heavy modules (json-schema-faker, Express, commands) out of start-up
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  // Import boundaries (templates/runtime/core/README.md). The generator and drift share only the pure core
  // of the emitted runtime; the core depends on nothing of the server around it and does no I/O.
  {
    files: ['src/**/*.ts'],
    // `mockgen serve` runs the emitted server itself, in-process: the one stage that may start it
    ignores: ['src/serve/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: 'templates/runtime/(?!core/)',
              message:
                'src/ may import only templates/runtime/core/ (pure code shared with the emitted server).',
            },
          ],
        },
      ],
    },
  },
  ...coreBoundary(['templates/runtime/core/*.ts'], '^\\.\\./'),
  ...coreBoundary(['templates/runtime/core/*/*.ts'], '^\\.\\./\\.\\./'),
  ...coreBoundary(['templates/runtime/core/*/*/*.ts'], '^\\.\\./\\.\\./\\.\\./'),
);

/** Files in `files` (at one depth under core/) may not import what `leavesCore` matches, nor Node's I/O. */
function coreBoundary(files, leavesCore) {
  const io = [
    'fs',
    'fs/promises',
    'http',
    'https',
    'http2',
    'net',
    'tls',
    'dgram',
    'child_process',
    'worker_threads',
  ];
  return [
    {
      files,
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: io
              .flatMap((name) => [name, `node:${name}`])
              .map((name) => ({
                name,
                message: 'templates/runtime/core/ is pure: no I/O (the server around it does that).',
              })),
            patterns: [
              {
                regex: leavesCore,
                message: 'templates/runtime/core/ imports nothing outside core/ (except npm packages).',
              },
            ],
          },
        ],
      },
    },
  ];
}
