// bot layer, CLI: `daiban nlu parse TEXT`, `daiban nlu eval FILE.jsonl`, `daiban nlu bench`.
#include "bot/cli/nlu_command.hpp"

#include "bot/nlu/nlu.hpp"
#include "common/utf8.hpp"
#include "model/civil_date.hpp"
#include "model/tenant_data.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace daiban::bot::cli {

namespace {

using nlohmann::json;
namespace nlu = daiban::bot::nlu;

void usage() {
    std::cerr << "usage: daiban nlu parse TEXT [--now ISO8601] [--tenant DIR]\n"
                 "       daiban nlu eval FILE.jsonl [--now ISO8601] [--tenant DIR] "
                 "[--min-accuracy A]\n"
                 "       daiban nlu bench [--tenant DIR]\n"
                 "       daiban nlu export DIR FILE.jsonl [--tenant DIR]\n";
}

// "2026-11-18T10:00:00+08:00", "...Z", "2026-11-18 10:00" (then +08:00).
std::optional<nlu::reference_time> parse_iso8601(const std::string& s) {
    int y, mo, d, h = 0, mi = 0, se = 0;
    char sep = 0;
    int n = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &n) < 6)
        return std::nullopt;
    if (sep != 'T' && sep != ' ') return std::nullopt;
    std::size_t i = static_cast<std::size_t>(n);
    if (i < s.size() && s[i] == ':') {
        int m2 = 0;
        if (std::sscanf(s.c_str() + i, ":%2d%n", &se, &m2) < 1) return std::nullopt;
        i += static_cast<std::size_t>(m2);
        if (i < s.size() && s[i] == '.')
            while (i < s.size() && (s[i] == '.' || (s[i] >= '0' && s[i] <= '9')))
                ++i;
    }
    int offset = 8 * 60;
    if (i < s.size()) {
        if (s[i] == 'Z' && i + 1 == s.size()) {
            offset = 0;
        } else if ((s[i] == '+' || s[i] == '-') && s.size() - i >= 3) {
            int oh = 0, om = 0;
            if (std::sscanf(s.c_str() + i + 1, "%2d:%2d", &oh, &om) < 1 &&
                std::sscanf(s.c_str() + i + 1, "%2d%2d", &oh, &om) < 1)
                return std::nullopt;
            offset = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
        } else {
            return std::nullopt;
        }
    }
    const model::civil_date date{y, mo, d};
    if (!date.valid() || h > 23 || mi > 59 || se > 60) return std::nullopt;
    nlu::reference_time t;
    t.utc_offset_minutes = offset;
    t.unix_seconds = date.to_days() * 86400 + h * 3600 + mi * 60 + se - std::int64_t{offset} * 60;
    return t;
}

nlu::reference_time now_in_china() {
    nlu::reference_time t;
    t.unix_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    t.utc_offset_minutes = 8 * 60;
    return t;
}

std::shared_ptr<const model::tenant_data> load_tenant(const std::string& dir) {
    std::vector<model::data_problem> problems;
    auto data = model::load_tenant_data(dir, problems);
    if (!data) {
        for (const auto& p : problems)
            std::cerr << "tenant: " << p.file << (p.path.empty() ? "" : ": " + p.path) << ": "
                      << p.message << "\n";
        std::cerr << "tenant: continuing without a catalogue (services and villages are not "
                     "recognised)\n";
    }
    return data;
}

json to_json(const model::intent& i) {
    json j;
    j["intent"] = std::string(i.name());
    j["confidence"] = std::round(i.confidence * 1000) / 1000;
    if (i.service) j["service"] = *i.service;
    if (i.date) j["date"] = *i.date;
    if (i.time) j["time"] = *i.time;
    if (i.part) j["part"] = *i.part;
    if (i.score) j["score"] = *i.score;
    if (i.amount) j["amount"] = *i.amount;
    if (i.case_ref) j["case"] = *i.case_ref;
    if (!i.args.empty()) j["args"] = i.args;
    if (i.village) j["village"] = *i.village;
    if (i.choice) j["choice"] = *i.choice;
    if (i.confirm) j["confirm"] = *i.confirm;
    if (!i.alternatives.empty()) {
        json alts = json::array();
        for (const auto& [name, p] : i.alternatives)
            alts.push_back({{"intent", std::string(daiban::model::name_of(name))},
                            {"confidence", std::round(p * 1000) / 1000}});
        j["alternatives"] = alts;
    }
    if (i.traditional) j["traditional"] = true;
    return j;
}

