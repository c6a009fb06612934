// Unit: the demo tenant's data loads clean, and broken tenant data is reported the way an
// operator running `daiban check` needs it: every problem, with file and JSON path.
#include "model/tenant_data.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>

using namespace daiban::model;
using nlohmann::json;

namespace {

const std::string demo_dir = DAIBAN_SOURCE_DIR "/deploy/tenants/demo";

// A fresh directory under the system temp dir, removed with the object.
struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() /
               ("daiban-data-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
    }
    std::string str() const { return path.string(); }
};

// The smallest tenant that is valid; each broken case below changes one thing.
json small_catalog() {
    return json::parse(R"({
      "version": "t1",
      "services": [
        {"id": "medical_reimburse", "name": "医疗费用报销", "aliases": ["看病报销"], "category": "医保",
         "level": "township", "mode": "proxy", "time_limit_days": 20, "fee": "免费", "process": "交材料",
         "office": "town_a",
         "materials": [{"id": "id_card", "name": "身份证", "kind": "photo", "count": 2},
                       {"id": "invoice", "name": "发票", "kind": "original"}]},
        {"id": "id_card", "name": "身份证换领", "category": "户籍", "level": "county", "mode": "accompany",
         "time_limit_days": 20, "fee": "20元", "process": "本人到场", "office": "county_police",
         "materials": [{"id": "hukou_book", "name": "户口簿", "kind": "photo"}]}
      ],
      "offices": [
        {"id": "town_a", "name": "甲镇便民服务中心", "address": "甲镇1号", "phone": "024-87121001",
         "hours": {"mon": ["08:30-11:30", "13:30-17:00"], "sat": []}, "slot_minutes": 30, "capacity": 3,
         "closed": ["2026-12-31"], "service_days": ["mon"]},
        {"id": "county_police", "name": "县公安局户政窗口", "address": "县城", "phone": "024-87100110",
         "hours": {"tue": ["09:00-12:00"]}}
      ]})");
}

json small_org() {
    return json::parse(R"({
      "townships": [{"id": "a", "name": "甲镇", "supervisor": "a_sup", "group": "g_a", "office": "town_a"}],
      "villages": [{"id": "v1", "name": "一村", "aliases": ["一"], "township": "a",
                    "agents": ["a_v1_1", "a_v1_2"], "group": "g_v1"}],
      "agents": [
        {"id": "a_sup", "name": "王镇", "phone": "13900000001", "role": "township", "ids": {"hook": "u_sup"}},
        {"id": "a_v1_1", "name": "李村", "phone": "13900000002", "role": "village",
         "ids": {"hook": "u_v1_1", "wechat": "o_v1_1"}},
        {"id": "a_v1_2", "name": "赵村", "phone": "13900000003", "role": "village", "ids": {"hook": "u_v1_2"}},
        {"id": "a_admin", "name": "韩县", "phone": "13900000004", "role": "county", "ids": {"hook": "u_admin"}}
      ],
      "county_admin": "a_admin", "county_group": "g_county"})");
}

struct loaded {
    std::shared_ptr<const tenant_data> data;
    std::vector<data_problem> problems;
};

loaded load(const temp_dir& dir, const json& catalog, const json& org) {
    dir.write("catalog.json", catalog.dump(2));
    dir.write("org.json", org.dump(2));
    loaded out;
    out.data = load_tenant_data(dir.str(), out.problems);
    return out;
}

std::string describe(const std::vector<data_problem>& problems) {
    std::string s;
    for (const auto& p : problems)
        s += p.file + " | " + p.path + " | " + p.message + "\n";
    return s;
}

// Whether some problem is in `file_name` at exactly `path` and its message contains `words`.
bool has_problem(const std::vector<data_problem>& problems,
                 const std::string& file_name,
                 const std::string& path,
                 const std::string& words) {
    for (const auto& p : problems)
        if (std::filesystem::path(p.file).filename() == file_name && p.path == path &&
            p.message.find(words) != std::string::npos)
            return true;
    return false;
}

} // namespace

