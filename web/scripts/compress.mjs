// Writes "<file>.gz" beside each text file of the built UI (web/dist), so that `salesradar serve`
// can send it gzipped to browsers that accept gzip (src/api/static_routes.cc). Small files and
// files that gzip does not shrink are left alone.
import { readdir, readFile, writeFile, rm } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const distDir = new URL('../dist/', import.meta.url).pathname;
const textExtensions = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.webmanifest']);
const minimumBytes = 1024;

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* walk(path);
    } else if (entry.isFile()) {
      yield path;
    }
  }
}

let written = 0;
let before = 0;
let after = 0;
for await (const path of walk(distDir)) {
  if (path.endsWith('.gz')) {
    await rm(path);
    continue;
  }
  if (!textExtensions.has(extname(path))) {
    continue;
  }
  const content = await readFile(path);
  if (content.length < minimumBytes) {
    continue;
  }
  const gzipped = gzipSync(content, { level: constants.Z_BEST_COMPRESSION });
  if (gzipped.length >= content.length) {
    continue;
  }
  await writeFile(`${path}.gz`, gzipped);
  written += 1;
  before += content.length;
  after += gzipped.length;
}
console.log(`compress: ${written} files gzipped, ${(before / 1024).toFixed(0)} KiB -> ${(after / 1024).toFixed(0)} KiB`);
