// A heap full of hostile strings for the report tests (browser_test.cc): 40 listeners for an
// event whose name is markup, registered from a script whose path holds markup and quotes (the
// test copies this file to such a path). Usage: node hostile_listeners.js OUT.heapsnapshot
'use strict';
const {EventEmitter} = require('events');
const evil = "<script>document.title='PWNED'</script>\"><img src=x onerror=\"document.title='PWNED'\"></svg>";
const Holder = {[evil + 'Service']: class extends EventEmitter {}}[evil + 'Service'];
const h = new Holder();
h.setMaxListeners(0);
for (let i = 0; i < 40; i++) {
  const state = {i, label: evil + i};
  h.on(evil, function onEvil() { return state; });
}
globalThis.keep = h;
require('v8').writeHeapSnapshot(process.argv[2]);
