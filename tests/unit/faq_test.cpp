// Unit: the policy FAQ (model/faq.hpp): faq.json is checked rule by rule the way `daiban check`
// reports it, retrieval finds the entry for questions worded unlike any variant, says "none" to
// what the FAQ does not cover, drops expired entries, and the demo tenant's faq.json loads clean.
#include "common/utf8.hpp"
#include "model/faq.hpp"
#include "model/tenant_data.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

using namespace daiban::model;
using nlohmann::json;

namespace {

const std::string demo_dir = DAIBAN_SOURCE_DIR "/deploy/tenants/demo";
const civil_date today{2026, 12, 5};

// The smallest valid file; each rule's test breaks one thing.
json small_faq() {
    return json::parse(R"({
      "note": "示例数据",
      "entries": [
        {"id": "zjd_sell", "questions": ["宅基地能卖给外村人吗", "宅基地能不能卖"],
         "answer": "宅基地归村集体所有，一般只能在本村内部转让。", "source": "土地管理法第六十二条"},
        {"id": "straw_burning", "questions": ["秸秆能烧吗"], "answer": "不能露天焚烧。",
         "source": "大气污染防治法第七十七条", "valid_until": "2027-12-31"}
      ]})");
}

std::vector<data_problem> problems_of(const json& root) {
    std::vector<data_problem> problems;
    read_faq(root, "faq.json", problems);
    return problems;
}

std::string describe(const std::vector<data_problem>& problems) {
    std::string s;
    for (const auto& p : problems)
        s += p.file + " | " + p.path + " | " + p.message + "\n";
    return s;
}

// Whether some problem is at exactly `path` and its message contains every one of `words`.
bool has_problem(const std::vector<data_problem>& problems,
                 const std::string& path,
                 std::initializer_list<std::string> words) {
    for (const auto& p : problems) {
        if (p.path != path) continue;
        bool all = true;
        for (const auto& w : words)
            all = all && p.message.find(w) != std::string::npos;
        if (all) return true;
    }
    return false;
}

faq_entry entry(std::string id, std::vector<std::string> questions) {
    return {id, std::move(questions), "答案", "出处", std::nullopt};
}

