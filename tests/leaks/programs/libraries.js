'use strict';
// Listener shapes of event libraries from npm (versions pinned in tests/leaks/package.json),
// made by the real packages, in one snapshot.
// Usage: node --expose-gc libraries.js OUT_DIR   (writes OUT_DIR/libraries.heapsnapshot)
// Line numbers below are test oracles (tests/leaks/shapes_test.cc): keep them stable.
const path = require('node:path');
const v8 = require('node:v8');
const EventEmitter3 = require('eventemitter3');
const { BehaviorSubject, Subject } = require('rxjs');
const mitt = require('mitt');
const TinyEmitter = require('tiny-emitter');

class Feed extends EventEmitter3 {}
class Room {
  constructor() {
    this.messages = new Subject();
  }
}
class Client {}

async function main() {
  const { createNanoEvents } = await import('nanoevents');
  const feed = new Feed();
  for (let i = 0; i < 7; i++) {
    const client = new Client();
    feed.on('data', () => client, client); // line 26: 7 EE {fn, context}, an Array of EE
  }
  feed.once('end', function onEnd() {}); // line 28: one EE {once: true}, no Array
  feed.addListener('error', function onError() {}); // line 29: alias of on()

  const room = new Room();
  for (let i = 0; i < 5; i++) {
    const client = new Client();
    room.messages.subscribe((m) => client); // line 34: 5 Subscribers
  }
  room.messages.subscribe({ next: function onNext() {} }); // line 36: observer object

  const bus = mitt();
  for (let i = 0; i < 4; i++) {
    const client = new Client();
    bus.on('tick', () => client); // line 41: Map entry 'tick' -> Array
  }
  bus.on('*', function onAny() {}); // line 43: wildcard

  const nano = createNanoEvents();
  for (let i = 0; i < 3; i++) {
    const client = new Client();
    nano.on('update', () => client); // line 48: events.update -> Array
  }

  const tiny = new TinyEmitter();
  for (let i = 0; i < 6; i++) {
    const client = new Client();
    tiny.on('job', () => client, client); // line 54: e.job -> Array of {fn, ctx}
  }
  tiny.once('stop', function onStop() {}); // line 56: once wrapper `listener`, ._ = user fn

  room.state = new BehaviorSubject('idle');
  room.state.subscribe(function onState() {}); // line 59: a BehaviorSubject

  globalThis.keep = { feed, room, bus, nano, tiny };
  global.gc();
  v8.writeHeapSnapshot(path.join(process.argv[2], 'libraries.heapsnapshot'));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
