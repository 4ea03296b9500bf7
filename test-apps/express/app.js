const { readFileSync } = require('node:fs');
const path = require('node:path');
const express = require('express');

const message = 'v1';
const { version } = JSON.parse(readFileSync(path.join(__dirname, 'node_modules/express/package.json'), 'utf8'));
const app = express();
app.get('/', (req, res) => res.json({ app: 'express', express: version, message }));
// Express 5's route syntax: a named wildcard (Express 4 would not match it this way).
app.get('/files/*rest', (req, res) => res.json({ rest: req.params.rest }));
const port = Number(process.env.PORT || 3000);
app.listen(port, () => console.log(`express ${version} listening on ${port}`));