struct options {
    std::vector<std::string> positional;
    std::optional<nlu::reference_time> now;
    std::string tenant = "deploy/tenants/demo";
    std::optional<double> min_accuracy;
};

// Returns false (after printing usage) on an unknown option or a bad value.
bool parse_options(int argc, char** argv, int from, options& o) {
    for (int i = from; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        if (a == "--now") {
            const char* v = value();
            if (!v || !(o.now = parse_iso8601(v))) {
                std::cerr << "nlu: --now needs an ISO 8601 time like 2026-11-18T10:00:00+08:00\n";
                usage();
                return false;
            }
        } else if (a == "--tenant") {
            const char* v = value();
            if (!v) return usage(), false;
            o.tenant = v;
        } else if (a == "--min-accuracy") {
            const char* v = value();
            char* end = nullptr;
            if (!v || (o.min_accuracy = std::strtod(v, &end), end == v || *end != '\0')) {
                std::cerr << "nlu: --min-accuracy needs a number\n";
                usage();
                return false;
            }
        } else if (a.size() > 2 && a.rfind("--", 0) == 0) {
            std::cerr << "nlu: unknown option " << a << "\n";
            usage();
            return false;
        } else {
            o.positional.push_back(a);
        }
    }
    return true;
}

int cmd_parse(const options& o) {
    if (o.positional.size() != 1) return usage(), 2;
    nlu::engine e(load_tenant(o.tenant));
    const auto i = e.parse(o.positional[0], o.now.value_or(now_in_china()));
    json j = to_json(i);
    j["normalized"] = i.normalized;
    std::cout << j.dump() << "\n";
    return 0;
}

// The labelled fields of DESIGN §3 that eval compares.
constexpr const char* eval_fields[] = {"intent", "service", "date", "time",   "part",
                                       "score",  "amount",  "case", "village"};

bool same(const json& expected, const json& got) {
    if (got.is_null()) return false;
    if (expected.is_number() && got.is_number())
        return std::fabs(expected.get<double>() - got.get<double>()) < 0.005;
    if (expected.is_string() && got.is_number()) return expected.get<std::string>() == got.dump();
    if (expected.is_number() && got.is_string()) return expected.dump() == got.get<std::string>();
    return expected == got;
}

int cmd_eval(const options& o) {
    if (o.positional.size() != 1) return usage(), 2;
    std::ifstream in(o.positional[0]);
    if (!in) {
        std::cerr << "nlu eval: cannot read " << o.positional[0] << "\n";
        return 1;
    }
    nlu::engine e(load_tenant(o.tenant));
    const auto now = o.now.value_or(now_in_china());
    struct tally {
        int n = 0, ok = 0;
    };
    std::map<std::string, tally> per_field;
    int rows = 0, rows_ok = 0;
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        json row;
        try {
            row = json::parse(line);
        } catch (const std::exception& ex) {
            std::cerr << o.positional[0] << ":" << line_no << ": bad JSON: " << ex.what() << "\n";
            return 1;
        }
        if (!row.contains("text") || !row["text"].is_string()) {
            std::cerr << o.positional[0] << ":" << line_no << ": no \"text\"\n";
            return 1;
        }
        const auto text = row["text"].get<std::string>();
        const json got = to_json(e.parse(text, now));
        ++rows;
        bool all = true;
        json misses = json::object();
        for (const char* f : eval_fields) {
            if (!row.contains(f)) continue;
            auto& t = per_field[f];
            ++t.n;
            const json g = got.contains(f) ? got[f] : json();
            if (same(row[f], g)) {
                ++t.ok;
            } else {
                all = false;
                misses[f] = {{"expected", row[f]}, {"got", g}};
            }
        }
        if (all) {
            ++rows_ok;
        } else {
            json miss = {{"miss", text}, {"fields", misses}, {"parse", got}};
            std::cout << miss.dump() << "\n";
        }
    }
    auto ratio = [](int a, int b) { return b ? std::round(10000.0 * a / b) / 10000 : 0.0; };
    json summary;
    summary["rows"] = rows;
    summary["accuracy"] = ratio(rows_ok, rows);
    summary["fields"] = json::object();
    for (const auto& [f, t] : per_field)
        summary["fields"][f] = {{"n", t.n}, {"acc", ratio(t.ok, t.n)}};
    std::cout << summary.dump() << "\n";
    if (o.min_accuracy && (rows == 0 || static_cast<double>(rows_ok) / rows < *o.min_accuracy)) {
        std::cerr << "nlu eval: accuracy " << summary["accuracy"] << " below --min-accuracy "
                  << *o.min_accuracy << "\n";
        return 1;
    }
    return 0;
}

