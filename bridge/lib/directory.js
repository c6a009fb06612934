// Who is who, both ways: a Wechaty room ↔ the group id of org.json (config `rooms`: by the
// puppet's room id or by the room's topic), a Wechaty contact ↔ the account id the bot knows
// (config `contacts`: by id, by your remark for them (alias) or by their WeChat name; anyone else
// is `<unmapped_prefix><contact id>`, e.g. "wx_wxid_abc", a resident the bot meets for the first
// time). A message from a room that is not configured is ignored, and logged once per room.
'use strict';

class Directory {
  constructor({ rooms = [], contacts = [], unmappedPrefix = 'wx_', log }) {
    this.rooms = rooms;
    this.contacts = contacts;
    this.prefix = unmappedPrefix;
    this.log = log;
    this.wechaty = null;
    this.groupByRoomId = new Map(); // room id → group id | null (unknown)
    this.roomByGroup = new Map(); // group id → Room
    this.hookIdByContactId = new Map();
    this.contactByHookId = new Map();
    this.unknownLogged = new Set();
  }

  // A new Wechaty (start or restart): what was found through the old one is stale.
  attach(wechaty) {
    this.wechaty = wechaty;
    this.groupByRoomId.clear();
    this.roomByGroup.clear();
    this.hookIdByContactId.clear();
    this.contactByHookId.clear();
  }

  // A room's topic changed: find it again.
  forgetRoom(roomId) {
    this.groupByRoomId.delete(roomId);
    for (const [g, r] of this.roomByGroup) if (r.id === roomId) this.roomByGroup.delete(g);
  }

  isGroup(id) {
    return this.rooms.some((r) => r.group === id);
  }

  // Whether a private chat id can be spoken to at all (a configured contact or an unmapped one).
  isContact(id) {
    return this.contacts.some((c) => c.hook_id === id) || (typeof id === 'string' && id.startsWith(this.prefix) && id.length > this.prefix.length);
  }

  // The org.json group of a Wechaty room, or null (unknown: logged once).
  async groupOf(room) {
    if (this.groupByRoomId.has(room.id)) return this.groupByRoomId.get(room.id);
    let entry = this.rooms.find((r) => r.id && r.id === room.id);
    let topic = '';
    if (!entry) {
      try {
        topic = await room.topic();
      } catch {}
      entry = this.rooms.find((r) => !r.id && r.topic && r.topic === topic);
    }
    const group = entry ? entry.group : null;
    this.groupByRoomId.set(room.id, group);
    if (!group && !this.unknownLogged.has(room.id)) {
      this.unknownLogged.add(room.id);
      this.log?.warn('unknown_room', { room: room.id, topic, detail: 'not in the config\'s rooms: its messages are ignored' });
    }
    return group;
  }

  // The account id the bot knows this contact by.
  async hookIdOf(contact) {
    if (this.hookIdByContactId.has(contact.id)) return this.hookIdByContactId.get(contact.id);
    let entry = this.contacts.find((c) => c.id && c.id === contact.id);
    if (!entry && this.contacts.some((c) => !c.id && c.alias)) {
      let alias = '';
      try {
        alias = (await contact.alias()) || '';
      } catch {}
      if (alias) entry = this.contacts.find((c) => !c.id && c.alias === alias);
    }
    if (!entry) entry = this.contacts.find((c) => !c.id && !c.alias && c.name && c.name === contact.name());
    const id = entry ? entry.hook_id : `${this.prefix}${contact.id}`;
    this.hookIdByContactId.set(contact.id, id);
    return id;
  }

  // How the bot should call the sender: the config's name, your remark, their name in the room,
  // their WeChat name.
  async displayName(contact, room) {
    const entry = this.contacts.find((c) => c.hook_id === this.hookIdByContactId.get(contact.id));
    if (entry && entry.display_name) return entry.display_name;
    try {
      const alias = await contact.alias();
      if (alias) return alias;
    } catch {}
    if (room) {
      try {
        const inRoom = await room.alias(contact);
        if (inRoom) return inRoom;
      } catch {}
    }
    return contact.name() || '';
  }

  // The Wechaty room of an org.json group, or null when it cannot be found (yet).
  async roomFor(group) {
    const cached = this.roomByGroup.get(group);
    if (cached) return cached;
    const entry = this.rooms.find((r) => r.group === group);
    if (!entry || !this.wechaty) return null;
    const room = entry.id ? await this.wechaty.Room.find({ id: entry.id }) : await this.wechaty.Room.find({ topic: entry.topic });
    if (room) {
      this.roomByGroup.set(group, room);
      this.groupByRoomId.set(room.id, group);
    }
    return room || null;
  }

  // The Wechaty contact of an account id, or null.
  async contactFor(hookId) {
    const cached = this.contactByHookId.get(hookId);
    if (cached) return cached;
    if (!this.wechaty) return null;
    const entry = this.contacts.find((c) => c.hook_id === hookId);
    let contact = null;
    if (entry) {
      if (entry.id) contact = await this.wechaty.Contact.find({ id: entry.id });
      else if (entry.alias) contact = await this.wechaty.Contact.find({ alias: entry.alias });
      else if (entry.name) contact = await this.wechaty.Contact.find({ name: entry.name });
    } else if (hookId.startsWith(this.prefix) && hookId.length > this.prefix.length) {
      contact = await this.wechaty.Contact.find({ id: hookId.slice(this.prefix.length) });
    }
    if (contact) {
      this.contactByHookId.set(hookId, contact);
      this.hookIdByContactId.set(contact.id, hookId);
    }
    return contact || null;
  }
}

module.exports = { Directory };