TEST_CASE("the demo tenant loads without problems", "[unit][data]") {
    std::vector<data_problem> problems;
    const auto data = load_tenant_data(demo_dir, problems);
    INFO(describe(problems));
    REQUIRE(problems.empty());
    REQUIRE(data);

    SECTION("it has exactly the 21 service items of domain.md") {
        const std::set<std::string> expected = {
            "medical_reimburse", "medical_relief",   "pension_enroll",   "pension_claim",
            "land_insurance",    "hukou_reissue",    "id_card",          "dibao",
            "disaster_relief",   "unemployment_reg", "disability_cert",  "birth_service",
            "legal_aid",         "party_transfer",   "housing_repair",   "farm_subsidy",
            "land_dispute",      "elder_allowance",  "business_license", "social_security_card",
            "funeral_subsidy"};
        std::set<std::string> ids;
        for (const auto& s : data->catalog_.services)
            ids.insert(s.id);
        CHECK(ids == expected);
        CHECK(data->catalog_.services.size() == 21);
    }

    SECTION("every item has aliases and materials, and no alias points at two items") {
        std::map<std::string, std::string> owner;
        for (const auto& s : data->catalog_.services) {
            INFO(s.id);
            CHECK(s.aliases.size() >= 5);
            CHECK(!s.materials.empty());
            CHECK(s.time_limit_days > 0);
            for (const auto& a : s.aliases) {
                auto [it, fresh] = owner.emplace(a, s.id);
                INFO("alias " << a << " also belongs to " << it->second);
                CHECK((fresh || it->second == s.id));
            }
        }
    }

    SECTION("items needing the resident in person are 领办") {
        CHECK(data->catalog_.find_service("id_card")->mode == "accompany");
        CHECK(data->catalog_.find_service("business_license")->mode == "accompany");
        CHECK(data->catalog_.find_service("medical_reimburse")->mode == "proxy");
    }

    SECTION("the same document has the same material id across items") {
        const auto* reimburse = data->catalog_.find_service("medical_reimburse");
        const auto* relief = data->catalog_.find_service("medical_relief");
        auto ids = [](const service_item* s) {
            std::set<std::string> out;
            for (const auto& m : s->materials)
                out.insert(m.id);
            return out;
        };
        for (const char* id : {"id_card", "invoice", "discharge_summary", "bank_card"}) {
            CHECK(ids(reimburse).count(id) == 1);
            CHECK(ids(relief).count(id) == 1);
        }
    }

    SECTION("the 8 demo villages, each with its township, agents and group") {
        const std::map<std::string, std::string> expected = {
            {"黄花岭村", "法库镇"}, {"十家子村", "包家屯镇"}, {"五里山村", "秀水河子镇"},
            {"竹园村", "四季镇"},   {"长梁村", "四季镇"},     {"杜坝村", "佐龙镇"},
            {"德胜村", "民主镇"},   {"后翟村", "梁村乡"}};
        std::map<std::string, std::string> got;
        std::set<std::string> groups;
        for (const auto& v : data->org_.villages) {
            INFO(v.name);
            const auto* t = data->org_.find_township(v.township);
            REQUIRE(t);
            got[v.name] = t->name;
            REQUIRE(!v.agents.empty());
            const auto* contact = data->org_.find_agent(v.agents.front());
            REQUIRE(contact);
            CHECK(contact->role == "village");
            CHECK(!v.group.empty());
            CHECK(groups.insert(v.group).second);
        }
        CHECK(got == expected);
        CHECK(data->org_.townships.size() == 7);
        const auto ds = std::find_if(data->org_.villages.begin(), data->org_.villages.end(),
                                     [](const village& v) { return v.name == "德胜村"; });
        REQUIRE(ds != data->org_.villages.end());
        CHECK(std::count(ds->aliases.begin(), ds->aliases.end(), "德胜村四组") == 1);
    }

    SECTION("an agent is found by the id a chat platform gives") {
        const auto* a = data->org_.agent_by_platform_id("hook", "u_agent_hhl_1");
        REQUIRE(a);
        CHECK(data->org_.find_village("hhl")->agents.front() == a->id);
        CHECK(data->org_.agent_by_platform_id("hook", "u_nobody") == nullptr);
    }

    SECTION("township items go to the resident's township hall, county items to the county") {
        const auto* reimburse = data->catalog_.find_service("medical_reimburse");
        const auto* wls = data->org_.find_village("wls"); // 五里山村, 秀水河子镇 (seed 000)
        REQUIRE(wls);
        CHECK(data->office_for(*reimburse, wls->township)->name == "秀水河子镇便民服务中心");
        const auto* id_card = data->catalog_.find_service("id_card");
        CHECK(data->office_for(*id_card, wls->township)->name == "县公安局户政窗口");
        CHECK(data->office_for(*reimburse, "")->id == reimburse->office);
    }

    SECTION("梁村乡 holds its centralised service on Wednesdays (seed 001)") {
        const auto* lc = data->catalog_.find_office(data->org_.find_township("lc")->office);
        REQUIRE(lc);
        CHECK(lc->service_days == std::vector<std::string>{"wed"});
    }
}

