// loader.mjs — resolves the folder and extensionless imports of dt-sql-parser
// (written for a bundler) as Node resolves them for CommonJS.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function resolve(spec, ctx, next) {
  if ((spec.startsWith('.') || spec.startsWith('/')) && ctx.parentURL) {
    const u = new URL(spec, ctx.parentURL);
    const p = fileURLToPath(u);
    if (existsSync(p) && statSync(p).isDirectory() && existsSync(p + '/index.js'))
      return next(u.href + '/index.js', ctx);
    if (!existsSync(p) && existsSync(p + '.js')) return next(u.href + '.js', ctx);
  }
  return next(spec, ctx);
}
