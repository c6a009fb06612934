// Test support, shared by unit and integration tests: the ticket_store contract, written against
// the interface so the in-memory store (tests/unit/memory_ticket_store_test.cpp) and the Redis one
// (tests/integration/ticket_store_test.cpp) run the same scenarios: numbers per tenant, a retried
// message opens nothing new, a change happens only from the statuses it names (two 收到 at once:
// one wins), photos are kept once each in order, the open index follows the status, and the
// history records every step.
#pragma once

#include "state/ticket_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <catch2/catch.hpp>

#include <string>

namespace daiban::test::ticket_store_scenarios {

inline state::open_ticket_request report(const std::string& tenant, std::string message) {
    state::open_ticket_request r;
    r.tenant = tenant;
    r.source_chat = "u_lan";
    r.source_message = std::move(message);
    r.kind = state::ticket_kind::emergency;
    r.text = "地里被冰雹砸得稀烂";
    r.resident = "hook:u_lan";
    r.resident_name = "兰向军";
    r.channel = "hook";
    r.chat = "u_lan";
    r.village = "hhl";
    r.township = "fk";
    r.owner = "a_hhl_1";
    r.now = 1'795'399'200;
    return r;
}

inline boost::asio::awaitable<void> lifecycle(state::ticket_store& store, std::string tenant) {
    using state::ticket_status;
    const auto first = report(tenant, "m1");
    const auto a = co_await store.open(first);
    CHECK(a.created);
    CHECK(a.number == 1);
    const auto again = co_await store.open(first);
    CHECK_FALSE(again.created);
    CHECK(again.number == 1);
    auto anon_req = report(tenant, "m2");
    anon_req.kind = state::ticket_kind::complaint;
    anon_req.anonymous = true;
    const auto b = co_await store.open(anon_req);
    CHECK(b.number == 2);

    auto t = co_await store.get(tenant, 1);
    REQUIRE(t);
    CHECK(t->kind == state::ticket_kind::emergency);
    CHECK(t->status == ticket_status::open);
    CHECK(t->resident_name == "兰向军");
    CHECK(t->reported_at == first.now);
    auto anon = co_await store.get(tenant, 2);
    REQUIRE(anon);
    CHECK(anon->anonymous);
    CHECK(anon->resident_name.empty()); // an anonymous writer's name is never stored
    CHECK_FALSE(co_await store.get(tenant, 3));

    // 收到 from open: the first wins, the second is refused with the status it found.
    state::ticket_change ack;
    ack.from = {ticket_status::open};
    ack.to = ticket_status::acknowledged;
    ack.fields = {{"acknowledged_by", "a_hhl_2"}, {"acknowledged_at", "1795399380"}};
    ack.event = {1'795'399'380, "a_hhl_2", "acknowledged", ""};
    const auto won = co_await store.change(tenant, 1, ack);
    CHECK(won.outcome == state::ticket_change_result::done);
    CHECK(won.previous == ticket_status::open);
    const auto lost = co_await store.change(tenant, 1, ack);
    CHECK(lost.outcome == state::ticket_change_result::not_allowed);
    CHECK(lost.previous == ticket_status::acknowledged);
    const auto missing = co_await store.change(tenant, 9, ack);
    CHECK(missing.outcome == state::ticket_change_result::not_found);

    // Photos: appended in order, the same one once.
    for (const char* f : {"aa", "bb", "aa"}) {
        state::ticket_change photo;
        photo.file = f;
        photo.event = {1'795'399'400, "hook:u_lan", "photo", ""};
        co_await store.change(tenant, 1, photo);
    }
    t = co_await store.get(tenant, 1);
    REQUIRE(t);
    CHECK(t->files == std::vector<std::string>{"aa", "bb"});
    CHECK(t->acknowledged_by == "a_hhl_2");
    CHECK(t->status == ticket_status::acknowledged);

    auto open = co_await store.open_tickets(tenant);
    CHECK(open == std::vector<std::int64_t>{1, 2});
    const auto last = co_await store.last_number(tenant);
    CHECK(last == 2);
    const auto none = co_await store.last_number("nobody");
    CHECK(none == 0);
    state::ticket_change close;
    close.to = ticket_status::closed;
    close.fields = {{"closed_at", "1795401000"}};
    close.event = {1'795'401'000, "a_hhl_2", "closed", "已处理"};
    co_await store.change(tenant, 1, close);
    open = co_await store.open_tickets(tenant);
    CHECK(open == std::vector<std::int64_t>{2});
    // Reopening puts it back in the open index.
    state::ticket_change reopen;
    reopen.to = ticket_status::open;
    reopen.fields = {{"reopened", "1"}};
    reopen.event = {1'795'402'000, "hook:u_lan", "reopened", ""};
    co_await store.change(tenant, 1, reopen);
    open = co_await store.open_tickets(tenant);
    CHECK(open == std::vector<std::int64_t>{1, 2});

    const auto hist = co_await store.history(tenant, 1);
    REQUIRE(hist.size() == 7); // opened, acknowledged, 3 photos, closed, reopened
    CHECK(hist.front().what == "opened");
    CHECK(hist[1].who == "a_hhl_2");
    CHECK(hist.back().what == "reopened");
    const auto mine = co_await store.by_resident(tenant, "hook:u_lan");
    CHECK(mine == std::vector<std::int64_t>{1, 2});
}

} // namespace daiban::test::ticket_store_scenarios
