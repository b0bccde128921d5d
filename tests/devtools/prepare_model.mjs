// Makes Chrome DevTools' heap snapshot model runnable under Node, at test time, from the
// installed npm package (never committed here).
//
//   node tests/devtools/prepare_model.mjs OUT_DIR
//
// chrome-devtools-frontend ships TypeScript only. This strips the types (TypeScript's
// transpileModule, with the compiler version DevTools pins: @typescript/typescript6) over the
// import closure of entrypoints/heap_snapshot_worker/heap_snapshot_worker.ts, copies the .js
// files of that closure, and writes the one build output the package lacks,
// core/i18n/locales.js. A stamp file makes a second run a no-op.
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ts = require('@typescript/typescript6');
const pkg = require('chrome-devtools-frontend/package.json');
const frontEnd = path.join(path.dirname(require.resolve('chrome-devtools-frontend/package.json')), 'front_end');

const out = path.resolve(process.argv[2] || path.join(here, '.model'));
const stampPath = path.join(out, 'STAMP');
const stamp = `chrome-devtools-frontend@${pkg.version} typescript@${ts.version}\n`;
if (fs.existsSync(stampPath) && fs.readFileSync(stampPath, 'utf8') === stamp) {
  process.exit(0);
}
fs.rmSync(out, {recursive: true, force: true});

const entry = path.join(frontEnd, 'entrypoints/heap_snapshot_worker/heap_snapshot_worker.ts');
const importRe = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
const seen = new Set();
const todo = [entry];
let tsCount = 0, jsCount = 0;
while (todo.length) {
  const file = todo.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  const source = fs.readFileSync(file, 'utf8');
  const rel = path.relative(frontEnd, file);
  let js = source;
  if (file.endsWith('.ts')) {
    js = ts.transpileModule(source, {
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        useDefineForClassFields: true,
        verbatimModuleSyntax: false,
      },
      fileName: file,
    }).outputText;
    tsCount++;
  } else {
    jsCount++;
  }
  const target = path.join(out, rel.replace(/\.ts$/, '.js'));
  fs.mkdirSync(path.dirname(target), {recursive: true});
  fs.writeFileSync(target, js);
  // Follow the imports that survive type stripping.
  for (const m of js.matchAll(importRe)) {
    const spec = path.resolve(path.dirname(file), m[1]);
    const base = spec.replace(/\.js$/, '');
    const candidates = [base + '.ts', base + '.js', spec];
    const found = candidates.find(c => fs.existsSync(c) && fs.statSync(c).isFile());
    if (found) {
      todo.push(found);
    } else if (!spec.endsWith('locales.js')) {
      throw new Error(`cannot resolve ${m[1]} from ${rel}`);
    }
  }
}

// The build output DevTools generates with generate-locales-js.js: only en-US is needed.
fs.mkdirSync(path.join(out, 'core/i18n'), {recursive: true});
fs.writeFileSync(path.join(out, 'core/i18n/locales.js'), `export const LOCALES = ['en-US'];
export const BUNDLED_LOCALES = ['en-US'];
export const DEFAULT_LOCALE = 'en-US';
export const REMOTE_FETCH_PATTERN = '';
export const LOCAL_FETCH_PATTERN = './locales/@LOCALE@.json';
`);
fs.writeFileSync(path.join(out, 'package.json'), '{"type": "module"}\n');
fs.writeFileSync(stampPath, stamp);
console.error(`prepare_model: ${tsCount} .ts stripped, ${jsCount} .js copied into ${out} (${stamp.trim()})`);
