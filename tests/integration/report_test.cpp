// Integration: `daiban report`, the monthly 通报 township staff print — the real binary reading
// the figures a real server wrote to a real Redis. The shared Redis holds other tests' cases, so
// the test compares the report before and after one case of its own is opened, done and rated.
#include "resident_hook.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <ctime>
#include <sstream>

using namespace daiban::test;

namespace {

// This month and the one before in mainland time: "2026-12", "2026-11".
std::pair<std::string, std::string> months_now() {
    const std::time_t t = std::time(nullptr) + 8 * 3600;
    std::tm tm{};
    gmtime_r(&t, &tm);
    const int y = tm.tm_year + 1900, m = tm.tm_mon + 1;
    char now[32], before[32];
    std::snprintf(now, sizeof now, "%04d-%02d", y, m);
    std::snprintf(before, sizeof before, "%04d-%02d", m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1);
    return {now, before};
}

// The cells of the CSV row named `name` (empty when there is none).
std::vector<std::string> csv_row(const std::string& csv, const std::string& name) {
    std::istringstream in(csv);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::string cell;
        std::istringstream l(line);
        while (std::getline(l, cell, ','))
            cells.push_back(cell);
        if (!cells.empty() && cells.front() == name) return cells;
    }
    return {};
}

} // namespace

TEST_CASE("daiban report counts a case opened, done and rated this month against last month",
          "[integration][cli][kpis]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const auto [month, previous] = months_now();
    const std::string args =
        "report --month " + month + " --scope village:cl --config " + bot.config_file();

    auto before = run_binary(args + " --csv");
    INFO(before.output);
    REQUIRE(before.code == 0);
    // Columns: 范围, then each figure with the previous month's beside it.
    const auto header = csv_row(before.output, "范围");
    REQUIRE(header.size() >= 5);
    CHECK(header[1] == "受理");
    CHECK(header[2] == "受理(上月)");
    CHECK(header[3] == "办结");
    const auto row0 = csv_row(before.output, "长梁村");
    REQUIRE(row0.size() == header.size());
    CHECK_FALSE(csv_row(before.output, "代理员 蒋文秀").empty());
    CHECK(csv_row(before.output, "黄花岭村").empty()); // another village: not in this scope

    const person resident{unique("u_report"), "周桂香"};
    h.text(resident, "我是长梁村的");
    auto r = h.text(resident, "我妈住院了，想办民政二次救助");
    const auto n = case_number(said_to(r, resident.id));
    REQUIRE(!n.empty());
    r = h.group_text("g_cl", agent_cl, "办结 " + n + " 已办好");
    REQUIRE(has(said_to(r, "g_cl"), "已办结"));
    h.text(resident, "5");

    const auto after = run_binary(args + " --csv");
    INFO(after.output);
    REQUIRE(after.code == 0);
    const auto row1 = csv_row(after.output, "长梁村");
    REQUIRE(row1.size() == header.size());
    CHECK(std::stoi(row1[1]) == std::stoi(row0[1]) + 1); // 受理
    CHECK(std::stoi(row1[3]) == std::stoi(row0[3]) + 1); // 办结
    CHECK(row1[2] == row0[2]);                           // last month is unchanged

    // The printable form names the month it compares with.
    const auto text = run_binary(args);
    INFO(text.output);
    CHECK(text.code == 0);
    CHECK(has(text.output, month + " 通报（括号内为 " + previous + "）"));
    CHECK(has(text.output, "【长梁村】受理 "));
}

TEST_CASE("daiban report explains a wrong month or scope", "[integration][cli][kpis]") {
    bot_process bot(fixture_redis());
    auto r = run_binary("report --month 2026-13 --config " + bot.config_file());
    CHECK(r.code == 2);
    CHECK(has(r.output, "--month needs a month like 2026-11"));
    r = run_binary("report --month 2026-11 --scope township:nowhere --config " + bot.config_file());
    CHECK(r.code == 2);
    CHECK(has(r.output, "township:nowhere"));
    CHECK(has(r.output, "org.json"));
}
