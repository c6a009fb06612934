// Test support, shared by unit and integration tests: the case_store contract. Scenarios any
// state::case_store must pass, written once and run against both stores: the Redis one
// (tests/integration/case_store_test.cpp, the fixture's redis-server) and the in-memory one
// (tests/unit/memory_case_store_test.cpp). A scenario passing on one and failing on the other marks
// a place where handler unit tests would see a store that production does not have.
// Each scenario is a coroutine taking the store and a tenant (by value: the coroutine starts
// after its caller's temporaries are gone). Scenarios marked "fresh tenant" need one of their own
// (they count every case of it); the others only need their own source message ids.
#pragma once

#include "state/case_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

namespace daiban::test::case_store_scenarios {

using state::case_status;

inline state::open_case_request request(const std::string& tenant, const std::string& msg) {
    state::open_case_request r;
    r.tenant = tenant;
    r.source_chat = "u_test";
    r.source_message = msg;
    r.code_prefix = "STORE-20261123-";
    r.service = "medical_relief";
    r.service_name = "医疗救助";
    r.catalog_version = "2026-11-01";
    r.resident = "hook:u_test";
    r.resident_name = "测试";
    r.channel = "hook";
    r.chat = "u_test";
    r.village = "hhl";
    r.owner = "a_hhl_1";
    r.due = "2026-12-14";
    r.due_days = 20801;
    r.now = 1795000000;
    r.materials = {{"id_card", "居民身份证"}, {"invoice", "医疗费用发票"}};
    return r;
}

inline boost::asio::awaitable<void> open_is_idempotent(state::case_store& store,
                                                       std::string tenant) {
    auto a = co_await store.open(request(tenant, "m-open-1"));
    auto again = co_await store.open(request(tenant, "m-open-1"));
    auto b = co_await store.open(request(tenant, "m-open-2"));
    CHECK(a.created);
    CHECK_FALSE(again.created);
    CHECK(again.number == a.number);
    CHECK(b.number == a.number + 1);
    auto c = co_await store.get(tenant, a.number);
    REQUIRE(c.has_value());
    CHECK(c->code == "STORE-20261123-" + std::string(4 - std::to_string(a.number).size(), '0') +
                         std::to_string(a.number));
    CHECK(c->catalog_version == "2026-11-01");
    CHECK(c->status == case_status::accepted);
    CHECK(c->materials.size() == 2);
    auto code_ref = co_await store.resolve(tenant, c->code);
    CHECK(code_ref == a.number);
    auto open = co_await store.open_by_owner(tenant, "a_hhl_1");
    CHECK(open.size() >= 2);
    CHECK(open.front().due_days == 20801);
}

inline boost::asio::awaitable<void> transitions_are_checked(state::case_store& store,
                                                            std::string tenant) {
    auto o = co_await store.open(request(tenant, "m-trans-1"));
    const auto n = o.number;
    auto bad = co_await store.transition(tenant, n, case_status::rated, "a_hhl_1", "", 1);
    CHECK(bad.outcome == state::change_outcome::not_allowed);
    CHECK(bad.previous == case_status::accepted);
    auto ok = co_await store.transition(tenant, n, case_status::done, "a_hhl_1", "已到账", 2);
    CHECK(ok.outcome == state::change_outcome::done);
    auto late = co_await store.transition(tenant, n, case_status::cancelled, "x", "", 3);
    CHECK(late.outcome == state::change_outcome::not_allowed);
    auto hist = co_await store.history(tenant, n);
    REQUIRE(hist.size() == 2);
    CHECK(hist.front().what == "opened");
    CHECK(hist.back().what == "status:done");
    CHECK(hist.back().who == "a_hhl_1");
    CHECK(hist.back().why == "已到账");
    auto open = co_await store.open_cases(tenant);
    for (const auto& d : open)
        CHECK(d.number != n);
    auto missing = co_await store.transition(tenant, 999999, case_status::done, "x", "", 4);
    CHECK(missing.outcome == state::change_outcome::not_found);
}

inline boost::asio::awaitable<void> return_pauses_and_resend_resumes(state::case_store& store,
                                                                     std::string tenant) {
    auto o = co_await store.open(request(tenant, "m-pause-1"));
    const auto n = o.number;
    const std::string f1(64, 'a'), f2(64, 'b'), f3(64, 'c');
    auto a1 = co_await store.attach(tenant, n, "id_card", f1, "hook:u_test", 10, "", 0);
    CHECK(a1.status == case_status::collecting);
    auto a2 = co_await store.attach(tenant, n, "invoice", f2, "hook:u_test", 11, "", 0);
    CHECK(a2.received == 2);
    CHECK(a2.status == case_status::ready);
    auto rej = co_await store.review(tenant, n, "invoice", false, "看不清", "a_hhl_1", 12, 20790);
    CHECK(rej.status == case_status::returned);
    auto paused = co_await store.get(tenant, n);
    CHECK(paused->paused_on == 20790);
    CHECK(paused->material("invoice")->reason == "看不清");
    auto back =
        co_await store.attach(tenant, n, "invoice", f3, "hook:u_test", 13, "2026-12-17", 20804);
    CHECK(back.previous == case_status::returned);
    CHECK(back.status == case_status::ready);
    auto resumed = co_await store.get(tenant, n);
    CHECK(resumed->due == "2026-12-17");
    CHECK(resumed->paused_on == 0);
    CHECK(resumed->material("invoice")->files.size() == 2);
    auto all = co_await store.review(tenant, n, "", true, "", "a_hhl_1", 14, 20791);
    CHECK(all.status == case_status::in_progress);
    CHECK(all.accepted == 2);
    auto unknown = co_await store.attach(tenant, n, "passport", f1, "x", 15, "", 0);
    CHECK(unknown.outcome == state::change_outcome::unknown_material);
}

inline boost::asio::awaitable<void> claim_is_compare_and_set(state::case_store& store,
                                                             std::string tenant) {
    auto o = co_await store.open(request(tenant, "m-claim-1"));
    const auto n = o.number;
    auto first = co_await store.claim(tenant, n, "a_hhl_2", 1);
    auto second = co_await store.claim(tenant, n, "a_hhl_1", 2);
    auto mine = co_await store.claim(tenant, n, "a_hhl_2", 3);
    CHECK(first.outcome == state::claim_result::claimed);
    CHECK(first.other == "a_hhl_1");
    CHECK(second.outcome == state::claim_result::taken);
    CHECK(second.other == "a_hhl_2");
    CHECK(mine.outcome == state::claim_result::already_yours);
    auto by2 = co_await store.open_by_owner(tenant, "a_hhl_2");
    bool found = false;
    for (const auto& d : by2)
        found = found || d.number == n;
    CHECK(found);
}

// Every outcome of attach and review, the counts they report and the history they write: the
// `what` strings other code reads (agent 查看, the deadline patrol).
inline boost::asio::awaitable<void> review_and_attach_outcomes(state::case_store& store,
                                                               std::string tenant) {
    auto o = co_await store.open(request(tenant, "m-review-1"));
    const auto n = o.number;
    const std::string f1(64, 'd'), f2(64, 'e');
    auto nothing = co_await store.review(tenant, n, "", true, "", "a_hhl_1", 20, 20790);
    CHECK(nothing.outcome == state::change_outcome::nothing_to_do);
    auto unknown = co_await store.review(tenant, n, "passport", true, "", "a_hhl_1", 20, 20790);
    CHECK(unknown.outcome == state::change_outcome::unknown_material);

    auto a1 = co_await store.attach(tenant, n, "id_card", f1, "hook:u_test", 21, "", 0);
    CHECK(a1.outcome == state::change_outcome::done);
    CHECK(a1.received == 1);
    CHECK(a1.total == 2);
    CHECK(a1.previous == case_status::accepted);
    CHECK(a1.status == case_status::collecting);
    // The same photo twice is filed once.
    auto again = co_await store.attach(tenant, n, "id_card", f1, "hook:u_test", 22, "", 0);
    CHECK(again.received == 1);
    CHECK(again.previous == case_status::collecting);
    CHECK(again.status == case_status::collecting);

    // 通过 naming a material accepts it even before it arrived (handed over in person).
    auto one = co_await store.review(tenant, n, "invoice", true, "", "a_hhl_1", 23, 20790);
    CHECK(one.outcome == state::change_outcome::done);
    CHECK(one.status == case_status::collecting);
    CHECK(one.accepted == 1);
    CHECK(one.total == 2);
    auto all = co_await store.review(tenant, n, "", true, "", "a_hhl_1", 24, 20790);
    CHECK(all.status == case_status::in_progress);
    CHECK(all.accepted == 2);

    // A document for a case being handled is filed and waits for review again.
    auto late = co_await store.attach(tenant, n, "invoice", f2, "hook:u_test", 25, "", 0);
    CHECK(late.status == case_status::in_progress);
    CHECK(late.previous == case_status::in_progress);
    CHECK(late.received == 2);
    auto after_late = co_await store.get(tenant, n);
    REQUIRE(after_late.has_value());
    CHECK(after_late->material("invoice")->state == "received");
    CHECK(after_late->material("invoice")->files == std::vector<std::string>{f2});
    CHECK(after_late->material("id_card")->files == std::vector<std::string>{f1});

    auto rej = co_await store.review(tenant, n, "invoice", false, "模糊", "a_hhl_1", 26, 20795);
    CHECK(rej.status == case_status::returned);
    CHECK(rej.accepted == 1);
    // A second 补正 while returned keeps the day the clock stopped.
    auto rej2 = co_await store.review(tenant, n, "id_card", false, "过期", "a_hhl_1", 27, 20799);
    CHECK(rej2.status == case_status::returned);
    CHECK(rej2.accepted == 0);
    auto paused = co_await store.get(tenant, n);
    REQUIRE(paused.has_value());
    CHECK(paused->paused_on == 20795);
    CHECK(paused->material("id_card")->state == "rejected");
    CHECK(paused->material("id_card")->reason == "过期");
    CHECK(paused->received_count() == 0);

    auto hist = co_await store.history(tenant, n);
    std::vector<std::string> whats;
    for (const auto& e : hist)
        whats.push_back(e.what);
    CHECK(whats == std::vector<std::string>{
                       "opened", "material:id_card", "status:collecting", "material:id_card",
                       "accepted:invoice", "accepted:all", "status:in_progress", "material:invoice",
                       "rejected:invoice", "status:returned", "rejected:id_card"});
    REQUIRE(hist.size() == 11);
    CHECK(hist[1].who == "hook:u_test");
    CHECK(hist[1].why == f1);
    CHECK(hist[1].at == 21);
    CHECK(hist[2].who == "bot");
    CHECK(hist[8].who == "a_hhl_1");
    CHECK(hist[8].why == "模糊");
    CHECK(hist[9].who == "bot");
    CHECK(hist[9].why == "模糊");
    CHECK(hist[9].at == 26);

    // Closed: nothing more is filed, reviewed or claimed.
    auto closed = co_await store.transition(tenant, n, case_status::done, "a_hhl_1", "", 28);
    CHECK(closed.outcome == state::change_outcome::done);
    CHECK(closed.previous == case_status::returned);
    auto a_closed = co_await store.attach(tenant, n, "invoice", f1, "hook:u_test", 29, "", 0);
    CHECK(a_closed.outcome == state::change_outcome::closed);
    auto r_closed = co_await store.review(tenant, n, "", true, "", "a_hhl_1", 29, 20799);
    CHECK(r_closed.outcome == state::change_outcome::closed);
    auto c_closed = co_await store.claim(tenant, n, "a_hhl_2", 29);
    CHECK(c_closed.outcome == state::claim_result::closed);
    CHECK(c_closed.status == case_status::done);
    std::vector<std::pair<std::string, std::string>> rating{{"rating", "4"}, {"follow_up", "0"}};
    auto rated = co_await store.transition(tenant, n, case_status::rated, "hook:u_test", "满意", 30,
                                           std::move(rating));
    CHECK(rated.outcome == state::change_outcome::done);
    CHECK(rated.previous == case_status::done);
    auto final_case = co_await store.get(tenant, n);
    REQUIRE(final_case.has_value());
    CHECK(final_case->status == case_status::rated);
    CHECK(final_case->rating == 4);
    CHECK_FALSE(final_case->follow_up);

    auto none_a = co_await store.attach(tenant, 999999, "invoice", f1, "x", 31, "", 0);
    CHECK(none_a.outcome == state::change_outcome::not_found);
    auto none_r = co_await store.review(tenant, 999999, "", true, "", "x", 31, 20799);
    CHECK(none_r.outcome == state::change_outcome::not_found);
    auto none_c = co_await store.claim(tenant, 999999, "x", 31);
    CHECK(none_c.outcome == state::claim_result::not_found);
}

// Fresh tenant. The indexes: open cases by due day (earliest first, up to a day), an owner's,
// a resident's and a village's cases; re-scored by a new due date, moved by a transfer and a
// claim, left by a closed case.
inline boost::asio::awaitable<void> indexes_follow_the_cases(state::case_store& store,
                                                             std::string tenant) {
    auto req = [&](const std::string& msg, const std::string& resident, const std::string& owner,
                   const std::string& village, std::int64_t due_days, std::int64_t now) {
        auto r = request(tenant, msg);
        r.resident = resident;
        r.owner = owner;
        r.village = village;
        r.due_days = due_days;
        r.now = now;
        return r;
    };
    const auto ra = req("i-1", "hook:u_a", "a_x", "v1", 20810, 100);
    const auto rb = req("i-2", "hook:u_a", "a_x", "v1", 20805, 101);
    const auto rc = req("i-3", "hook:u_b", "a_y", "v2", 20820, 102);
    auto a = co_await store.open(ra);
    auto b = co_await store.open(rb);
    auto c = co_await store.open(rc);
    CHECK(a.number == 1);
    CHECK(b.number == 2);
    CHECK(c.number == 3);
    auto numbers = [](const std::vector<state::case_due>& v) {
        std::vector<std::int64_t> out;
        for (const auto& d : v)
            out.push_back(d.number);
        return out;
    };
    using nums = std::vector<std::int64_t>;

    auto open = co_await store.open_cases(tenant);
    CHECK(numbers(open) == nums{2, 1, 3});
    CHECK(open.front().due_days == 20805);
    auto soon = co_await store.open_cases(tenant, 20810);
    CHECK(numbers(soon) == nums{2, 1});
    auto x = co_await store.open_by_owner(tenant, "a_x");
    CHECK(numbers(x) == nums{2, 1});
    auto ua = co_await store.by_resident(tenant, "hook:u_a");
    CHECK(ua == nums{1, 2});
    auto v1 = co_await store.by_village(tenant, "v1");
    auto v2 = co_await store.by_village(tenant, "v2");
    CHECK(v1 == nums{1, 2});
    CHECK(v2 == nums{3});
    auto nobody = co_await store.open_by_owner(tenant, "a_nobody");
    CHECK(nobody.empty());

    // A new due date (no status change) re-scores the case.
    std::vector<std::pair<std::string, std::string>> new_due{{"due", "2026-12-01"},
                                                             {"due_days", "20790"}};
    auto moved =
        co_await store.update(tenant, 3, "bot", "due_moved", "节假日顺延", 103, std::move(new_due));
    CHECK(moved.outcome == state::change_outcome::done);
    CHECK(moved.previous == case_status::accepted);
    open = co_await store.open_cases(tenant);
    CHECK(numbers(open) == nums{3, 2, 1});
    auto c3 = co_await store.get(tenant, 3);
    REQUIRE(c3.has_value());
    CHECK(c3->due == "2026-12-01");
    CHECK(c3->due_days == 20790);
    CHECK(c3->status == case_status::accepted);
    auto h3 = co_await store.history(tenant, 3);
    REQUIRE(h3.size() == 2);
    CHECK(h3.back().what == "due_moved");
    CHECK(h3.back().who == "bot");
    CHECK(h3.back().why == "节假日顺延");

    // 转办: the owner field moves the case to the new owner's list.
    std::vector<std::pair<std::string, std::string>> to_sup{
        {"owner", "a_sup"}, {"claimed_by", "a_sup"}, {"level", "township"}};
    auto up = co_await store.transition(tenant, 1, case_status::transferred, "a_x", "超出权限", 104,
                                        std::move(to_sup));
    CHECK(up.outcome == state::change_outcome::done);
    x = co_await store.open_by_owner(tenant, "a_x");
    auto sup = co_await store.open_by_owner(tenant, "a_sup");
    CHECK(numbers(x) == nums{2});
    CHECK(numbers(sup) == nums{1});
    auto c1 = co_await store.get(tenant, 1);
    REQUIRE(c1.has_value());
    CHECK(c1->level == "township");
    CHECK(c1->claimed_by == "a_sup");
    CHECK(c1->status == case_status::transferred);
    auto taken = co_await store.claim(tenant, 1, "a_x", 105);
    CHECK(taken.outcome == state::claim_result::taken);
    CHECK(taken.other == "a_sup");

    // 接单 by another agent moves the owner's list too.
    auto claimed = co_await store.claim(tenant, 2, "a_z", 106);
    CHECK(claimed.outcome == state::claim_result::claimed);
    CHECK(claimed.other == "a_x");
    x = co_await store.open_by_owner(tenant, "a_x");
    auto z = co_await store.open_by_owner(tenant, "a_z");
    CHECK(x.empty());
    CHECK(numbers(z) == nums{2});
    CHECK(z.front().due_days == 20805);

    // Closed: out of the open and owner indexes, still the resident's and the village's.
    std::vector<std::pair<std::string, std::string>> closing{{"note", "已到账"},
                                                             {"done_at", "107"}};
    auto done =
        co_await store.transition(tenant, 2, case_status::done, "a_z", "", 107, std::move(closing));
    CHECK(done.outcome == state::change_outcome::done);
    open = co_await store.open_cases(tenant);
    z = co_await store.open_by_owner(tenant, "a_z");
    ua = co_await store.by_resident(tenant, "hook:u_a");
    CHECK(numbers(open) == nums{3, 1});
    CHECK(z.empty());
    CHECK(ua == nums{1, 2});
    auto c2 = co_await store.get(tenant, 2);
    REQUIRE(c2.has_value());
    CHECK(c2->note == "已到账");
    CHECK(c2->done_at == 107);
    CHECK(c2->owner == "a_z");
}

// A case is found by number, "#number" or code; nothing else.
inline boost::asio::awaitable<void> references_resolve(state::case_store& store,
                                                       std::string tenant) {
    auto o = co_await store.open(request(tenant, "m-resolve-1"));
    const auto n = o.number;
    auto c = co_await store.get(tenant, n);
    REQUIRE(c.has_value());
    const std::string code = c->code;
    const std::vector<std::string> found{std::to_string(n), "#" + std::to_string(n), code,
                                         "#" + code};
    for (const auto& ref : found) {
        auto r = co_await store.resolve(tenant, ref);
        CHECK(r == std::optional<std::int64_t>(n));
    }
    const std::vector<std::string> not_found{"", "#", "999999", "STORE-20261123-99999", "0"};
    for (const auto& ref : not_found) {
        auto r = co_await store.resolve(tenant, ref);
        CHECK_FALSE(r.has_value());
    }
    auto none = co_await store.get(tenant, 999999);
    CHECK_FALSE(none.has_value());
    const state::case_event reminder{5, "bot", "deadline:soon", "2026-12-14"};
    co_await store.record(tenant, n, reminder);
    auto hist = co_await store.history(tenant, n);
    REQUIRE(hist.size() == 2);
    CHECK(hist.back().what == "deadline:soon");
    CHECK(hist.back().why == "2026-12-14");
    CHECK(hist.back().at == 5);
}

} // namespace daiban::test::case_store_scenarios
