// Quoted replies (引用). Wechaty 1.x has no quote in its message schema; puppets that see one
// (padlocal, wechat4u, xp, …) put it in the text the way the WeChat client shows it:
//   「兰向军：我妈住院了，想办民政二次救助」
//   - - - - - - - - - - - - - - -
//   材料都拍好了
// (some put the new words first). split() returns the new words and the quoted part; the hook
// gets the new words as `text` and the quote as `quote: {from_name, text}`.
'use strict';

const SEPARATOR = /\n?\s*(?:-\s){6,}-?\s*\n?/;
const QUOTED = /^「([\s\S]*)」$/;

function parseQuoted(block) {
  const m = QUOTED.exec(block.trim());
  if (!m) return null;
  const inner = m[1];
  const colon = inner.search(/[:：]/);
  if (colon > 0 && colon <= 32) return { from_name: inner.slice(0, colon).trim(), text: inner.slice(colon + 1).trim() };
  return { text: inner.trim() };
}

// → {text, quote|null}
function split(text) {
  if (typeof text !== 'string' || !text.includes('「')) return { text, quote: null };
  const parts = text.split(SEPARATOR);
  if (parts.length === 2) {
    const [a, b] = parts;
    const qa = parseQuoted(a);
    if (qa && b.trim()) return { text: b.trim(), quote: qa };
    const qb = parseQuoted(b);
    if (qb && a.trim()) return { text: a.trim(), quote: qb };
  }
  return { text, quote: null };
}

module.exports = { split };
