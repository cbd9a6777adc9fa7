// ESLint 9 flat config (`npm run lint`, run by .ci/run). Issue 17's rules: no import cycles, no
// unused locals, at most 80 lines per function in the dissection code, and no mutable
// module-level state in the dissectors (per-capture state lives in CaptureState, per-packet data
// passes through the Ctx, the hand-off or parameters).
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/** Module-level mutable state: a `let`/`var`, or a Map/Set/WeakMap/array made once per module. */
const MODULE_STATE = [
  {
    selector: ':matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration[kind!="const"]',
    message: 'no module-level let/var in dissection code: keep state in CaptureState, the Ctx or parameters',
  },
  {
    selector:
      ':matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(WeakMap|Map|Set|WeakSet)$/]',
    message: 'no module-level Map/Set/WeakMap in dissection code: keep state in CaptureState (a frozen lookup table is fine: build it with a function and Object.freeze, or disable this line with a reason)',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', 'scripts/**', 'test/**', 'fixtures/**', 'schema/**', '*.config.*'] },
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.base],
    plugins: { 'import-x': importX },
    languageOptions: {
      parserOptions: { projectService: false },
    },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-unused-labels': 'error',
      'no-unreachable': 'error',
      'no-var': 'error',
      'no-control-regex': 'error',
      'prefer-const': 'error',
      'no-fallthrough': 'off', // tsc's noFallthroughCasesInSwitch covers it
    },
  },
  {
    files: ['src/dissect/**/*.ts', 'src/dissectors/**/*.ts', 'src/analysis/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    files: ['src/dissectors/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...MODULE_STATE],
    },
  },
);