// 1,000 services with made-up names and aliases, to time the automaton build.
std::shared_ptr<const model::tenant_data> synthetic_tenant(int services) {
    static constexpr const char* syllables[] = {
        "农", "医", "保", "险", "补", "贴", "证", "明", "登", "记", "申", "请", "救", "助",
        "养", "老", "金", "户", "口", "土", "地", "房", "屋", "残", "疾", "低", "就", "业",
        "社", "会", "生", "育", "法", "律", "援", "丧", "葬", "高", "龄", "津", "危", "改"};
    constexpr int ns = sizeof(syllables) / sizeof(syllables[0]);
    auto data = std::make_shared<model::tenant_data>();
    unsigned x = 12345;
    auto rnd = [&] { return x = x * 1103515245u + 12345u, (x >> 16) % ns; };
    for (int i = 0; i < services; ++i) {
        model::service_item s;
        s.id = "svc_" + std::to_string(i);
        for (int k = 0; k < 6; ++k)
            s.name += syllables[rnd()];
        s.name += "（";
        for (int k = 0; k < 4; ++k)
            s.name += syllables[rnd()];
        s.name += "）";
        for (int a = 0; a < 3; ++a) {
            std::string alias;
            for (int k = 0; k < 4; ++k)
                alias += syllables[rnd()];
            s.aliases.push_back(alias);
        }
        data->catalog_.services.push_back(std::move(s));
    }
    return data;
}

int cmd_bench(const options& o) {
    if (!o.positional.empty()) return usage(), 2;
    using clock = std::chrono::steady_clock;
    auto tenant = load_tenant(o.tenant);
    const auto t0 = clock::now();
    nlu::engine e(tenant); // first engine: trains the shared classifier too
    const double startup_ms = std::chrono::duration<double, std::milli>(clock::now() - t0).count();

    auto synthetic = synthetic_tenant(1000);
    std::vector<double> builds;
    for (int r = 0; r < 5; ++r) {
        const auto b0 = clock::now();
        nlu::engine big(synthetic);
        builds.push_back(std::chrono::duration<double, std::milli>(clock::now() - b0).count());
    }
    std::sort(builds.begin(), builds.end());

    static constexpr const char* messages[] = {"我妈住院了，想办民政二次救助",
                                               "后天上午能去办吗",
                                               "幫我補辦戶口本",
                                               "钱转给代理员了，一共三百五",
                                               "下周三下午3点可以吗",
                                               "低保需要什么材料",
                                               "接单 12",
                                               "#7 办好了",
                                               "满意",
                                               "我是黄花岭村的",
                                               "社保卡丢了怎么补办",
                                               "代理员电话一直打不通😡",
                                               "明早8点半过去办可以不",
                                               "进度查询",
                                               "着火了，村东头",
                                               "２０２６年３月３号上午十点半",
                                               "提个建议，能不能周末也开门",
                                               "菜单",
                                               "我的事办到哪一步了",
                                               "把预约改成12月2号上午"};
    const auto now = o.now.value_or(now_in_china());
    std::vector<double> us;
    const int rounds = 300;
    us.reserve(rounds * std::size(messages));
    std::size_t sink = 0;
    for (int r = 0; r < rounds; ++r)
        for (const char* m : messages) {
            const auto a = clock::now();
            auto i = e.parse(m, now);
            us.push_back(std::chrono::duration<double, std::micro>(clock::now() - a).count());
            sink += i.name().size();
        }
    std::sort(us.begin(), us.end());
    auto pct = [&](double p) { return us[static_cast<std::size_t>(p * (us.size() - 1))]; };
    json j = {
        {"messages", us.size()},
        {"median_us", std::round(pct(0.5) * 100) / 100},
        {"p99_us", std::round(pct(0.99) * 100) / 100},
        {"automaton_build_ms_1000_services", std::round(builds[builds.size() / 2] * 100) / 100},
        {"engine_startup_ms", std::round(startup_ms * 10) / 10}};
    std::cout << "parse: median " << j["median_us"] << " us, p99 " << j["p99_us"]
              << " us per message (" << us.size() << " messages)\n"
              << "automaton for 1000 synthetic services built in "
              << j["automaton_build_ms_1000_services"] << " ms (median of 5)\n"
              << "first engine (incl. classifier training) " << j["engine_startup_ms"] << " ms\n"
              << j.dump() << "\n";
    return sink == 0 ? 1 : 0;
}