// A fresh directory under the system temp dir, removed with the object.
struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() /
               ("daiban-faq-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

std::shared_ptr<const tenant_data> load_demo() {
    std::vector<data_problem> problems;
    auto data = load_tenant_data(demo_dir, problems);
    INFO(describe(problems));
    REQUIRE(problems.empty());
    REQUIRE(data);
    return data;
}

struct labelled {
    const char* question;
    const char* entry_id; // nullptr: the FAQ does not cover it
};

// The questions the scoring and the thresholds in faq.cpp were chosen on: two paraphrases per
// entry and off-topic messages (first round), then one or two more per entry and more off-topic
// messages (second round, after which the offer threshold was raised). None copies a variant.
const labelled tuning_set[] = {
    {"农村的宅基地可以买卖吗", "zjd_sell"},
    {"外村的人想买我家房子能卖不", "zjd_sell"},
    {"想盖新房要申请宅基地咋弄", "zjd_apply"},
    {"分家了宅基地能批下来吗", "zjd_apply"},
    {"父母过世老宅子归谁", "zjd_inherit"},
    {"宅基地子女能不能继承", "zjd_inherit"},
    {"农村宅子能不能办不动产证", "zjd_certificate"},
    {"房产证怎么办理 农村的", "zjd_certificate"},
    {"在承包田里建房子可以吗", "farmland_house"},
    {"地里盖房违法不", "farmland_house"},
    {"国家征地怎么补偿", "land_expropriation"},
    {"修高速占了地给补多少", "land_expropriation"},
    {"承包地合同快到期了", "land_contract_extension"},
    {"土地承包期满了怎么办", "land_contract_extension"},
    {"承包经营权证找不到了", "land_certificate"},
    {"确权证书补办", "land_certificate"},
    {"地租出去要不要签合同", "land_transfer"},
    {"想把承包地流转出去", "land_transfer"},
    {"女儿嫁出去了村里收地吗", "married_women_land"},
    {"媳妇离婚后承包地还有吗", "married_women_land"},
    {"退伍兵有什么待遇", "veteran_benefits"},
    {"我是退役军人能享受啥政策", "veteran_benefits"},
    {"优待证去哪办", "veteran_card"},
    {"怎么申请退役军人优待证", "veteran_card"},
    {"儿子去当兵了家里有优待金吗", "soldier_family"},
    {"参军家属有啥补助", "soldier_family"},
    {"老兵60多了有补贴吗", "veteran_old_age"},
    {"农村退役老兵能领补助不", "veteran_old_age"},
    {"独生子女父母奖励怎么领", "family_planning_reward"},
    {"计划生育奖励金还发吗", "family_planning_reward"},
    {"孩子没了的独生子女家庭有补助吗", "family_planning_special"},
    {"失独老人扶助金", "family_planning_special"},
    {"几岁能领高龄津贴", "elder_allowance_age"},
    {"八十岁老人补贴啥条件", "elder_allowance_age"},
    {"高中生能申请助学金不", "student_grant"},
    {"家庭困难学生有啥资助", "student_grant"},
    {"大学学费贷款去哪申请", "student_loan"},
    {"助学贷款咋办理", "student_loan"},
    {"买收割机国家补贴吗", "farm_machine_subsidy"},
    {"农机购置补贴咋申请", "farm_machine_subsidy"},
    {"玉米秸秆可以烧不", "straw_burning"},
    {"烧秸秆会罚钱吗", "straw_burning"},
    {"地力补贴什么时候到账", "farm_subsidy_payment"},
    {"今年耕地补贴发没发", "farm_subsidy_payment"},
    {"养老保险档次怎么选", "pension_contribution_level"},
    {"新农保交多少合适", "pension_contribution_level"},
    {"养老保险交几年能领", "pension_years"},
    {"养老保险没交够能补吗", "pension_years"},
    {"人去世了养老保险的钱能取出来吗", "pension_inheritance"},
    {"养老保险账户里的钱能继承不", "pension_inheritance"},
    {"残疾人能领啥补贴", "disability_allowance"},
    {"重度残疾有护理补贴吗", "disability_allowance"},
    {"家里遭了火灾能申请救助不", "temporary_relief"},
    {"临时救助去哪申请", "temporary_relief"},
    {"办结婚证去哪", "marriage_registration"},
    {"结婚登记带什么材料", "marriage_registration"},
    {"今天天气咋样", nullptr},
    {"我要办低保", nullptr},
    {"你好", nullptr},
    {"谢谢", nullptr},
    {"身份证丢了咋办", nullptr},
    {"我想预约明天去办事", nullptr},
    {"代理员电话多少", nullptr},
    {"医保报销要啥材料", nullptr},
    {"我家的事办到哪了", nullptr},
    {"你是机器人吗", nullptr},
    {"下冰雹了", nullptr},
    {"给我讲个笑话", nullptr},
    {"我家老宅子能卖给邻村的人不", "zjd_sell"},
    {"宅基地私下买卖合法吗", "zjd_sell"},
    {"我儿子要结婚了能再批一块宅基地盖房不", "zjd_apply"},
    {"申请宅基地需要啥手续", "zjd_apply"},
    {"我爸没了他的老房子我能继承不 我户口在沈阳", "zjd_inherit"},
    {"农村房子有没有房本", "zjd_certificate"},
    {"在大田里起个房子行不行", "farmland_house"},
    {"政府征我家的地补偿标准是啥", "land_expropriation"},
    {"村里修路占了我二亩地有钱吗", "land_expropriation"},
    {"二轮承包快到期了地还是我的吗", "land_contract_extension"},
    {"承包合同到期后咋整", "land_contract_extension"},
    {"土地证丢了去哪补", "land_certificate"},
    {"我的地包给大户种要签啥", "land_transfer"},
    {"土地出租合同去哪备案", "land_transfer"},
    {"姑娘嫁到外地了她的地村里能收回去不", "married_women_land"},
    {"当兵退伍回来有啥好政策", "veteran_benefits"},
    {"退役军人事务找谁问", "veteran_benefits"},
    {"退役军人的优待证咋申请", "veteran_card"},
    {"孩子在部队当兵家里能领优待金不", "soldier_family"},
    {"义务兵家庭有啥优待", "soldier_family"},
    {"我爷当过兵七十多了能领老兵补助吗", "veteran_old_age"},
    {"只生了一个孩子老了国家给钱不", "family_planning_reward"},
    {"独生子女费现在还给吗", "family_planning_reward"},
    {"独生子女没了父母有啥扶助", "family_planning_special"},
    {"我妈今年82了高龄津贴能领不", "elder_allowance_age"},
    {"高龄津贴年龄要求", "elder_allowance_age"},
    {"孩子读中专能减免学费吗", "student_grant"},
    {"上高中的贫困学生有助学金吗", "student_grant"},
    {"考上大学了学费贷款咋办", "student_loan"},
    {"买台玉米收割机能补贴多少", "farm_machine_subsidy"},
    {"农机补贴今年还有没有", "farm_machine_subsidy"},
    {"秋收完秸秆能不能点了", "straw_burning"},
    {"地里烧玉米秆子会被罚吗", "straw_burning"},
    {"今年种地补贴到账没", "farm_subsidy_payment"},
    {"耕地地力补贴啥时候打卡里", "farm_subsidy_payment"},
    {"居民养老保险选哪个档次划算", "pension_contribution_level"},
    {"养老保险交够多少年才能领钱", "pension_years"},
    {"我55了养老保险还能补缴不", "pension_years"},
    {"我爸交的养老保险人走了钱能退吗", "pension_inheritance"},
    {"残疾人护理补贴咋申请", "disability_allowance"},
    {"家里房子失火了能申请啥救助", "temporary_relief"},
    {"要领结婚证去哪个部门", "marriage_registration"},
    {"明天会下雨吗", nullptr},
    {"我想办低保", nullptr},
    {"帮我查下医保报销进度", nullptr},
    {"身份证快到期了", nullptr},
    {"谢谢你啊", nullptr},
    {"在吗", nullptr},
    {"我要投诉村干部", nullptr},
    {"代理员啥时候来我家", nullptr},
    {"社保卡丢了咋办", nullptr},
    {"老乡们吃了吗", nullptr},
};

// Written after every choice in faq.cpp was made, and measured once: none of it was tuned on.
const labelled held_out_set[] = {
    {"你好 我想问下宅基地可以转让给外地人吗", "zjd_sell"},
    {"城里人能买农村的房子不", "zjd_sell"},
    {"家里分户了宅基地咋申请", "zjd_apply"},
    {"盖房子批地去哪个部门", "zjd_apply"},
    {"我妈走了老家的房子咋过户给我们", "zjd_inherit"},
    {"宅基地使用权证怎么办理", "zjd_certificate"},
    {"往耕地上盖房子会被拆吗", "farmland_house"},
    {"征收土地给哪些补偿", "land_expropriation"},
    {"高铁占地补偿款怎么算的", "land_expropriation"},
    {"土地承包30年到期以后还让种吗", "land_contract_extension"},
    {"承包经营权证写错名字了咋改", "land_certificate"},
    {"把承包地租给合作社签几年合适", "land_transfer"},
    {"土地流转费合同怎么写", "land_transfer"},
    {"我离婚了娘家村里的地还有我的份吗", "married_women_land"},
    {"退役士兵回乡有啥政策", "veteran_benefits"},
    {"烈士家属优待证怎么领", "veteran_card"},
    {"优待证补办", "veteran_card"},
    {"当兵的家属每年有优待金吗", "soldier_family"},
    {"老退伍兵有生活补贴不", "veteran_old_age"},
    {"计划生育奖励扶助一年给多少", "family_planning_reward"},
    {"我家两个闺女 老了有补助吗", "family_planning_reward"},
    {"失独老人有什么补助", "family_planning_special"},
    {"独生子女伤残了家里能领扶助金吗", "family_planning_special"},
    {"俺爹今年八十五了有高龄补贴不", "elder_allowance_age"},
    {"高中助学金申请条件", "student_grant"},
    {"娃上大学申请助学贷款要啥", "student_loan"},
    {"大学生贷款在哪儿办", "student_loan"},
    {"买播种机有国家补贴没", "farm_machine_subsidy"},
    {"秸秆焚烧抓到罚多少", "straw_burning"},
    {"玉米秸秆除了烧还能咋处理", "straw_burning"},
    {"地力保护补贴按啥面积发", "farm_subsidy_payment"},
    {"城乡居民养老保险档次有哪些", "pension_contribution_level"},
    {"养老保险最少交几年", "pension_years"},
    {"养老保险断交了几年能补吗", "pension_years"},
    {"人死了养老保险账户的钱给谁", "pension_inheritance"},
    {"残疾人生活补贴咋领", "disability_allowance"},
    {"孩子突然得了重病家里揭不开锅了能救助不", "temporary_relief"},
    {"结婚登记需要带户口本吗", "marriage_registration"},
    {"今天几号了", nullptr},
    {"帮我办个低保", nullptr},
    {"营业执照怎么办", nullptr},
    {"我家住院报销钱到了没", nullptr},
    {"给代理员打个电话", nullptr},
    {"好的知道了", nullptr},
    {"你叫啥名", nullptr},
    {"下大雨房子漏了", nullptr},
    {"户口本丢了咋办", nullptr},
    {"我要预约下周三", nullptr},
};

struct measurement {
    int on_topic = 0, top1 = 0;           // the right entry ranks first
    int answered = 0, answered_wrong = 0; // decision "answer", and of those the wrong ones
    int offered_with_right = 0;           // decision "offer" with the right entry among the choices
    int off_topic = 0, off_topic_none = 0;
    std::vector<std::string> failures;
};

template <std::size_t N>
measurement measure(const faq_index& index, const labelled (&set)[N]) {
    measurement m;
    for (const auto& row : set) {
        const auto hits = index.search(row.question, today);
        const auto decision = classify(hits);
        const std::string top = hits.empty() ? "-" : hits.front().entry->id;
        if (!row.entry_id) {
            ++m.off_topic;
            if (decision.confidence == faq_confidence::none)
                ++m.off_topic_none;
            else
                m.failures.push_back(std::string(row.question) + " -> " + top + " (wanted none)");
            continue;
        }
        ++m.on_topic;
        if (top == row.entry_id)
            ++m.top1;
        else
            m.failures.push_back(std::string(row.question) + " -> " + top + " (wanted " +
                                 row.entry_id + ")");
        if (decision.confidence == faq_confidence::answer) {
            ++m.answered;
            if (decision.hits.front().entry->id != row.entry_id) ++m.answered_wrong;
        }
        if (decision.confidence == faq_confidence::offer)
            for (const auto& h : decision.hits)
                if (h.entry->id == row.entry_id) ++m.offered_with_right;
    }
    return m;
}

std::string report(const char* name, const measurement& m) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "%s: top-1 %d/%d (%.1f%%); answered %d (%d wrong), offered with the right entry "
                  "%d; off-topic none %d/%d",
                  name, m.top1, m.on_topic, 100.0 * m.top1 / m.on_topic, m.answered,
                  m.answered_wrong, m.offered_with_right, m.off_topic_none, m.off_topic);
    std::string s = line;
    for (const auto& f : m.failures)
        s += "\n  " + f;
    return s;
}

} // namespace

