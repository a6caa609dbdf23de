// register.mjs — lets Node 20 load dt-sql-parser's ES modules, which
// import folders and extensionless paths (see loader.mjs).
import { register } from 'node:module';
register('./loader.mjs', import.meta.url);