// fastText's input format for one example: "__label__X" then the text's characters, one per
// token, so that fastText's word n-grams are the character n-grams our classifier uses.
std::string fasttext_line(const std::string& label, std::u32string_view text) {
    std::string line = "__label__" + label;
    for (const char32_t c : text) {
        if (c == U' ' || c == U'\t' || c == U'\n' || c == U'\r') continue;
        line += ' ';
        line += utf8::encode(std::u32string_view(&c, 1));
    }
    return line;
}

// `daiban nlu export DIR FILE.jsonl`: the statistical layer's training set and FILE's rows, in
// the form it reads them, as fastText files (DIR/train.txt, DIR/test.txt) — so that another
// classifier can be trained and tested on exactly what ours sees (deploy/nlu_fasttext.sh). Prints
// our classifier's own intent accuracy on FILE, read the same way, to compare with.
int cmd_export(const options& o) {
    if (o.positional.size() != 2) return usage(), 2;
    const std::string dir = o.positional[0];
    std::ifstream in(o.positional[1]);
    if (!in) {
        std::cerr << "nlu export: cannot read " << o.positional[1] << "\n";
        return 1;
    }
    std::ofstream train(dir + "/train.txt"), test(dir + "/test.txt");
    if (!train || !test) {
        std::cerr << "nlu export: cannot write into " << dir << " (does it exist?)\n";
        return 1;
    }
    int examples = 0;
    for (const auto& ex : nlu::classifier_training_set()) {
        train << fasttext_line(ex.label, ex.text) << "\n";
        ++examples;
    }
    nlu::engine e(load_tenant(o.tenant));
    const auto now = o.now.value_or(now_in_china());
    int rows = 0, right = 0;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.empty()) continue;
        json row;
        try {
            row = json::parse(line);
        } catch (const std::exception& ex) {
            std::cerr << o.positional[1] << ":" << n << ": not JSON: " << ex.what() << "\n";
            return 1;
        }
        if (!row.contains("text") || !row.contains("intent")) {
            std::cerr << o.positional[1] << ":" << n << ": needs \"text\" and \"intent\"\n";
            return 1;
        }
        const auto input = e.classifier_input(row["text"].get<std::string>(), now);
        const auto label = row["intent"].get<std::string>();
        test << fasttext_line(label, input) << "\n";
        ++rows;
        if (e.classify_only(input).first == label) ++right;
    }
    std::cout << "exported " << examples << " training examples and " << rows << " rows to " << dir
              << "\n"
              << "n-gram logistic regression (ours), classifier alone: intent accuracy "
              << (rows ? static_cast<double>(right) / rows : 0.0) << " (" << right << "/" << rows
              << ")\n";
    return 0;
}

} // namespace

int run_nlu(int argc, char** argv) {
    if (argc < 2) return usage(), 2;
    const std::string sub = argv[1];
    options o;
    if (!parse_options(argc, argv, 2, o)) return 2;
    if (sub == "parse") return cmd_parse(o);
    if (sub == "eval") return cmd_eval(o);
    if (sub == "bench") return cmd_bench(o);
    if (sub == "export") return cmd_export(o);
    std::cerr << "nlu: unknown subcommand " << sub << "\n";
    usage();
    return 2;
}

} // namespace daiban::bot::cli