// ---- faq.json: one test per rule -------------------------------------------------------------

TEST_CASE("a valid faq file reads without problems", "[unit][faq]") {
    std::vector<data_problem> problems;
    const auto entries = read_faq(small_faq(), "faq.json", problems);
    INFO(describe(problems));
    CHECK(problems.empty());
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].id == "zjd_sell");
    CHECK(entries[0].questions.size() == 2);
    CHECK(!entries[0].valid_until);
    CHECK(entries[1].valid_until == civil_date{2027, 12, 31});
}

TEST_CASE("faq entry ids must be unique", "[unit][faq]") {
    auto faq = small_faq();
    faq["entries"][1]["id"] = "zjd_sell";
    const auto problems = problems_of(faq);
    INFO(describe(problems));
    CHECK(
        has_problem(problems, "entries[1].id",
                    {"duplicate entry id 'zjd_sell'", "first at entries[0].id", "must be unique"}));
    CHECK(problems.size() == 1);
}

TEST_CASE("faq entry ids use only a-z 0-9 and underscore", "[unit][faq]") {
    for (const char* bad : {"Zjd_sell", "zjd-sell", "宅基地", "zjd sell"}) {
        auto faq = small_faq();
        faq["entries"][0]["id"] = bad;
        const auto problems = problems_of(faq);
        INFO(bad << "\n" << describe(problems));
        CHECK(has_problem(problems, "entries[0].id", {"must use only a-z, 0-9 and '_'"}));
    }
    auto faq = small_faq();
    faq["entries"][0].erase("id");
    CHECK(has_problem(problems_of(faq), "entries[0].id", {"missing required field", "short id"}));
}

