'use strict';
// Run under `node --heap-prof --heap-prof-dir DIR --heap-prof-interval 1024`: keeps 2,000
// records made by makeRecord() alive until exit, when Node writes the sampling heap profile.
const kept = [];
function makeRecord(i) {
  return { id: i, name: 'record ' + i, tags: ['a' + i, 'b' + i], payload: new Array(16).fill(i) };
}
for (let i = 0; i < 2000; i++) kept.push(makeRecord(i));
globalThis.kept = kept;
