// Test support, shared by unit and integration tests: the campaign_store contract, written against
// the interface so the in-memory store (tests/unit/memory_campaign_store_test.cpp) and the Redis
// one (tests/integration/campaign_store_test.cpp) run the same scenarios: numbers per tenant, a
// retried message starts nothing new, the roster reads back in order, a member's first answer
// stands, strangers and unknown campaigns are refused, and closing happens once.
#pragma once

#include "state/campaign_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <catch2/catch.hpp>

#include <string>

namespace daiban::test::campaign_store_scenarios {

inline state::open_campaign_request land_insurance(const std::string& tenant, std::string message) {
    state::open_campaign_request r;
    r.tenant = tenant;
    r.source_chat = "g_hhl";
    r.source_message = std::move(message);
    r.kind = state::campaign_kind::collect;
    r.title = "土地保险";
    r.amount_text = "每亩5.73元";
    r.deadline = "2026-12-20";
    r.deadline_days = 20'807;
    r.scope = "village";
    r.scope_id = "hhl";
    r.started_by = "a_hhl_1";
    r.group = "g_hhl";
    r.now = 1'795'399'200;
    // Deliberately not in key order: the roster keeps the order it was drawn up in.
    r.roster = {{"hhl_wang_defu", "王德福", "hhl", "a_hhl_1", "hook", "u_wang", ""},
                {"hhl_zhao_changshan", "赵长山", "hhl", "a_hhl_2", "", "", "13842111205"},
                {"r:hook:u_lan", "兰向军", "hhl", "a_hhl_1", "hook", "u_lan", ""},
                {"hhl_chen_xiuying", "陈秀英", "hhl", "a_hhl_1", "hook", "u_chen", ""}};
    return r;
}

inline boost::asio::awaitable<void> lifecycle(state::campaign_store& store, std::string tenant) {
    const auto req = land_insurance(tenant, "m1");
    const auto a = co_await store.open(req);
    CHECK(a.created);
    CHECK(a.number == 1);
    const auto again = co_await store.open(req);
    CHECK_FALSE(again.created);
    CHECK(again.number == 1);
    auto notice = land_insurance(tenant, "m2");
    notice.kind = state::campaign_kind::notice;
    notice.title = "冬季防火";
    notice.amount_text.clear();
    const auto b = co_await store.open(notice);
    CHECK(b.created);
    CHECK(b.number == 2);

    auto c = co_await store.get(tenant, 1);
    REQUIRE(c);
    CHECK(c->number == 1);
    CHECK(c->kind == state::campaign_kind::collect);
    CHECK(c->title == "土地保险");
    CHECK(c->amount_text == "每亩5.73元");
    CHECK(c->deadline == "2026-12-20");
    CHECK(c->deadline_days == 20'807);
    CHECK(c->scope == "village");
    CHECK(c->scope_id == "hhl");
    CHECK(c->started_by == "a_hhl_1");
    CHECK(c->group == "g_hhl");
    CHECK(c->started_at == req.now);
    CHECK(c->open);
    CHECK(c->roster == req.roster);
    CHECK(c->answers.empty());
    CHECK_FALSE(c->roster[1].reachable());
    CHECK(c->roster[0].reachable());
    const auto no_such_campaign = co_await store.get(tenant, 3);
    CHECK_FALSE(no_such_campaign);
    const auto second = co_await store.get(tenant, 2);
    REQUIRE(second);
    CHECK(second->kind == state::campaign_kind::notice);

    // The first answer stands; strangers and unknown campaigns are refused.
    const state::campaign_answer paid{req.now + 60, "hook:u_wang", "57.3", ""};
    const auto first_answer = co_await store.answer(tenant, 1, "hhl_wang_defu", paid);
    CHECK(first_answer == state::answer_outcome::recorded);
    const state::campaign_answer photo{req.now + 90, "hook:u_wang", "", "sha-1"};
    const auto second_answer = co_await store.answer(tenant, 1, "hhl_wang_defu", photo);
    CHECK(second_answer == state::answer_outcome::already);
    const auto stranger = co_await store.answer(tenant, 1, "nobody", paid);
    CHECK(stranger == state::answer_outcome::not_found);
    const auto unknown_campaign = co_await store.answer(tenant, 9, "hhl_wang_defu", paid);
    CHECK(unknown_campaign == state::answer_outcome::not_found);
    const state::campaign_answer by_hand{req.now + 120, "a_hhl_2", "", ""};
    const auto marked_by_hand = co_await store.answer(tenant, 1, "hhl_zhao_changshan", by_hand);
    CHECK(marked_by_hand == state::answer_outcome::recorded);
    c = co_await store.get(tenant, 1);
    REQUIRE(c);
    CHECK(c->answers.size() == 2);
    CHECK(c->answers.at("hhl_wang_defu") == paid);
    CHECK(c->answered("hhl_zhao_changshan"));
    CHECK_FALSE(c->answered("hhl_chen_xiuying"));

    const auto open_before = co_await store.open_campaigns(tenant);
    CHECK(open_before == std::vector<std::int64_t>{1, 2});
    const auto last = co_await store.last_number(tenant);
    CHECK(last == 2);
    const auto closed = co_await store.close(tenant, 1, req.now + 999);
    CHECK(closed);
    const auto closed_again = co_await store.close(tenant, 1, req.now + 1000);
    CHECK_FALSE(closed_again);
    const auto closed_unknown = co_await store.close(tenant, 9, req.now + 1000);
    CHECK_FALSE(closed_unknown);
    const auto open_after = co_await store.open_campaigns(tenant);
    CHECK(open_after == std::vector<std::int64_t>{2});
    c = co_await store.get(tenant, 1);
    REQUIRE(c);
    CHECK_FALSE(c->open);
    CHECK(c->closed_at == req.now + 999);
    // A late answer after the final list is still kept: the household did pay.
    const auto late_answer = co_await store.answer(tenant, 1, "hhl_chen_xiuying", paid);
    CHECK(late_answer == state::answer_outcome::recorded);
}

} // namespace daiban::test::campaign_store_scenarios