TEST_CASE("a faq entry needs at least one question", "[unit][faq]") {
    auto faq = small_faq();
    faq["entries"][0]["questions"] = json::array();
    faq["entries"][1].erase("questions");
    const auto problems = problems_of(faq);
    INFO(describe(problems));
    CHECK(has_problem(problems, "entries[0].questions",
                      {"at least one question", "add the way residents ask it"}));
    CHECK(
        has_problem(problems, "entries[1].questions", {"missing required field", "at least one"}));
}

TEST_CASE("faq questions are non-empty strings with something to match on", "[unit][faq]") {
    auto faq = small_faq();
    faq["entries"][0]["questions"] = {"宅基地能卖吗", "", 7, "？？ ……"};
    const auto problems = problems_of(faq);
    INFO(describe(problems));
    CHECK(has_problem(problems, "entries[0].questions[1]", {"must be a non-empty string"}));
    CHECK(has_problem(problems, "entries[0].questions[2]", {"must be a non-empty string"}));
    CHECK(has_problem(problems, "entries[0].questions[3]",
                      {"no Chinese characters, letters or digits", "write the question itself"}));
    CHECK(problems.size() == 3);
}

TEST_CASE("a question belongs to one faq entry only", "[unit][faq]") {
    auto faq = small_faq();
    // The same question once punctuation, spaces and ASCII case are set aside.
    faq["entries"][1]["questions"].push_back("宅基地，能不能 卖？");
    const auto problems = problems_of(faq);
    INFO(describe(problems));
    CHECK(has_problem(
        problems, "entries[1].questions[1]",
        {"duplicate question", "first at entries[0].questions[1]", "keep it in one entry"}));
    CHECK(problems.size() == 1);
}

