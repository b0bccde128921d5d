'use strict';
// A target for capture tests: keeps COUNT CaptureMarker objects (each with a PAD-character
// string) alive, prints "READY pid=<pid>" and waits (for at most 5 minutes).
//   node holder.js COUNT [PAD]
class CaptureMarker {
  constructor(i, pad) {
    this.i = i;
    this.text = `${i}:`.padEnd(pad, 'x');
  }
}
const count = Number(process.argv[2] || 1000);
const pad = Number(process.argv[3] || 8);
globalThis.kept = Array.from({ length: count }, (_, i) => new CaptureMarker(i, pad));
console.log(`READY pid=${process.pid}`);
setTimeout(() => process.exit(0), 300000);
