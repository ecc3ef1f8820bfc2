import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.megaticket/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read JSON answers whose shape the assertions themselves check.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The domain core stays free of AWS, Express and Eta: that is what keeps it testable and portable.
    files: ['app/catalog/**', 'app/booking/**', 'app/accounts/**', 'app/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', 'express', 'eta', '@pulumi/*', '../adapters/*', '../api/*', '../web/*'] },
      ],
    },
  },
  {
    // The browser script served to pages (plain ES5-style JS, no build step).
    files: ['public/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        ['document', 'window', 'HTMLInputElement', 'CustomEvent', 'performance', 'setTimeout'].map((g) => [
          g,
          'readonly',
        ]),
      ),
    },
  },
  {
    // The web tier talks to data only through the API: no adapters, no AWS SDK, no Pulumi; API types only as types.
    files: ['app/web/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*', '@pulumi/*', '../adapters/*', '../../adapters/*'],
              message: 'The web tier reaches data only through the API client.',
            },
            {
              group: ['../api/*', '../../api/*'],
              allowTypeImports: true,
              message: 'Only the API contracts, as types.',
            },
          ],
        },
      ],
    },
  },
  {
    // Infrastructure takes from the app only what both sides must define once: the table definitions, the DR state
    // item the failover workflow writes, and what the servers and the load balancers agree on (timeouts, health paths).
    files: ['infra/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(\\.\\./)+app/(?!(adapters/dynamodb/tables|adapters/dr/dr-state-item|shared/load-balancing)\\.js$)',
              message:
                'infra/ may import only app/adapters/dynamodb/tables.js, app/adapters/dr/dr-state-item.js and app/shared/load-balancing.js.',
            },
          ],
        },
      ],
    },
  },
  {
    // The assistant's core (issue 8) stays free of HTTP, templates and the AWS SDK (the Bedrock adapter lives in adapters/).
    files: ['app/assistant/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', 'express', 'eta', '@pulumi/*', '../web/*', '../api/*', '../adapters/*'] },
      ],
    },
  },
);