TEST_CASE("a faq answer is required and not empty", "[unit][faq]") {
    auto faq = small_faq();
    faq["entries"][0]["answer"] = "";
    faq["entries"][1].erase("answer");
    const auto problems = problems_of(faq);
    INFO(describe(problems));
    CHECK(has_problem(problems, "entries[0].answer",
                      {"must not be empty", "the reply residents get"}));
    CHECK(has_problem(problems, "entries[1].answer", {"missing required field"}));
}

TEST_CASE("a faq answer is at most 600 characters not bytes", "[unit][faq]") {
    std::string at_limit;
    for (std::size_t i = 0; i < faq_answer_max_chars; ++i)
        at_limit += "政"; // 3 bytes each: 1800 bytes, 600 characters
    auto faq = small_faq();
    faq["entries"][0]["answer"] = at_limit;
    CHECK(problems_of(faq).empty());
    faq["entries"][0]["answer"] = at_limit + "策";
    const auto problems = problems_of(faq);
    INFO(describe(problems));
    CHECK(has_problem(problems, "entries[0].answer",
                      {"is 601 characters long", "shorten it to at most 600"}));
}

TEST_CASE("a faq source is required and not empty", "[unit][faq]") {
    auto faq = small_faq();
    faq["entries"][0]["source"] = "";
    faq["entries"][1]["source"] = 62;
    const auto problems = problems_of(faq);
    INFO(describe(problems));
    CHECK(has_problem(problems, "entries[0].source", {"must not be empty", "kind of document"}));
    CHECK(has_problem(problems, "entries[1].source", {"must be a string", "not number"}));
}

