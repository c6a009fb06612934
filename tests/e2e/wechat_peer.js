// e2e test fixture: plays WeChat (official account) and WeCom towards the server under test.
// Requests are built and replies checked with the independent npm peers wechat-crypto and
// @wecom/crypto, never with our own C++ code, so the two implementations check each other.
'use strict';

const crypto = require('node:crypto');
const WXBizMsgCrypt = require('wechat-crypto');
const wecom = require('@wecom/crypto');
const { e2e } = require('./e2e_config');

const now = () => Math.floor(Date.now() / 1000);
const nonce = () => String(crypto.randomInt(1e8, 1e10));
// A 64-bit MsgId (as WeChat sends it: beyond 2^53, so kept as a string).
const msgId = () => (BigInt('6000000000000000000') + BigInt(crypto.randomInt(1, 2 ** 47))).toString();
const openid = () => `oE2e${crypto.randomBytes(12).toString('base64url')}`;

function cdata(s) {
  return `<![CDATA[${String(s).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

// A plaintext OA message. `fields` is {Name: value}; numbers are written bare, strings as CDATA.
function oaXml({ from, to = e2e.wechat.gh_id, time = now(), type, id, fields = {} }) {
  let x = `<xml><ToUserName>${cdata(to)}</ToUserName><FromUserName>${cdata(from)}</FromUserName>`;
  x += `<CreateTime>${time}</CreateTime><MsgType>${cdata(type)}</MsgType>`;
  for (const [k, v] of Object.entries(fields)) {
    x += typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}>${cdata(v)}</${k}>`;
  }
  if (id) x += `<MsgId>${id}</MsgId>`;
  return `${x}</xml>`;
}

// Reads a field of a reply XML, joining split CDATA sections. Enough for the shapes we expect.
function field(xml, name) {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  if (!m) return undefined;
  const inner = m[1];
  if (!inner.includes('<![CDATA[')) return inner;
  let out = '';
  const re = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
  let c;
  while ((c = re.exec(inner))) out += c[1];
  return out;
}

// Fails the test when `xml` is not the single-root shape WeChat accepts.
function isReplyXml(xml) {
  return /^<xml>[\s\S]*<\/xml>\s*$/.test(xml) && !/<!DOCTYPE/i.test(xml);
}

async function send(method, url, body, headers = {}) {
  const res = await fetch(url, {
    method,
    body,
    headers: body === undefined ? headers : { 'Content-Type': 'text/xml', ...headers },
  });
  return { status: res.status, type: res.headers.get('content-type') || '', text: await res.text() };
}

// ---- official account ----

function oaUrl(params) {
  return `${e2e.url}/wechat/${e2e.tenant}?${new URLSearchParams(params)}`;
}

function plainParams(user, ts = String(now()), n = nonce()) {
  const signature = wecom.getSignature(e2e.wechat.token, ts, n, '');
  return { signature, timestamp: ts, nonce: n, openid: user };
}

// POSTs a plain-mode message.
function postPlain(xml, user, { headers, params } = {}) {
  return send('POST', oaUrl({ ...plainParams(user), ...params }), xml, headers);
}

// POSTs a safe-mode message: the envelope carries only ToUserName and Encrypt. `appid` lets a test
// encrypt for the wrong account, `aesKey` with the wrong key (still signed with the right token);
// `compat` adds the plaintext fields too (compatibility mode).
function postSafe(xml, user, { appid = e2e.wechat.appid, aesKey = e2e.wechat.aes_key, compat = false, tamper } = {}) {
  const peer = new WXBizMsgCrypt(e2e.wechat.token, aesKey, appid);
  let enc = peer.encrypt(xml);
  if (tamper) enc = tamper(enc);
  const ts = String(now());
  const n = nonce();
  const params = {
    ...plainParams(user, ts, n),
    encrypt_type: 'aes',
    msg_signature: peer.getSignature(ts, n, enc),
  };
  const inner = compat ? xml.replace(/^<xml>/, '').replace(/<\/xml>$/, '') : `<ToUserName>${cdata(e2e.wechat.gh_id)}</ToUserName>`;
  const body = `<xml>${inner}<Encrypt>${cdata(enc)}</Encrypt></xml>`;
  return send('POST', oaUrl(params), body);
}

// Checks an encrypted reply with the peers: signature, receive id, and returns the inner XML.
function openReply(text, { token, aes_key, id }) {
  const enc = field(text, 'Encrypt');
  const sig = field(text, 'MsgSignature');
  const ts = field(text, 'TimeStamp');
  const n = field(text, 'Nonce');
  if (!enc || !sig || !ts || n === undefined) throw new Error(`not an encrypted reply: ${text}`);
  if (wecom.getSignature(token, ts, n, enc) !== sig) throw new Error('MsgSignature does not verify');
  const out = wecom.decrypt(aes_key, enc);
  if (out.id !== id) throw new Error(`receive id ${out.id} != ${id}`);
  return { xml: out.message, timestamp: Number(ts) };
}

const openOaReply = (text) => openReply(text, { token: e2e.wechat.token, aes_key: e2e.wechat.aes_key, id: e2e.wechat.appid });

// ---- WeCom ----

// `server` and `tenant` default to the shared e2e server; tests running their own pass theirs.
function wecomUrl(params, { server = e2e.url, tenant = e2e.tenant } = {}) {
  return `${server}/wecom/${tenant}?${new URLSearchParams(params)}`;
}

function wecomVerify(echoPlain) {
  const echostr = wecom.encrypt(e2e.wecom.aes_key, echoPlain, e2e.wecom.corp_id);
  const ts = String(now());
  const n = nonce();
  const msg_signature = wecom.getSignature(e2e.wecom.token, ts, n, echostr);
  // URLSearchParams percent-encodes '+', '/' and '=' exactly once, as WeCom does.
  return send('GET', wecomUrl({ msg_signature, timestamp: ts, nonce: n, echostr }));
}

function postWecom(xml, { agentId = e2e.wecom.agent_id, corpId = e2e.wecom.corp_id, badSignature = false, server, tenant } = {}) {
  const enc = wecom.encrypt(e2e.wecom.aes_key, xml, corpId);
  const ts = String(now());
  const n = nonce();
  let msg_signature = wecom.getSignature(e2e.wecom.token, ts, n, enc);
  if (badSignature) msg_signature = msg_signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  const body = `<xml><ToUserName>${cdata(corpId)}</ToUserName><Encrypt>${cdata(enc)}</Encrypt><AgentID>${cdata(agentId)}</AgentID></xml>`;
  return send('POST', wecomUrl({ msg_signature, timestamp: ts, nonce: n }, { server, tenant }), body);
}

const openWecomReply = (text) => openReply(text, { token: e2e.wecom.token, aes_key: e2e.wecom.aes_key, id: e2e.wecom.corp_id });

module.exports = {
  now, nonce, msgId, openid, cdata, oaXml, field, isReplyXml, send,
  oaUrl, plainParams, postPlain, postSafe, openOaReply,
  wecomUrl, wecomVerify, postWecom, openWecomReply,
};