TEST_CASE("a small valid tenant loads — and its fields are read", "[unit][data]") {
    temp_dir dir;
    const auto r = load(dir, small_catalog(), small_org());
    INFO(describe(r.problems));
    REQUIRE(r.problems.empty());
    REQUIRE(r.data);
    const auto* s = r.data->catalog_.find_service("medical_reimburse");
    REQUIRE(s);
    CHECK(s->materials.at(0).count == 2);
    CHECK(s->materials.at(1).count == 1); // default when absent
    CHECK(s->time_limit_days == 20);
    const auto* police = r.data->catalog_.find_office("county_police");
    CHECK(police->slot_minutes == 30); // defaults
    CHECK(police->capacity == 3);
    CHECK(r.data->catalog_.find_office("town_a")->closed == std::vector<std::string>{"2026-12-31"});
    CHECK(r.data->org_.find_village("v1")->agents.size() == 2);
    CHECK(r.data->org_.county_admin == "a_admin");
}

TEST_CASE("duplicate ids are reported where the second one is", "[unit][data]") {
    temp_dir dir;
    auto catalog = small_catalog();
    catalog["services"][1]["id"] = "medical_reimburse";
    catalog["services"][0]["materials"][1]["id"] = "id_card";
    catalog["offices"][1]["id"] = "town_a";
    auto org = small_org();
    org["agents"][2]["id"] = "a_v1_1";
    org["townships"].push_back(org["townships"][0]);
    org["villages"].push_back(org["villages"][0]);
    org["villages"][1]["name"] = "二村";
    org["villages"][1]["group"] = "g_v2";
    const auto r = load(dir, catalog, org);
    INFO(describe(r.problems));
    CHECK(r.data == nullptr);
    CHECK(has_problem(r.problems, "catalog.json", "services[1].id", "duplicate service id"));
    CHECK(has_problem(r.problems, "catalog.json", "services[0].materials[1].id",
                      "duplicate material id 'id_card'"));
    CHECK(has_problem(r.problems, "catalog.json", "offices[1].id", "duplicate office id"));
    CHECK(has_problem(r.problems, "org.json", "agents[2].id", "duplicate agent id"));
    CHECK(has_problem(r.problems, "org.json", "townships[1].id", "duplicate township id"));
    CHECK(has_problem(r.problems, "org.json", "townships[1].group", "duplicate group id"));
    CHECK(has_problem(r.problems, "org.json", "villages[1].id", "duplicate village id"));
}

TEST_CASE("two agents with the same platform id are reported", "[unit][data]") {
    temp_dir dir;
    auto org = small_org();
    org["agents"][2]["ids"]["hook"] = "u_v1_1";
    const auto r = load(dir, small_catalog(), org);
    INFO(describe(r.problems));
    CHECK(r.data == nullptr);
    CHECK(has_problem(r.problems, "org.json", "agents[2].ids.hook",
                      "duplicate hook platform id 'u_v1_1'"));
}

TEST_CASE("broken references name the missing target", "[unit][data]") {
    temp_dir dir;
    auto catalog = small_catalog();
    catalog["services"][0]["office"] = "town_x";
    auto org = small_org();
    org["villages"][0]["township"] = "zz";
    org["villages"][0]["agents"][1] = "a_ghost";
    org["townships"][0]["supervisor"] = "a_nobody";
    org["townships"][0]["office"] = "town_y";
    org["county_admin"] = "a_boss";
    const auto r = load(dir, catalog, org);
    INFO(describe(r.problems));
    CHECK(r.data == nullptr);
    CHECK(has_problem(r.problems, "catalog.json", "services[0].office", "unknown office 'town_x'"));
    CHECK(has_problem(r.problems, "org.json", "villages[0].township", "unknown township 'zz'"));
    CHECK(has_problem(r.problems, "org.json", "villages[0].agents[1]", "unknown agent 'a_ghost'"));
    CHECK(has_problem(r.problems, "org.json", "townships[0].supervisor", "unknown agent"));
    CHECK(has_problem(r.problems, "org.json", "townships[0].office", "unknown office 'town_y'"));
    CHECK(has_problem(r.problems, "org.json", "county_admin", "unknown agent 'a_boss'"));
    CHECK(r.problems.size() == 6); // each once, nothing else
}