TEST_CASE("faq valid_until is a real date written YYYY-MM-DD", "[unit][faq]") {
    for (const char* bad : {"2026-02-30", "2026/12/31", "2026-12-1", "明年底"}) {
        auto faq = small_faq();
        faq["entries"][1]["valid_until"] = bad;
        const auto problems = problems_of(faq);
        INFO(bad << "\n" << describe(problems));
        CHECK(has_problem(problems, "entries[1].valid_until",
                          {"malformed date", "write a real date as YYYY-MM-DD"}));
    }
    auto faq = small_faq();
    faq["entries"][1]["valid_until"] = 20271231;
    CHECK(has_problem(problems_of(faq), "entries[1].valid_until",
                      {"must be a string", "YYYY-MM-DD"}));
    faq["entries"][1]["valid_until"] = "2028-02-29"; // a leap day is a real date
    CHECK(problems_of(faq).empty());
}

TEST_CASE("unknown keys in faq.json are problems naming the known ones", "[unit][faq]") {
    auto faq = small_faq();
    faq["entries"][1]["valid_untill"] = faq["entries"][1]["valid_until"];
    faq["entries"][1].erase("valid_until");
    faq["entires"] = json::array();
    const auto problems = problems_of(faq);
    INFO(describe(problems));
    CHECK(has_problem(problems, "entries[1].valid_untill",
                      {"unknown field 'valid_untill'", "valid_until", "check the spelling"}));
    CHECK(has_problem(problems, "entires",
                      {"unknown field 'entires'", "\"entries\"", "check the spelling"}));
    CHECK(problems.size() == 2);
}

TEST_CASE("the top level of faq.json is an object with entries and an optional note",
          "[unit][faq]") {
    CHECK(has_problem(problems_of(json::array()), "", {"must be an object", "not array"}));
    CHECK(has_problem(problems_of(json::object()), "entries",
                      {"missing required field", "[] for none"}));
    CHECK(has_problem(problems_of(json{{"entries", json::object()}}), "entries",
                      {"must be a list", "not object"}));
    CHECK(has_problem(problems_of(json{{"entries", {"宅基地"}}}), "entries[0]",
                      {"must be an object", "not string"}));
    CHECK(has_problem(problems_of(json{{"note", 1}, {"entries", json::array()}}), "note",
                      {"must be a string"}));
    CHECK(problems_of(json{{"entries", json::array()}}).empty()); // an empty FAQ is fine
}

TEST_CASE("faq.json is optional for a tenant and checked when present", "[unit][faq][data]") {
    temp_dir dir;
    for (const char* name : {"catalog.json", "org.json"})
        std::filesystem::copy_file(std::filesystem::path(demo_dir) / name, dir.path / name);

    std::vector<data_problem> problems;
    auto data = load_tenant_data(dir.path.string(), problems);
    INFO(describe(problems));
    REQUIRE(data);
    CHECK(data->faq_.empty());
    CHECK(data->faq_.search("宅基地能卖吗", today).empty());

    auto faq = small_faq();
    faq["entries"][0]["valid_until"] = "2026-13-01";
    std::ofstream(dir.path / "faq.json") << faq.dump(2);
    problems.clear();
    data = load_tenant_data(dir.path.string(), problems);
    INFO(describe(problems));
    CHECK(data == nullptr);
    REQUIRE(problems.size() == 1);
    CHECK(std::filesystem::path(problems[0].file).filename() == "faq.json");
    CHECK(problems[0].path == "entries[0].valid_until");

    std::ofstream(dir.path / "faq.json") << "{\"entries\": [,]}";
    problems.clear();
    CHECK(load_tenant_data(dir.path.string(), problems) == nullptr);
    CHECK(has_problem(problems, "", {"invalid JSON at line 1"}));
}

