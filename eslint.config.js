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
    files: ['app/catalog/**', 'app/booking/**', 'app/accounts/**', 'app/shared/**', 'app/assistant/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', 'express', 'eta', '@pulumi/*', '../adapters/*', '../api/*', '../web/*'] },
      ],
    },
  },
);
