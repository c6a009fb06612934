// A Wechaty message → the JSON hook's request body (DESIGN §3, bot/channels/json_hook.cpp):
//   {"id","time","chat":{"type":"group"|"private","id"},"from":{"id","name"},"mentions_bot",
//    "type":"text"|"image"|"voice"|"file"|"location","text","media":{"data"|"url","mime","name"},
//    "location":{"lat","lng","label"},"quote":{"from_name","text"}}
// Text in a room loses the @mention of the bot (the bot reads `mentions_bot`); a quoted reply
// sends the new words as `text` and the quote apart; a photo or file is inline base64 up to
// `inline_max_bytes`, else a tokened URL on the bridge (media_store.js); one larger than
// `media.max_bytes` (the bot keeps materials up to 10 MB) is not forwarded — its sender is told
// to send a smaller one (bridge.js); a voice message carries
// the words the puppet recognised in it, when it gives any, as `text`.
// WeChat cannot @-mention anyone with a photo: a photo or file in a room counts as addressed to
// the bot (`mentions_bot`) when its sender is talking with the bot there — they @-mentioned it,
// or the bot @-mentioned them, within `group_media_window_s` — as people do: "@代办助手 …", then
// the picture.
// Returns {skip: reason} for what the bot cannot use (unknown room, the bot's own messages, …).
'use strict';

const { types } = require('wechaty');
const quote = require('./quote');

const MIME_BY_EXT = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.pdf': 'application/pdf',
  '.silk': 'audio/silk', '.sil': 'audio/silk', '.amr': 'audio/amr', '.mp3': 'audio/mpeg',
};

function mimeOf(fileBox, fallback) {
  const m = fileBox.mediaType;
  if (m && m !== 'application/octet-stream') return m;
  const ext = (/\.[a-z0-9]+$/i.exec(fileBox.name || '') || [''])[0].toLowerCase();
  return MIME_BY_EXT[ext] || fallback;
}

// The words a puppet recognised in a voice message, if it put them in the text (some do; an XML
// blob or nothing means none).
function voiceWords(text) {
  if (typeof text !== 'string') return '';
  const t = text.trim();
  if (!t || t.startsWith('<')) return '';
  return t;
}

class Inbound {
  constructor({ directory, media, config }) {
    this.directory = directory;
    this.media = media;
    this.inlineMax = config.media.inline_max_bytes;
    this.maxBytes = config.media.max_bytes;
    this.privateMessages = config.private_messages;
    this.maxAgeS = config.max_message_age_s;
    this.publicUrl = () => config.public_url;
    this.windowMs = (config.group_media_window_s || 0) * 1000;
    this.engaged = new Map(); // "<group>\u0000<account id>" → last time they and the bot spoke there
  }

  // The sender and the bot spoke to each other in `group` just now.
  noteEngaged(group, accountId) {
    if (!this.windowMs) return;
    const now = Date.now();
    this.engaged.set(`${group}\u0000${accountId}`, now);
    if (this.engaged.size > 20000) {
      for (const [k, at] of this.engaged) if (at < now - this.windowMs) this.engaged.delete(k);
    }
  }

  isEngaged(group, accountId) {
    const at = this.engaged.get(`${group}\u0000${accountId}`);
    return at !== undefined && Date.now() - at <= this.windowMs;
  }

  async media_of(msg, fallbackMime) {
    const fileBox = await msg.toFileBox();
    const bytes = await fileBox.toBuffer();
    const mime = mimeOf(fileBox, fallbackMime);
    const name = fileBox.name || undefined;
    if (bytes.length > this.maxBytes) return { tooLarge: bytes.length };
    if (bytes.length <= this.inlineMax) return { media: { data: bytes.toString('base64'), mime, name } };
    const put = this.media.put(bytes, { mime, name });
    return { media: { url: `${this.publicUrl()}${put.path}`, mime, name }, mediaId: put.id };
  }

  // → {body, group, mediaId?} | {skip}
  async toHook(msg, nowS) {
    if (msg.self()) return { skip: 'self' };
    const room = msg.room();
    const talker = msg.talker();
    let chat;
    let group = null;
    if (room) {
      group = await this.directory.groupOf(room);
      if (!group) return { skip: 'unknown_room' };
      chat = { type: 'group', id: group };
    } else {
      if (!this.privateMessages) return { skip: 'private_off' };
      if (talker.type() !== types.Contact.Individual) return { skip: 'not_a_person' };
    }
    const fromId = await this.directory.hookIdOf(talker);
    if (!chat) chat = { type: 'private', id: fromId };
    const age = msg.age();
    if (this.maxAgeS > 0 && age > this.maxAgeS) return { skip: 'too_old' };

    const body = {
      id: String(msg.id).slice(0, 128),
      time: nowS,
      chat,
      from: { id: fromId, name: (await this.directory.displayName(talker, room)).slice(0, 80) },
    };
    if (room) {
      body.mentions_bot = await msg.mentionSelf();
      if (body.mentions_bot) this.noteEngaged(group, fromId);
    }
    let mediaId;
    switch (msg.type()) {
      case types.Message.Text: {
        const raw = room ? await msg.mentionText() : msg.text();
        const { text, quote: q } = quote.split(raw);
        if (!text || !text.trim()) return { skip: 'empty' };
        body.type = 'text';
        body.text = text;
        if (q) body.quote = q;
        break;
      }
      case types.Message.Image:
      case types.Message.Attachment: {
        const isImage = msg.type() === types.Message.Image;
        const got = await this.media_of(msg, isImage ? 'image/jpeg' : 'application/octet-stream');
        if (got.tooLarge) {
          // Addressed to the bot (a private chat, or a room where they are talking with it):
          // the sender is told, privately.
          const addressed = !room || this.isEngaged(group, fromId);
          return { skip: 'too_large', bytes: got.tooLarge, tell: addressed ? fromId : null };
        }
        body.type = isImage ? 'image' : 'file';
        body.media = got.media;
        if (room && this.isEngaged(group, fromId)) body.mentions_bot = true;
        mediaId = got.mediaId;
        break;
      }
      case types.Message.Audio: {
        const words = voiceWords(msg.text());
        let got = null;
        try {
          got = await this.media_of(msg, 'audio/silk');
        } catch {}
        if (got && got.media) {
          body.type = 'voice';
          body.media = got.media;
          mediaId = got.mediaId;
          if (words) body.text = words;
        } else if (words) {
          // No recording to pass on, but the words: they are what the bot reads anyway.
          body.type = 'text';
          body.text = words;
        } else {
          return { skip: 'voice_unreadable' };
        }
        break;
      }
      case types.Message.Location: {
        const loc = await msg.toLocation();
        const p = loc.payload || {};
        body.type = 'location';
        body.location = { lat: Number(p.latitude), lng: Number(p.longitude), label: [p.name, p.address].filter(Boolean).join(' ') };
        break;
      }
      default:
        return { skip: `type_${types.Message[msg.type()] || msg.type()}` };
    }
    return { body, group, mediaId };
  }
}

module.exports = { Inbound };
