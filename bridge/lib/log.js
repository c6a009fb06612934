// One line per event on stderr: `level=info event=hook_sent chat=g_cl ms=12`. ID-card and mobile
// numbers are masked in every line (as the bot masks its own logs), so a line never carries the
// personal details a resident typed into a group.
'use strict';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 };

// 18-digit ID-card numbers (last may be X) and 11-digit mainland mobiles, not inside longer digit
// runs; written together or grouped by spaces/dashes as people type them.
const ID_CARD = /(?<!\d)\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx](?![\dXx])/g;
const MOBILE = /(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)/g;

function mask(s) {
  return String(s).replace(ID_CARD, (m) => `${m.slice(0, 3)}***${m.slice(-1)}`)
    .replace(MOBILE, (m) => `${m.slice(0, 3)}****${m.slice(-2)}`);
}

function quote(v) {
  const s = mask(typeof v === 'string' ? v : JSON.stringify(v));
  return /^[\w.:/@+-]+$/.test(s) ? s : JSON.stringify(s);
}

// createLogger({level, sink}) → {debug, info, warn, error}(event, fields). `sink(line, level)`
// defaults to stderr; tests pass their own to watch events.
function createLogger({ level = 'info', sink } = {}) {
  const min = LEVELS[level] ?? LEVELS.info;
  const write = sink || ((line) => process.stderr.write(`${line}\n`));
  const out = {};
  for (const [name, value] of Object.entries(LEVELS)) {
    out[name] = (event, fields = {}) => {
      if (value < min) return;
      let line = `${new Date().toISOString()} level=${name} event=${event}`;
      for (const [k, v] of Object.entries(fields)) {
        if (v === undefined || v === null || v === '') continue;
        line += ` ${k}=${quote(v)}`;
      }
      write(line, name, event, fields);
    };
  }
  return out;
}

module.exports = { createLogger, mask };
