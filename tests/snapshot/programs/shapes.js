#!/usr/bin/env node
// Builds known shapes and writes a heap snapshot: node shapes.js OUT.heapsnapshot
//   1234 Widget instances, each with a listener closure and an array of 3 numbers;
//   77 LeakyRoom instances in a Map; a string with non-ASCII text; an astral character.
'use strict';
const v8 = require('v8');

class Widget {
  constructor(i) {
    this.index = i;
    this.tags = [i, i + 1, i + 2];
    this.onEvent = () => this.index;  // one closure per widget
  }
}
class LeakyRoom {
  constructor(name) {
    this.name = name;
    this.members = new Set();
  }
}

globalThis.widgets = [];
for (let i = 0; i < 1234; ++i) globalThis.widgets.push(new Widget(i));
globalThis.rooms = new Map();
for (let i = 0; i < 77; ++i) globalThis.rooms.set('room-' + i, new LeakyRoom('room-' + i));
globalThis.text = ['héllo wörld ' + Date.now(), 'astral \u{1F600} ' + Date.now()];

v8.writeHeapSnapshot(process.argv[2]);
