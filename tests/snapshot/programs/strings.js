'use strict';
// Writes a heap snapshot with duplicated strings whose copies we know (tests/snapshot/
// strings_real_test.cc): 500 copies of one header line, 50 copies of each of four cons strings,
// 30 copies of a two-byte string, and one value that exists once.
//
//   node tests/snapshot/programs/strings.js OUT.heapsnapshot
const v8 = require('node:v8');

const out = process.argv[2];
global.kept = [];
// Built at run time, so each is its own string object (literals would be one internalized copy).
for (let i = 0; i < 500; i++) kept.push(['content-type', 'application/json'].join(': '));
for (let i = 0; i < 200; i++) kept.push(`user-${i % 4}`.concat('-session-token-value'));
for (let i = 0; i < 30; i++) kept.push(JSON.parse('"' + '\u00e9'.repeat(20) + '"'));
global.once = 'only-once-' + process.pid;
v8.writeHeapSnapshot(out);
