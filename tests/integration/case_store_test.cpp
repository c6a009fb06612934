// Integration: state::case_store against the fixture's redis-server, without the bot — the API
// other parts (timers: deadlines, escalation, the 补正 pause) build on: idempotent opening, the
// transition table, history, the open-case indexes, the pause and resume of the clock, claims.
#include "state/case_store.hpp"
#include "support.hpp"

#include <boost/asio.hpp>
#include <catch2/catch.hpp>

using namespace daiban;
using daiban::test::fixture_redis;
using state::case_status;

namespace {

// Runs `body` as a coroutine on a fresh connection to the fixture Redis and waits for it.
template <typename F>
void with_store(F body) {
    boost::asio::io_context ioc;
    state::redis::config cfg;
    cfg.address = fixture_redis();
    state::redis::connection conn(ioc.get_executor(), cfg);
    conn.start();
    bool finished = false;
    boost::asio::co_spawn(
        ioc,
        [&]() -> boost::asio::awaitable<void> {
            boost::asio::steady_timer t(ioc);
            for (int i = 0; i < 100 && !conn.connected(); ++i) {
                t.expires_after(std::chrono::milliseconds(20));
                co_await t.async_wait(boost::asio::use_awaitable);
            }
            state::case_store store(conn);
            co_await body(store);
            finished = true;
            conn.stop();
        },
        [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    ioc.run();
    REQUIRE(finished);
}

std::string tenant() {
    static const std::string t = "store" + std::to_string(getpid());
    return t;
}

state::open_case_request request(const std::string& msg) {
    state::open_case_request r;
    r.tenant = tenant();
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

} // namespace

TEST_CASE("case_store: open is idempotent per source message, numbers per tenant",
          "[integration][case_store]") {
    with_store([](state::case_store& store) -> boost::asio::awaitable<void> {
        auto a = co_await store.open(request("m-open-1"));
        auto again = co_await store.open(request("m-open-1"));
        auto b = co_await store.open(request("m-open-2"));
        REQUIRE(a.has_value());
        REQUIRE(again.has_value());
        REQUIRE(b.has_value());
        CHECK(a->created);
        CHECK_FALSE(again->created);
        CHECK(again->number == a->number);
        CHECK(b->number == a->number + 1);
        auto c = co_await store.get(tenant(), a->number);
        REQUIRE(c.has_value());
        REQUIRE(c->has_value());
        CHECK((*c)->code == "STORE-20261123-" +
                                std::string(4 - std::to_string(a->number).size(), '0') +
                                std::to_string(a->number));
        CHECK((*c)->catalog_version == "2026-11-01");
        CHECK((*c)->status == case_status::accepted);
        CHECK((*c)->materials.size() == 2);
        auto code_ref = co_await store.resolve(tenant(), (*c)->code);
        REQUIRE(code_ref.has_value());
        CHECK(*code_ref == a->number);
        auto open = co_await store.open_by_owner(tenant(), "a_hhl_1");
        REQUIRE(open.has_value());
        CHECK(open->size() >= 2);
        CHECK(open->front().due_days == 20801);
    });
}

TEST_CASE("case_store: transitions are checked and recorded, and closed cases leave the indexes",
          "[integration][case_store]") {
    with_store([](state::case_store& store) -> boost::asio::awaitable<void> {
        auto o = co_await store.open(request("m-trans-1"));
        REQUIRE(o.has_value());
        const auto n = o->number;
        auto bad = co_await store.transition(tenant(), n, case_status::rated, "a_hhl_1", "", 1);
        REQUIRE(bad.has_value());
        CHECK(bad->outcome == state::change_outcome::not_allowed);
        CHECK(bad->previous == case_status::accepted);
        auto ok = co_await store.transition(tenant(), n, case_status::done, "a_hhl_1", "已到账", 2);
        REQUIRE(ok.has_value());
        CHECK(ok->outcome == state::change_outcome::done);
        auto late = co_await store.transition(tenant(), n, case_status::cancelled, "x", "", 3);
        REQUIRE(late.has_value());
        CHECK(late->outcome == state::change_outcome::not_allowed);
        auto hist = co_await store.history(tenant(), n);
        REQUIRE(hist.has_value());
        REQUIRE(hist->size() == 2);
        CHECK(hist->front().what == "opened");
        CHECK(hist->back().what == "status:done");
        CHECK(hist->back().who == "a_hhl_1");
        CHECK(hist->back().why == "已到账");
        auto open = co_await store.open_cases(tenant());
        REQUIRE(open.has_value());
        for (const auto& d : *open)
            CHECK(d.number != n);
        auto missing = co_await store.transition(tenant(), 999999, case_status::done, "x", "", 4);
        REQUIRE(missing.has_value());
        CHECK(missing->outcome == state::change_outcome::not_found);
    });
}

TEST_CASE("case_store: 补正 pauses the clock, a resent document resumes it with a new due date",
          "[integration][case_store]") {
    with_store([](state::case_store& store) -> boost::asio::awaitable<void> {
        auto o = co_await store.open(request("m-pause-1"));
        REQUIRE(o.has_value());
        const auto n = o->number;
        const std::string f1(64, 'a'), f2(64, 'b'), f3(64, 'c');
        auto a1 = co_await store.attach(tenant(), n, "id_card", f1, "hook:u_test", 10, "", 0);
        REQUIRE(a1.has_value());
        CHECK(a1->status == case_status::collecting);
        auto a2 = co_await store.attach(tenant(), n, "invoice", f2, "hook:u_test", 11, "", 0);
        REQUIRE(a2.has_value());
        CHECK(a2->received == 2);
        CHECK(a2->status == case_status::ready);
        auto rej =
            co_await store.review(tenant(), n, "invoice", false, "看不清", "a_hhl_1", 12, 20790);
        REQUIRE(rej.has_value());
        CHECK(rej->status == case_status::returned);
        auto paused = co_await store.get(tenant(), n);
        REQUIRE(paused.has_value());
        CHECK((*paused)->paused_on == 20790);
        CHECK((*paused)->material("invoice")->reason == "看不清");
        auto back = co_await store.attach(tenant(), n, "invoice", f3, "hook:u_test", 13,
                                          "2026-12-17", 20804);
        REQUIRE(back.has_value());
        CHECK(back->previous == case_status::returned);
        CHECK(back->status == case_status::ready);
        auto resumed = co_await store.get(tenant(), n);
        REQUIRE(resumed.has_value());
        CHECK((*resumed)->due == "2026-12-17");
        CHECK((*resumed)->paused_on == 0);
        CHECK((*resumed)->material("invoice")->files.size() == 2);
        auto all = co_await store.review(tenant(), n, "", true, "", "a_hhl_1", 14, 20791);
        REQUIRE(all.has_value());
        CHECK(all->status == case_status::in_progress);
        CHECK(all->accepted == 2);
        auto unknown = co_await store.attach(tenant(), n, "passport", f1, "x", 15, "", 0);
        REQUIRE(unknown.has_value());
        CHECK(unknown->outcome == state::change_outcome::unknown_material);
    });
}

TEST_CASE("case_store: a claim is compare-and-set and moves the owner index",
          "[integration][case_store]") {
    with_store([](state::case_store& store) -> boost::asio::awaitable<void> {
        auto o = co_await store.open(request("m-claim-1"));
        REQUIRE(o.has_value());
        const auto n = o->number;
        auto first = co_await store.claim(tenant(), n, "a_hhl_2", 1);
        auto second = co_await store.claim(tenant(), n, "a_hhl_1", 2);
        auto mine = co_await store.claim(tenant(), n, "a_hhl_2", 3);
        REQUIRE(first.has_value());
        REQUIRE(second.has_value());
        REQUIRE(mine.has_value());
        CHECK(first->outcome == state::claim_result::claimed);
        CHECK(first->other == "a_hhl_1");
        CHECK(second->outcome == state::claim_result::taken);
        CHECK(second->other == "a_hhl_2");
        CHECK(mine->outcome == state::claim_result::already_yours);
        auto by2 = co_await store.open_by_owner(tenant(), "a_hhl_2");
        REQUIRE(by2.has_value());
        bool found = false;
        for (const auto& d : *by2)
            found = found || d.number == n;
        CHECK(found);
    });
}
