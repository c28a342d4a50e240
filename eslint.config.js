import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.catalyst/**', 'drizzle/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed: forbid the usual sources of non-determinism.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'process'],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: 'Math.random is not deterministic; use workflow uuid4 or pure seeded logic.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Use workflow time only through Temporal APIs.',
        },
      ],
      // Activity *types* are fine (proxyActivities<Activities>); their code and all I/O are not.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                '../db/*',
                '../broker/*',
                '../sim/*',
                '../stack/*',
                '../settings/*',
              ],
              message: 'workflows do no I/O',
            },
            { group: ['../activities/*'], allowTypeImports: true, message: 'import activity types only' },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure rules: it imports nothing of ours outside src/domain and does no I/O.
    files: ['src/domain/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', '../*'],
              message: 'src/domain imports nothing outside src/domain',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/domain/*/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', '../../*'],
              message: 'src/domain imports nothing outside src/domain',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/domain/*/*/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', '../../../*'],
              message: 'src/domain imports nothing outside src/domain',
            },
          ],
        },
      ],
    },
  },
  ...simHouseRules(),
);

/**
 * The simulator is a world of its own: it knows nothing of Catalyst's strategy or plumbing. Inside
 * it, dependencies point one way: http → venue → market → clock.
 */
function simHouseRules() {
  const catalyst = [
    '**/activities/**',
    '**/broker/**',
    '**/db/**',
    '**/settings/**',
    '**/stack/**',
    '**/client/**',
    '**/workflows/**',
    '**/shared',
    '**/worker',
    '**/domain/**',
    '!**/domain/calendar',
    '!**/domain/money',
    '!**/domain/csv',
  ];
  const rule = (files, below, message) => ({
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: catalyst,
              message: 'src/sim may import only domain/calendar, domain/money and domain/csv from Catalyst',
            },
            ...(below.length ? [{ group: below, message }] : []),
          ],
        },
      ],
    },
  });
  return [
    rule(['src/sim/**/*.ts'], [], ''),
    rule(['src/sim/venue/**/*.ts'], ['**/http/**'], 'the venue knows nothing of its HTTP surface'),
    rule(['src/sim/market/**/*.ts'], ['**/http/**', '**/venue/**'], 'the market model knows no venue'),
    rule(
      ['src/sim/clock/**/*.ts'],
      ['**/http/**', '**/venue/**', '**/market/**'],
      'the clock knows only time',
    ),
  ];
}
