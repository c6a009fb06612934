// Fuzzes the NLU (bot/nlu/engine.cpp: engine::parse) on arbitrary bytes, valid and invalid UTF-8,
// with and without a pending question, against the demo tenant's catalogue and organisation
// (deploy/tenants/demo, loaded once). No crash, no exception, and the fields keep the formats
// model/intent.hpp gives them.
#include "bot/nlu/nlu.hpp"
#include "common/utf8.hpp"
#include "fuzz_check.hpp"
#include "model/conversation.hpp"
#include "model/intents.hpp"
#include "model/tenant_data.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

using namespace daiban;

namespace {

const bot::nlu::engine* nlu_engine = nullptr;

bool digits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // DAIBAN_FUZZ_TENANT overrides where the tenant data is read from.
    const char* dir = std::getenv("DAIBAN_FUZZ_TENANT");
    const std::string tenant = dir ? dir : DAIBAN_FUZZ_ROOT "/deploy/tenants/demo";
    std::vector<model::data_problem> problems;
    auto data = model::load_tenant_data(tenant, problems);
    if (!data) {
        for (const auto& p : problems)
            std::fprintf(stderr, "%s: %s: %s\n", p.file.c_str(), p.path.c_str(), p.message.c_str());
        std::fprintf(stderr, "fuzz_nlu_parse: cannot load tenant data from %s\n", tenant.c_str());
        std::abort();
    }
    nlu_engine = new bot::nlu::engine(std::move(data)); // trains the classifier once
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Byte 0: the pending question's kind (or none); byte 1: its topic's intent. Then the text.
    if (size < 2) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
    model::pending_question q;
    const model::pending_question* pending = nullptr;
    constexpr int kinds = static_cast<int>(model::question_kind::payment) + 1;
    if (data[0] % (kinds + 1) < kinds) {
        q.kind = static_cast<model::question_kind>(data[0] % (kinds + 1));
        q.topic.intent = model::intent_table[data[1] % std::size(model::intent_table)].id;
        q.topic.subject = "12";
        q.options = {"medical_relief", "open_case", "help"};
        pending = &q;
    }
    // 2026-11-18 09:30 in Beijing, and a day that depends on the input (dates near year ends,
    // leap days, the lunar calendar's edges).
    const std::int64_t base = 1795483800;
    const std::int64_t shift = static_cast<std::int64_t>(data[1]) * 86400 * 7;
    const bot::nlu::reference_time now{base + shift, 8 * 60};

    const model::intent r = nlu_engine->parse(text, now, pending);

    FUZZ_CHECK(utf8::valid(r.normalized));
    FUZZ_CHECK(std::isfinite(r.confidence) && r.confidence >= 0.0 && r.confidence <= 1.0);
    for (const auto& [id, p] : r.alternatives)
        FUZZ_CHECK(std::isfinite(p) && p >= 0.0 && p <= 1.0);
    if (r.date) { // YYYY-MM-DD
        const auto& d = *r.date;
        FUZZ_CHECK(d.size() == 10 && d[4] == '-' && d[7] == '-');
        FUZZ_CHECK(digits(d.substr(0, 4)) && digits(d.substr(5, 2)) && digits(d.substr(8, 2)));
        const int m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
        FUZZ_CHECK(m >= 1 && m <= 12 && day >= 1 && day <= 31);
    }
    if (r.time) { // HH:MM
        const auto& t = *r.time;
        FUZZ_CHECK(t.size() == 5 && t[2] == ':' && digits(t.substr(0, 2)) && digits(t.substr(3)));
        FUZZ_CHECK(std::stoi(t.substr(0, 2)) < 24 && std::stoi(t.substr(3)) < 60);
    }
    if (r.part) FUZZ_CHECK(*r.part == "am" || *r.part == "pm" || *r.part == "evening");
    if (r.score) FUZZ_CHECK(*r.score >= 1 && *r.score <= 5);
    if (r.amount) FUZZ_CHECK(std::isfinite(*r.amount));
    if (r.case_ref) FUZZ_CHECK(!r.case_ref->empty());
    // The catalogue ids and village names come from the tenant's data: text.
    if (r.service) FUZZ_CHECK(utf8::valid(*r.service));
    if (r.village) FUZZ_CHECK(utf8::valid(*r.village));
    return 0;
}
