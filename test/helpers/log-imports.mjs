// `node --import ./test/helpers/log-imports.mjs …`: writes "[import] URL" to stderr for every file
// module the program loads: ES modules from a resolve hook (it runs on the loader thread, hence
// writeSync), CommonJS modules (also those loaded with createRequire, which the hook does not see)
// from require's cache at exit.
import { writeSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register(
  'data:text/javascript,' +
    encodeURIComponent(
      `import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.startsWith('file:')) writeSync(2, '[import] ' + r.url + '\\n');
  return r;
}`,
    ),
);

const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  for (const f of Object.keys(cache)) writeSync(2, '[import] ' + pathToFileURL(f).href + '\n');
});
