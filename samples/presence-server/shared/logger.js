'use strict';
// Minimal line logger in the incident's format:
//   2024-02-15T01:00:12.123Z [PRESENCE] Tracking user on board board_xyz
// PRESENCE_LOG_LEVEL: silent | info (default) | debug.

const LEVELS = { silent: 0, info: 1, debug: 2 };

function createLogger(level = process.env.PRESENCE_LOG_LEVEL || 'info', stream = process.stdout) {
  const threshold = LEVELS[level] === undefined ? LEVELS.info : LEVELS[level];
  const write = (min, tag, msg) => {
    if (threshold >= min) stream.write(`${new Date().toISOString()} [${tag}] ${msg}\n`);
  };
  return {
    level,
    info: (tag, msg) => write(LEVELS.info, tag, msg),
    debug: (tag, msg) => write(LEVELS.debug, tag, msg),
  };
}

module.exports = { createLogger };