TEST_CASE("an item without materials and a village without agents are refused", "[unit][data]") {
    temp_dir dir;
    auto catalog = small_catalog();
    catalog["services"][1]["materials"] = json::array();
    auto org = small_org();
    org["villages"][0]["agents"] = json::array();
    const auto r = load(dir, catalog, org);
    INFO(describe(r.problems));
    CHECK(r.data == nullptr);
    CHECK(has_problem(r.problems, "catalog.json", "services[1].materials",
                      "an item needs at least one material"));
    CHECK(has_problem(r.problems, "org.json", "villages[0].agents",
                      "a village needs at least one agent"));
}

TEST_CASE("bad values are reported field by field", "[unit][data]") {
    temp_dir dir;
    auto catalog = small_catalog();
    auto& s = catalog["services"][0];
    s["level"] = "province";
    s["mode"] = "daiban";
    s["time_limit_days"] = 0;
    s["materials"][0]["kind"] = "video";
    s["materials"][0]["count"] = -1;
    s.erase("name");
    catalog["services"][1]["time_limit_days"] = "20";
    auto& o = catalog["offices"][0];
    o["hours"]["mon"] = {"8:30-11:30", "13:30-12:00"};
    o["hours"]["tus"] = json::array();
    o["closed"] = {"2026-13-01"};
    o["slot_minutes"] = 0;
    o["capacity"] = 2.5;
    o["service_days"] = {"wed"};
    const auto r = load(dir, catalog, small_org());
    INFO(describe(r.problems));
    CHECK(r.data == nullptr);
    CHECK(has_problem(r.problems, "catalog.json", "services[0].level", "unknown level"));
    CHECK(has_problem(r.problems, "catalog.json", "services[0].mode", "unknown mode"));
    CHECK(
        has_problem(r.problems, "catalog.json", "services[0].time_limit_days", "must be positive"));
    CHECK(has_problem(r.problems, "catalog.json", "services[0].materials[0].kind",
                      "unknown kind 'video'"));
    CHECK(has_problem(r.problems, "catalog.json", "services[0].materials[0].count",
                      "must be positive"));
    CHECK(has_problem(r.problems, "catalog.json", "services[0].name", "missing required field"));
    CHECK(has_problem(r.problems, "catalog.json", "services[1].time_limit_days",
                      "must be a whole number"));
    CHECK(has_problem(r.problems, "catalog.json", "offices[0].hours.mon[0]", "malformed period"));
    CHECK(has_problem(r.problems, "catalog.json", "offices[0].hours.mon[1]", "malformed period"));
    CHECK(has_problem(r.problems, "catalog.json", "offices[0].hours.tus", "unknown weekday"));
    CHECK(has_problem(r.problems, "catalog.json", "offices[0].closed[0]", "malformed date"));
    CHECK(has_problem(r.problems, "catalog.json", "offices[0].slot_minutes", "must be positive"));
    CHECK(has_problem(r.problems, "catalog.json", "offices[0].capacity", "must be a whole number"));
    CHECK(has_problem(r.problems, "catalog.json", "offices[0].service_days[0]", "no hours on wed"));
}

TEST_CASE("bad JSON is reported with its line and column — and the other file is still checked",
          "[unit][data]") {
    temp_dir dir;
    auto org = small_org();
    org["villages"][0]["township"] = "zz";
    dir.write("catalog.json", "{\n  \"version\": \"t1\",\n  \"services\": [,]\n}\n");
    dir.write("org.json", org.dump(2));
    std::vector<data_problem> problems;
    CHECK(load_tenant_data(dir.str(), problems) == nullptr);
    INFO(describe(problems));
    CHECK(has_problem(problems, "catalog.json", "", "invalid JSON at line 3, column 16"));
    CHECK(has_problem(problems, "org.json", "villages[0].township", "unknown township"));
}

TEST_CASE("missing files and a wrong top-level type are reported", "[unit][data]") {
    temp_dir dir;
    dir.write("catalog.json", "[]");
    std::vector<data_problem> problems;
    CHECK(load_tenant_data(dir.str(), problems) == nullptr);
    INFO(describe(problems));
    CHECK(has_problem(problems, "catalog.json", "", "must be an object"));
    CHECK(has_problem(problems, "org.json", "", "cannot read file"));
}