TEST_CASE("the demo faq.json loads clean and follows the content rules", "[unit][faq][data]") {
    const auto data = load_demo();
    const auto& entries = data->faq_.entries();
    CHECK(entries.size() >= 20);
    CHECK(entries.size() <= 30);
    for (const auto& e : entries) {
        INFO(e.id);
        CHECK(e.questions.size() >= 3);
        CHECK(e.questions.size() <= 6);
        // Short enough to read at a glance; the loader's limit is for other tenants.
        CHECK(daiban::utf8::decode(e.answer).size() <= 120);
        CHECK(!e.source.empty());
    }
    CHECK(data->faq_.find("zjd_sell"));
    CHECK(data->faq_.find("no_such_entry") == nullptr);
}

// ---- retrieval --------------------------------------------------------------------------------

TEST_CASE("a variant asked as written is the answer with full score", "[unit][faq]") {
    const auto data = load_demo();
    const auto hits = data->faq_.search("宅基地能卖给外村人吗", today);
    REQUIRE(!hits.empty());
    CHECK(hits.front().entry->id == "zjd_sell");
    CHECK(hits.front().score == Approx(1.0));
    const auto d = classify(hits);
    CHECK(d.confidence == faq_confidence::answer);
    REQUIRE(d.hits.size() == 1);
    CHECK(d.hits.front().entry->id == "zjd_sell");
}

TEST_CASE("punctuation spaces and ASCII case do not change a search", "[unit][faq]") {
    faq_index index({entry("app", {"社保APP怎么登录"}), entry("zjd", {"宅基地能卖吗"})});
    const auto plain = index.search("宅基地能卖吗", today);
    const auto noisy = index.search("  宅基地，能 卖吗？！", today);
    REQUIRE(plain.size() == 1);
    REQUIRE(noisy.size() == 1);
    CHECK(noisy.front().entry == plain.front().entry);
    CHECK(noisy.front().score == Approx(plain.front().score));
    const auto lower = index.search("社保app怎么登录", today);
    REQUIRE(!lower.empty());
    CHECK(lower.front().entry->id == "app");
    CHECK(lower.front().score == Approx(1.0));
}

TEST_CASE("expired faq entries are never returned", "[unit][faq]") {
    auto until = entry("machine", {"农机购置补贴怎么申请"});
    until.valid_until = civil_date{2026, 12, 31};
    faq_index index({until, entry("straw", {"秸秆能烧吗"})});
    const auto on_last_day = index.search("农机购置补贴怎么申请", civil_date{2026, 12, 31});
    REQUIRE(!on_last_day.empty());
    CHECK(on_last_day.front().entry->id == "machine");
    const auto next_day = index.search("农机购置补贴怎么申请", civil_date{2027, 1, 1});
    for (const auto& h : next_day)
        CHECK(h.entry->id != "machine");
}

TEST_CASE("search returns at most k hits best first and nothing for nothing", "[unit][faq]") {
    const auto data = load_demo();
    const auto hits = data->faq_.search("养老保险", today, 2);
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].score >= hits[1].score);
    CHECK(data->faq_.search("养老保险", today, 0).empty());
    CHECK(data->faq_.search("", today).empty());
    CHECK(data->faq_.search("？！ ...", today).empty());
    CHECK(data->faq_.search("xyz", today).empty());
    CHECK(faq_index().search("宅基地能卖吗", today).empty());
}

TEST_CASE("hits point into the index and survive moving it", "[unit][faq]") {
    faq_index index({entry("zjd", {"宅基地能卖吗"})});
    const faq_entry* before = index.find("zjd");
    faq_index moved = std::move(index);
    const auto hits = moved.search("宅基地能卖吗", today);
    REQUIRE(hits.size() == 1);
    CHECK(hits.front().entry == before);
    CHECK(hits.front().entry->id == "zjd");
}

