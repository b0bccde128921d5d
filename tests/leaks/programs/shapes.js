'use strict';
// Every listener shape heapscope recognises, made by the real implementations, in one snapshot.
// Usage: node --expose-gc shapes.js OUT_DIR   (writes OUT_DIR/shapes.heapsnapshot)
// Line numbers below are test oracles (tests/leaks/listeners_test.cc): keep them stable.
const path = require('node:path');
const v8 = require('node:v8');
const { EventEmitter } = require('node:events');
const { Emitter } = require('@socket.io/component-emitter');

class Ticker extends EventEmitter {}
const ticker = new Ticker();
for (let i = 0; i < 12; i++) {
  const owner = { id: i };
  ticker.on('tick', () => owner.id); // line 14: 12 listeners, Node sets `warned`
}
ticker.once('done', function onDone() { return 1; }); // line 16: once() wrapper
ticker.on('single', function onSingle() {}); // line 17: bare function

const target = new EventTarget();
target.addEventListener('ping', function onPing() {}); // line 20
target.addEventListener('ping', function onPing2() {}); // line 21
const controller = new AbortController();
controller.signal.addEventListener('abort', function onAbort() {}); // line 23

const bus = new Emitter();
bus.on('connect', function onConnect() {}); // line 26
bus.on('connect', function onConnect2() {}); // line 27
bus.once('close', function onClose() {}); // line 28

globalThis.keep = { ticker, target, controller, bus };
global.gc();
v8.writeHeapSnapshot(path.join(process.argv[2], 'shapes.heapsnapshot'));