TEST_CASE("office periods parse strictly", "[unit][data]") {
    CHECK(parse_period("08:30-11:30") == time_period{510, 690});
    CHECK(parse_period("13:30-24:00") == time_period{810, 1440});
    CHECK_FALSE(parse_period("8:30-11:30"));
    CHECK_FALSE(parse_period("11:30-08:30"));
    CHECK_FALSE(parse_period("09:00-09:00"));
    CHECK_FALSE(parse_period("09:60-10:00"));
    CHECK_FALSE(parse_period("09:00~10:00"));
}

TEST_CASE("households load with their contact cadre and the head's accounts",
          "[unit][data][households]") {
    temp_dir dir;
    auto org = small_org();
    org["households"] = json::parse(R"([
      {"id": "h1", "head": "王德福", "village": "v1", "contact": "a_v1_2", "ids": {"hook": "u_wang"}},
      {"id": "h2", "head": "赵长山", "village": "v1", "phone": "13900000009"}])");
    const auto r = load(dir, small_catalog(), org);
    INFO(describe(r.problems));
    REQUIRE(r.data);
    const auto& o = r.data->org_;
    REQUIRE(o.households.size() == 2);
    const auto* wang = o.household_by_platform_id("hook", "u_wang");
    REQUIRE(wang);
    CHECK(wang->head == "王德福");
    CHECK_FALSE(o.household_by_platform_id("wechat", "u_wang"));
    const auto& v1 = *o.find_village("v1");
    // The household's contact cadre first, the village's first agent otherwise.
    CHECK(o.contact_agent(v1, wang)->id == "a_v1_2");
    CHECK(o.contact_agent(v1, o.find_household("h2"))->id == "a_v1_1");
    CHECK(o.contact_agent(v1, nullptr)->id == "a_v1_1");
}

TEST_CASE("broken households name file and field and fix", "[unit][data][households]") {
    temp_dir dir;
    auto org = small_org();
    org["households"] = json::parse(R"([
      {"id": "h1", "head": "王德福", "village": "v9", "contact": "a_ghost", "ids": {"hook": "u_wang"}},
      {"id": "h1", "head": "刘玉兰", "village": "v1", "ids": {"hook": "u_wang", "qq": "1"}},
      {"id": "h3", "village": "v1", "phone": "call me"}])");
    const auto r = load(dir, small_catalog(), org);
    INFO(describe(r.problems));
    CHECK(r.data == nullptr);
    CHECK(has_problem(r.problems, "org.json", "households[0].village",
                      "unknown village 'v9'; add it to villages or use one of: v1"));
    CHECK(has_problem(r.problems, "org.json", "households[0].contact",
                      "unknown contact agent 'a_ghost'; add it to agents"));
    CHECK(has_problem(r.problems, "org.json", "households[1].id", "duplicate household id 'h1'"));
    CHECK(has_problem(r.problems, "org.json", "households[1].ids.hook",
                      "duplicate household hook account id 'u_wang'"));
    CHECK(has_problem(r.problems, "org.json", "households[1].ids.qq", "unknown channel 'qq'"));
    CHECK(has_problem(r.problems, "org.json", "households[2].head", "missing required field"));
    CHECK(has_problem(r.problems, "org.json", "households[2].phone", "malformed phone number"));
}

TEST_CASE("time limits are optional and checked", "[unit][data]") {
    temp_dir dir;
    auto org = small_org();
    {
        const auto r = load(dir, small_catalog(), org);
        REQUIRE(r.data);
        CHECK(r.data->org_.limits.complaint_days == 5); // the defaults
        CHECK(r.data->org_.limits.emergency_county_minutes == 30);
    }
    org["time_limits"] = json::parse(R"({"complaint_days": 7, "emergency_township_minutes": 15})");
    {
        const auto r = load(dir, small_catalog(), org);
        REQUIRE(r.data);
        CHECK(r.data->org_.limits.complaint_days == 7);
        CHECK(r.data->org_.limits.suggestion_days == 10);
        CHECK(r.data->org_.limits.emergency_township_minutes == 15);
    }
    org["time_limits"] =
        json::parse(R"({"complaint_day": 7, "suggestion_days": 0, "emergency_county_minutes": 5})");
    const auto r = load(dir, small_catalog(), org);
    INFO(describe(r.problems));
    CHECK(r.data == nullptr);
    CHECK(has_problem(r.problems, "org.json", "time_limits.complaint_day", "unknown key"));
    CHECK(has_problem(r.problems, "org.json", "time_limits.suggestion_days", "must be positive"));
    CHECK(has_problem(r.problems, "org.json", "time_limits.emergency_county_minutes",
                      "must be later than emergency_township_minutes"));
}
