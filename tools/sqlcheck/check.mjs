// check.mjs — syntax check of SQL with Trino's and Hive's own grammars
// (dt-sql-parser: ANTLR parsers built from Trino's SqlBase.g4 and Hive's).
//   node --import ./register.mjs check.mjs trino|hive FILE
// Prints each error with its line and column; exit 1 when there is one.
import { readFileSync } from 'node:fs';
import { TrinoSQL, HiveSQL } from 'dt-sql-parser';

const [dialect, file] = process.argv.slice(2);
const parser = dialect === 'hive' ? new HiveSQL() : new TrinoSQL();
const text = readFileSync(file, 'utf8');
// one statement at a time: a statement ends with ';' at the end of a line
const statements = text.split(/;\s*\n/).map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean);
let bad = 0;
for (const s of statements) {
  for (const e of parser.validate(s)) {
    console.log(`${file}: ${dialect}: line ${e.startLine}:${e.startColumn}: ${e.message}: ${s.split('\n')[0]}`);
    bad++;
  }
}
console.log(`${statements.length} statements, ${bad} errors`);
process.exit(bad ? 1 : 0);
