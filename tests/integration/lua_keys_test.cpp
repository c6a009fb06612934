// Integration: every Lua script is legal on Redis Cluster. A cluster runs a script only on the
// node of its KEYS' slot and refuses a command inside it that touches a key it was not given, so
// every key a script touches must be declared in KEYS and all of them must share the tenant's hash
// tag ({tenant}). A key the script builds from a prefix works on one server and fails on a cluster
// — this test catches it on the one server we have.
//
// A MONITOR connection watches the fixture's redis-server while the real stores run scenarios that
// call every script in state/lua/. MONITOR prints each EVAL/EVALSHA with its KEYS, and right after
// it every command the script ran ("[0 lua]"); Redis itself says which keys such a command touches
// (COMMAND GETKEYS), and each must be one of that call's KEYS. A script no scenario ran fails too,
// so a new script cannot go unchecked.
#include "redis_session.hpp"
#include "state/appointment_store.hpp"
#include "state/campaign_store.hpp"
#include "state/case_store.hpp"
#include "state/conversation_store.hpp"
#include "state/keys.hpp"
#include "state/lua_scripts.hpp"
#include "state/outbox_store.hpp"
#include "state/ticket_store.hpp"
#include "state/timer_store.hpp"
#include "state/token_store.hpp"
#include "state/turn_queue.hpp"
#include "support.hpp"
#include "tests/appointment_store_scenarios.hpp"
#include "tests/campaign_store_scenarios.hpp"
#include "tests/case_store_scenarios.hpp"
#include "tests/ticket_store_scenarios.hpp"
#include "tests/timer_store_scenarios.hpp"

#include <boost/asio.hpp>
#include <catch2/catch.hpp>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

using namespace daiban;

namespace {

std::string tenant(const char* what) {
    return std::string("luakeys-") + what + "-" + std::to_string(getpid());
}

using reply_ptr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

// A blocking hiredis connection to the fixture Redis (redis://127.0.0.1:PORT/0).
std::unique_ptr<redisContext, decltype(&redisFree)> connect_fixture() {
    const auto address = test::fixture_redis();
    const int port = std::atoi(address.c_str() + address.rfind(':') + 1);
    const timeval timeout{20, 0}; // a MONITOR that never sees its end marker fails, not hangs
    std::unique_ptr<redisContext, decltype(&redisFree)> c(
        redisConnectWithTimeout("127.0.0.1", port, timeout), &redisFree);
    if (!c || c->err) throw std::runtime_error("cannot connect to " + address);
    redisSetTimeout(c.get(), timeout);
    return c;
}

reply_ptr command(redisContext* c, const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    return reply_ptr(static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()),
                                                               argv.data(), lens.data())),
                     &freeReplyObject);
}

// One MONITOR line: `<time> [<db> <client>] "arg" "arg" ...`, the arguments quoted the way
// Redis's sdscatrepr writes them (\\, \", \n, \r, \t, \a, \b, \xHH).
struct monitor_line {
    bool from_lua = false;
    std::vector<std::string> args;
};

std::optional<monitor_line> parse_monitor_line(std::string_view s) {
    const auto open = s.find('[');
    const auto close = s.find("] ", open);
    if (open == std::string_view::npos || close == std::string_view::npos) return std::nullopt;
    monitor_line out;
    const auto client = s.substr(open + 1, close - open - 1); // "0 lua", "0 127.0.0.1:5000"
    out.from_lua = client.ends_with(" lua");
    std::size_t i = close + 2;
    auto hex = [](char ch) {
        return std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0'
                                                            : std::tolower(ch) - 'a' + 10;
    };
    while (i < s.size()) {
        if (s[i] == ' ') {
            ++i;
            continue;
        }
        if (s[i] != '"') return std::nullopt;
        ++i;
        std::string arg;
        while (i < s.size() && s[i] != '"') {
            if (s[i] != '\\' || i + 1 >= s.size()) {
                arg += s[i++];
                continue;
            }
            const char e = s[i + 1];
            i += 2;
            switch (e) {
            case 'n':
                arg += '\n';
                break;
            case 'r':
                arg += '\r';
                break;
            case 't':
                arg += '\t';
                break;
            case 'a':
                arg += '\a';
                break;
            case 'b':
                arg += '\b';
                break;
            case 'x':
                if (i + 1 < s.size()) arg += static_cast<char>(hex(s[i]) * 16 + hex(s[i + 1]));
                i += 2;
                break;
            default:
                arg += e; // \\ and \"
            }
        }
        ++i; // the closing quote
        out.args.push_back(std::move(arg));
    }
    return out;
}

