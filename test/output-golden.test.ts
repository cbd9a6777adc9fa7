// Golden outputs: each command line in test/golden/cases.mjs must print exactly what its file in
// test/golden/ holds. After an intended change: `node test/golden/update.mjs`, then review `git diff test/golden`.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
// @ts-expect-error plain JS module shared with the update script
import { cases, GOLDEN_DIR, runCase } from './golden/cases.mjs';

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
}

describe('golden outputs (regenerate with: node test/golden/update.mjs)', () => {
  for (const c of cases() as Case[]) {
    it(`${c.name}: minishark ${c.args.join(' ')}`, async () => {
      const file = path.join(GOLDEN_DIR, c.name);
      expect(existsSync(file), `no golden file ${c.name}: run node test/golden/update.mjs`).toBe(true);
      const got: string = await runCase(main, c);
      const want = readFileSync(file, 'utf8');
      if (got !== want) {
        // show the first differing line, not two whole outputs
        const a = want.split('\n');
        const b = got.split('\n');
        let i = 0;
        while (i < a.length && a[i] === b[i]) i++;
        expect.soft(b[i], `${c.name} line ${i + 1} differs (node test/golden/update.mjs regenerates after an intended change)`).toBe(a[i]);
      }
      expect(got === want).toBe(true);
    });
  }
});
