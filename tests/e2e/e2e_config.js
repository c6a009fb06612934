// e2e test fixture: the credentials of the e2e tenant, shared by the tests (which play WeChat and
// WeCom) and the fake API (which plays the platform's HTTP API). The server under test must be
// started with a tenant configured with the same values: tenantConfig() returns that JSON.
'use strict';

const env = process.env;

const e2e = {
  url: env.DAIBAN_URL || '', // e.g. http://127.0.0.1:8080 — tests that need the server skip without it
  tenant: env.DAIBAN_E2E_TENANT || 'demo',
  wechat: {
    token: env.DAIBAN_E2E_WECHAT_TOKEN || 'daibanE2eToken',
    appid: env.DAIBAN_E2E_WECHAT_APPID || 'wx_fake_appid',
    secret: env.DAIBAN_E2E_WECHAT_SECRET || 'fake_app_secret',
    aes_key: env.DAIBAN_E2E_WECHAT_AES_KEY || 'DaibanE2eOfficialAccountAesKey0123456789abc',
    gh_id: env.DAIBAN_E2E_WECHAT_GH || 'gh_e2e0000001',
    reply_budget_ms: Number(env.DAIBAN_E2E_REPLY_BUDGET_MS || 4000),
  },
  wecom: {
    token: env.DAIBAN_E2E_WECOM_TOKEN || 'daibanE2eWeCom',
    corp_id: env.DAIBAN_E2E_WECOM_CORPID || 'ww_fake_corp',
    secret: env.DAIBAN_E2E_WECOM_SECRET || 'fake_corp_secret',
    aes_key: env.DAIBAN_E2E_WECOM_AES_KEY || 'DaibanE2eWeComSelfBuiltAppAesKey0123456789A',
    agent_id: env.DAIBAN_E2E_WECOM_AGENTID || '1000002',
  },
  // Where the server's api_base points (the fake API); tests that watch pushes skip without it.
  fake_api: env.FAKE_WECHAT_API || '',
  // A text the e2e deployment's handler answers slower than reply_budget_ms (a test hook on the
  // server side); the slow-handler test skips without it.
  slow_text: env.DAIBAN_E2E_SLOW_TEXT || '',
};

// The tenant entry for the server's e2e config (DESIGN §3 "Configuration").
function tenantConfig(apiBase) {
  return {
    id: e2e.tenant,
    name: 'e2e',
    data: 'deploy/tenants/demo',
    wechat: {
      token: e2e.wechat.token,
      appid: e2e.wechat.appid,
      aes_key: e2e.wechat.aes_key,
      secret: e2e.wechat.secret,
      api_base: apiBase,
      reply_budget_ms: e2e.wechat.reply_budget_ms,
    },
    wecom: {
      token: e2e.wecom.token,
      corp_id: e2e.wecom.corp_id,
      aes_key: e2e.wecom.aes_key,
      agent_id: e2e.wecom.agent_id,
      secret: e2e.wecom.secret,
      api_base: apiBase,
    },
  };
}

module.exports = { e2e, tenantConfig };

if (require.main === module) {
  process.stdout.write(`${JSON.stringify(tenantConfig(process.argv[2] || 'http://127.0.0.1:8089'), null, 2)}\n`);
}
