#!/usr/bin/env node
// Validates JSON documents against a JSON Schema (draft 2020-12) with Ajv: heapscope reports
// against docs/report.schema.json, SARIF logs against the SARIF 2.1.0 schema that Microsoft's
// SARIF Multitool package ships (node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json).
// Usage: node tests/report/validate_json.js [--loose] SCHEMA FILE...  (--loose: Ajv's strict
// mode off, for third-party schemas). Exit 0 when all are valid, 1 with the errors otherwise.
// Needs `npm ci` in tests/report-tools (scripts/setup.sh does it).
'use strict';
const fs = require('fs');
const path = require('path');
const tools = path.join(__dirname, '..', 'report-tools', 'node_modules');
const Ajv2020 = require(path.join(tools, 'ajv', 'dist', '2020')).default;
const addFormats = require(path.join(tools, 'ajv-formats')).default;

let args = process.argv.slice(2);
const loose = args[0] === '--loose';
if (loose) args = args.slice(1);
const [schemaPath, ...files] = args;
if (!schemaPath || files.length === 0) {
  console.error('usage: validate_json.js SCHEMA FILE...');
  process.exit(2);
}
const ajv = new Ajv2020({allErrors: true, strict: !loose});
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
let bad = 0;
for (const f of files) {
  const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
  if (validate(doc)) {
    console.log(`${f}: valid`);
  } else {
    bad++;
    console.log(`${f}: INVALID`);
    for (const e of validate.errors) console.log(`  ${e.instancePath || '/'} ${e.message}`);
  }
}
process.exit(bad ? 1 : 0);