TEST_CASE("classify answers offers or declines by score and lead", "[unit][faq]") {
    faq_entry a = entry("a", {"甲"}), b = entry("b", {"乙"}), c = entry("c", {"丙"}),
              d = entry("d", {"丁"});
    CHECK(classify({}).confidence == faq_confidence::none);
    CHECK(classify({{&a, 0.9}}).confidence == faq_confidence::answer);
    CHECK(classify({{&a, 0.9}, {&b, 0.5}}).confidence == faq_confidence::answer);
    // High but not clearly ahead: the resident chooses.
    const auto close = classify({{&a, 0.6}, {&b, 0.55}, {&c, 0.4}, {&d, 0.35}});
    CHECK(close.confidence == faq_confidence::offer);
    CHECK(close.hits.size() == 3);
    // Plausible but weak: offered alone, the implausible second left out.
    const auto weak = classify({{&a, 0.32}, {&b, 0.1}});
    CHECK(weak.confidence == faq_confidence::offer);
    REQUIRE(weak.hits.size() == 1);
    CHECK(weak.hits.front().entry == &a);
    const auto nothing = classify({{&a, 0.15}, {&b, 0.1}});
    CHECK(nothing.confidence == faq_confidence::none);
    CHECK(nothing.hits.empty());
}

TEST_CASE("paraphrased questions find their entry and off-topic ones get none", "[unit][faq]") {
    const auto data = load_demo();
    const auto tuning = measure(data->faq_, tuning_set);
    const auto held_out = measure(data->faq_, held_out_set);
    WARN(report("tuning set", tuning));
    WARN(report("held-out set", held_out));

    CHECK(held_out.on_topic >= 30);
    // Measured 2026-12-05: top-1 35/38 (92.1%) on the held-out set, 96/98 on the tuning set.
    CHECK(held_out.top1 >= 0.85 * held_out.on_topic);
    CHECK(tuning.top1 >= 0.93 * tuning.on_topic);
    // A confident answer must be the right one; unsure cases are offered instead.
    CHECK(held_out.answered_wrong == 0);
    CHECK(tuning.answered_wrong == 0);
    CHECK(held_out.answered >= held_out.on_topic / 2);
    CHECK(held_out.off_topic_none == held_out.off_topic);
    CHECK(tuning.off_topic_none >= tuning.off_topic - 1);
}

TEST_CASE("searching 100 entries of 5 variants stays in microseconds", "[unit][faq]") {
    // 100 entries x 5 variants made from the demo's questions, each with its own suffix so no two
    // variants are alike.
    const auto data = load_demo();
    std::vector<faq_entry> entries;
    const std::u32string pool = U"甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥";
    for (std::size_t i = 0; i < 100; ++i) {
        const auto& source = data->faq_.entries()[i % data->faq_.entries().size()];
        faq_entry e = entry("e" + std::to_string(i), {});
        for (std::size_t v = 0; v < 5; ++v) {
            std::string q = source.questions[v % source.questions.size()];
            daiban::utf8::append(q, pool[i % pool.size()]);
            daiban::utf8::append(q, pool[(i / pool.size() + v) % pool.size()]);
            e.questions.push_back(q);
        }
        entries.push_back(std::move(e));
    }
    const faq_index index(std::move(entries));
    std::size_t found = 0;
    const auto start = std::chrono::steady_clock::now();
    constexpr int rounds = 20;
    for (int r = 0; r < rounds; ++r)
        for (const auto& row : held_out_set)
            found += index.search(row.question, today).size();
    const auto per_search =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count() /
        (rounds * static_cast<double>(std::size(held_out_set)));
    WARN("faq search, 100 entries x 5 variants: " << per_search << " us per question");
    CHECK(found > 0);
    CHECK(per_search < 1000); // generous: sanitizer builds are slow (release: see faq.cpp)
}
