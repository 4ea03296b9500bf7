// The release command (berth.json): records the migration on the volume, when there is one.
const fs = require('node:fs');
const version = fs.readFileSync(`${__dirname}/version.txt`, 'utf8').trim();
const dir = process.env.DATA_DIR || '/data';
console.log(`migrating to ${version}`);
if (fs.existsSync(dir)) fs.appendFileSync(`${dir}/migrations.log`, `migrated ${version}\n`);
console.log(`migrated to ${version}`);