bool same_word(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// The Cluster hash tag of a key: what is between the first '{' and the next '}', if non-empty.
std::optional<std::string> hash_tag(const std::string& key) {
    const auto open = key.find('{');
    if (open == std::string::npos) return std::nullopt;
    const auto close = key.find('}', open + 1);
    if (close == std::string::npos || close == open + 1) return std::nullopt;
    return key.substr(open + 1, close - open - 1);
}

// The scenarios: the real stores on one connection, each on a tenant of its own, through paths
// that reach every script (first calls, retries, refusals, the 补正 resume, claims by another
// agent, transfers, expired leases, dead letters, a claim taken over from a dead owner).
boost::asio::awaitable<void> run_every_script(state::redis::connection& conn) {
    namespace cases = test::case_store_scenarios;
    state::redis_case_store case_store(conn);
    co_await cases::open_is_idempotent(case_store, tenant("case"));
    co_await cases::transitions_are_checked(case_store, tenant("case"));
    co_await cases::return_pauses_and_resend_resumes(case_store, tenant("case"));
    co_await cases::claim_is_compare_and_set(case_store, tenant("case"));
    co_await cases::review_and_attach_outcomes(case_store, tenant("case"));
    co_await cases::indexes_follow_the_cases(case_store, tenant("case-idx"));
    co_await cases::references_resolve(case_store, tenant("case"));

    state::redis_ticket_store ticket_store(conn);
    co_await test::ticket_store_scenarios::lifecycle(ticket_store, tenant("ticket"));

    state::redis_campaign_store campaign_store(conn);
    co_await test::campaign_store_scenarios::lifecycle(campaign_store, tenant("campaign"));

    state::redis_appointment_store appointment_store(conn);
    co_await test::appointment_store_scenarios::seats_and_bookings(appointment_store,
                                                                   tenant("appt"));

    state::redis_timer_store timer_store(conn, test::timer_store_scenarios::policy);
    co_await test::timer_store_scenarios::arming_replaces_and_cancel_counts(timer_store,
                                                                            tenant("timer"));
    co_await test::timer_store_scenarios::claims_leases_and_settling(timer_store,
                                                                     tenant("timer-claim"));

    // The outbox: queued (and once more, deduplicated), read, one delivered, one failed for a
    // retry and promoted back, then failed for good.
    const auto box = tenant("outbox");
    state::outbox_store outbox(conn);
    const std::vector<state::outbox_item> items{{"k1", "p1"}, {"k2", "p2"}};
    auto queued = co_await outbox.enqueue(box, items);
    CHECK(queued.value() == 2);
    auto requeued = co_await outbox.enqueue(box, items);
    CHECK(requeued.value() == 0);
    auto group = co_await outbox.ensure_group(box);
    CHECK(group.has_value());
    const std::vector<std::string> tenants{box};
    auto entries = co_await outbox.read(tenants, "lua-keys", 10, 1);
    REQUIRE(entries.value().size() == 2);
    auto sent = co_await outbox.done(entries.value()[0]);
    CHECK(sent.has_value());
    auto parked = co_await outbox.fail(entries.value()[1], 1, 3, 0, "timeout", false);
    CHECK(parked.value() == false);
    auto promoted = co_await outbox.promote_due(box, 1, 10);
    CHECK(promoted.value() == 1);
    auto again = co_await outbox.read(tenants, "lua-keys", 10, 1);
    REQUIRE(again.value().size() == 1);
    auto dead = co_await outbox.fail(again.value()[0], 2, 3, 0, "refused", true);
    CHECK(dead.value() == true);

    // Tokens: a webhook's rolling window, a token dropped only if still the one seen, a lock.
    const auto tok = tenant("token");
    state::token_store tokens(conn);
    auto place = co_await tokens.reserve_webhook(tok, "hook1", "m1", 1'000);
    CHECK(place.value() == 0);
    auto put = co_await tokens.put(tok, "wechat", "t1", 60);
    CHECK(put.has_value());
    auto dropped = co_await tokens.invalidate(tok, "wechat", "t1");
    CHECK(dropped.has_value());
    auto locked = co_await tokens.try_lock(tok, "wechat", "me", 10'000);
    CHECK(locked.value());
    co_await tokens.unlock(tok, "wechat", "me");

    // A turn claim left pending by an owner whose lease is gone is taken over; the new claim,
    // abandoned, is released.
    const auto conv = tenant("conv");
    state::redis::command stale{"SET", state::keys::seen(conv, "c1", "m1"),
                                std::string(state::keys::seen_pending_prefix) + "dead-owner", "EX",
                                "60"};
    auto set = co_await conn.exec(std::move(stale));
    REQUIRE(set.has_value());
    state::conversation_store conversations(conn, "lua-keys-owner");
    auto claim = co_await conversations.begin(conv, "c1", "m1", "hook:c1");
    REQUIRE(claim.has_value());
    CHECK(claim->taken_over);
    CHECK(claim->ticket.mine());
    co_await conversations.abandon(conv, "c1", "m1");

    // The turn queue: the claim took a ticket with plain commands; unrecorded, it is passed by
    // hand (turn_pass); the next claim's ticket is served at once, and its record (turn_commit)
    // passes it on.
    state::turn_queue queue(conn);
    auto passed = co_await queue.pass(conv, "hook:c1", claim->ticket.ticket);
    CHECK(passed.value());
    auto second = co_await conversations.begin(conv, "c1", "m2", "hook:c1");
    REQUIRE(second.has_value());
    CHECK(second->ticket.mine());
    model::conversation after = second->conversation;
    after.last_seen = 1;
    after.village = "v1";
    auto recorded = co_await conversations.finish(conv, "c1", "m2", "hook:c1", second->conversation,
                                                  after, "1", second->ticket.ticket);
    CHECK(recorded.value() == 1);
}

} // namespace

TEST_CASE("every key a Lua script touches is in its KEYS, under one {tenant} hash tag",
          "[integration][lua_keys]") {
    // Every file in state/lua/ is a script the code knows (state::scripts::all).
    std::map<std::string, const state::redis::script*> by_name;
    std::map<std::string, const state::redis::script*> by_sha;
    for (const auto* s : state::scripts::all()) {
        by_name[std::string(s->name)] = s;
        by_sha[s->sha1] = s;
    }
    std::set<std::string> files;
    for (const auto& f : std::filesystem::directory_iterator(DAIBAN_SOURCE_DIR "/state/lua"))
        if (f.path().extension() == ".lua") files.insert(f.path().stem().string());
    for (const auto& f : files)
        if (!by_name.contains(f))
            FAIL_CHECK("state/lua/" << f << ".lua is not in state::scripts::all()");
    CHECK(files.size() == by_name.size());

    auto monitor = connect_fixture();
    auto ask = connect_fixture();
    auto ok = command(monitor.get(), {"MONITOR"});
    REQUIRE(ok);
    REQUIRE(ok->type == REDIS_REPLY_STATUS);

    test::with_connection(run_every_script);

    // The end of what this test ran: read MONITOR up to this marker.
    const std::string marker = "lua-keys-test-end-" + std::to_string(getpid());
    auto echoed = command(ask.get(), {"ECHO", marker});
    REQUIRE(echoed);
    std::vector<monitor_line> lines;
    for (;;) {
        void* raw = nullptr;
        REQUIRE(redisGetReply(monitor.get(), &raw) == REDIS_OK);
        reply_ptr r(static_cast<redisReply*>(raw), &freeReplyObject);
        REQUIRE(r->type == REDIS_REPLY_STATUS);
        const std::string_view text(r->str, r->len);
        auto line = parse_monitor_line(text);
        if (!line) {
            FAIL_CHECK("cannot read the MONITOR line: " << text);
            continue;
        }
        if (!line->args.empty() && same_word(line->args[0], "ECHO") && line->args.size() == 2 &&
            line->args[1] == marker)
            break;
        lines.push_back(std::move(*line));
    }

    // Each script call with its declared KEYS, and the commands it ran.
    struct call {
        const state::redis::script* script = nullptr;
        std::vector<std::string> keys;
        std::vector<std::vector<std::string>> commands;
    };
    std::vector<call> calls;
    bool in_call = false;
    for (auto& l : lines) {
        if (l.from_lua) {
            if (in_call) calls.back().commands.push_back(std::move(l.args));
            continue;
        }
        in_call = false;
        if (l.args.size() < 3) continue;
        const bool by_sha1 = same_word(l.args[0], "EVALSHA");
        if (!by_sha1 && !same_word(l.args[0], "EVAL")) continue;
        const state::redis::script* s = nullptr;
        if (by_sha1) {
            auto it = by_sha.find(l.args[1]);
            if (it != by_sha.end()) s = it->second;
        } else {
            for (const auto* candidate : state::scripts::all())
                if (candidate->source == l.args[1]) s = candidate;
        }
        if (!s) continue; // not one of ours (nothing else should run one here)
        const auto n = static_cast<std::size_t>(std::stoul(l.args[2]));
        REQUIRE(l.args.size() >= 3 + n);
        calls.push_back({s, {l.args.begin() + 3, l.args.begin() + 3 + static_cast<long>(n)}, {}});
        in_call = true;
    }

    // What each script did wrong, a few examples each (the same mistake repeats on every call).
    std::map<std::string, std::set<std::string>> wrong;
    std::set<std::string> seen;
    for (const auto& c : calls) {
        const std::string name(c.script->name);
        seen.insert(name);
        std::set<std::string> tags;
        for (const auto& k : c.keys) {
            const auto tag = hash_tag(k);
            if (!tag)
                wrong[name].insert("declares a key without a {tenant} hash tag: " + k);
            else
                tags.insert(*tag);
        }
        if (tags.size() > 1)
            wrong[name].insert("declares keys of " + std::to_string(tags.size()) +
                               " hash tags (one slot needs one): " + *tags.begin() + ", " +
                               *std::next(tags.begin()));
        const std::set<std::string> declared(c.keys.begin(), c.keys.end());
        for (const auto& cmd : c.commands) {
            std::vector<std::string> q{"COMMAND", "GETKEYS"};
            q.insert(q.end(), cmd.begin(), cmd.end());
            auto r = command(ask.get(), q);
            REQUIRE(r);
            if (r->type != REDIS_REPLY_ARRAY) {
                wrong[name].insert("runs " + cmd[0] + ", whose keys Redis cannot tell: " +
                                   std::string(r->str ? r->str : ""));
                continue;
            }
            for (std::size_t i = 0; i < r->elements; ++i) {
                const std::string key(r->element[i]->str, r->element[i]->len);
                if (!declared.contains(key))
                    wrong[name].insert("touches a key not in KEYS: " + key + " (" + cmd[0] + ")");
            }
        }
    }
    for (const auto& [name, problems] : wrong) {
        std::size_t shown = 0;
        for (const auto& p : problems)
            if (shown++ < 4) FAIL_CHECK("script " << name << " " << p);
        if (problems.size() > 4)
            FAIL_CHECK("script " << name << ": " << problems.size() - 4 << " more like these");
    }
    for (const auto& [name, s] : by_name)
        if (!seen.contains(name))
            FAIL_CHECK("script " << name
                                 << " was never run by this test's scenarios: give it one here");
    CHECK(seen.size() == by_name.size());
}
