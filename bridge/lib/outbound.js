// One reply of the bot, said through Wechaty: {"chat":{"type":"group"|"private","id"},"text",
// "mention":[account ids],"news"?,"image_media_id"?}. In a room the mentioned accounts are
// @-mentioned (Wechaty writes "@name" before the text and passes their ids to the puppet); a
// private reply goes to the contact. A news card becomes its text, title and link; an
// official-account media id means nothing on a personal account and is left out.
// Errors carry `permanent` when retrying cannot help.
'use strict';

class SayError extends Error {
  constructor(message, permanent) {
    super(message);
    this.permanent = permanent;
  }
}

function render(reply) {
  const parts = [];
  if (typeof reply.text === 'string' && reply.text) parts.push(reply.text);
  if (reply.news && typeof reply.news === 'object') {
    const n = reply.news;
    parts.push([n.title, n.description, n.url].filter((x) => typeof x === 'string' && x).join('\n'));
  }
  return parts.filter(Boolean).join('\n');
}

// Validates a reply from the bot; returns the chat key ("g:<group>" / "p:<account>") or throws.
function chatKey(reply) {
  if (!reply || typeof reply !== 'object') throw new SayError('reply is not an object', true);
  const chat = reply.chat;
  if (!chat || typeof chat.id !== 'string' || !chat.id) throw new SayError('reply.chat.id missing', true);
  if (chat.type === 'group') return `g:${chat.id}`;
  if (chat.type === 'private' || chat.type === undefined) return `p:${chat.id}`;
  throw new SayError(`reply.chat.type "${chat.type}"`, true);
}

async function say(directory, reply) {
  const text = render(reply);
  if (!text) return { skipped: 'nothing to say' };
  const chat = reply.chat;
  if (chat.type === 'group') {
    if (!directory.isGroup(chat.id)) throw new SayError(`group ${chat.id} is not in the config's rooms`, true);
    const room = await directory.roomFor(chat.id);
    if (!room) throw new SayError(`room of ${chat.id} not found (not loaded yet, or the account left it)`, false);
    const mentions = [];
    for (const id of Array.isArray(reply.mention) ? reply.mention : []) {
      if (typeof id !== 'string') continue;
      const c = await directory.contactFor(id);
      if (c) mentions.push(c);
    }
    await room.say(text, ...mentions);
    return { mentions: mentions.length };
  }
  if (!directory.isContact(chat.id)) throw new SayError(`account ${chat.id} is not in the config's contacts`, true);
  const contact = await directory.contactFor(chat.id);
  if (!contact) throw new SayError(`contact of ${chat.id} not found`, false);
  await contact.say(text);
  return {};
}

module.exports = { say, render, chatKey, SayError };
