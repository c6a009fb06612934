// bot layer, NLU: the engine: normalise, extract (case numbers, dates, money, services,
// villages, scores), then decide the intent (context answer > rule > classifier) and fill
// DESIGN §3's fields. See nlu.hpp.
#include "bot/nlu/classifier.hpp"
#include "bot/nlu/dates.hpp"
#include "bot/nlu/matcher.hpp"
#include "bot/nlu/nlu.hpp"
#include "bot/nlu/normalize.hpp"
#include "bot/nlu/numbers.hpp"
#include "bot/nlu/rules.hpp"
#include "bot/nlu/speech_acts.hpp"
#include "bot/nlu/training.hpp"
#include "common/utf8.hpp"
#include "model/agent_command.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace daiban::bot::nlu {

namespace {

// Below this classifier probability the engine does not guess: intent "unknown" with the
// likeliest meanings in `alternatives`, and the bot asks.
constexpr double confidence_threshold = 0.33;
constexpr std::size_t max_read_bytes = 1500; // about 500 Chinese characters

using model::intent_id;
using model::question_kind;

// A classifier label is an intent of the table (model/intents.hpp); training data naming any
// other is a mistake in bot/nlu/data, caught on the first parse of any test.
intent_id label_id(const std::string& label) {
    const auto id = model::intent_named(label);
    if (!id)
        throw std::logic_error("bot/nlu/data: label '" + label + "' is not in model/intents.hpp");
    return *id;
}

std::string two_digits(int v) {
    std::string s(2, '0');
    s[0] = static_cast<char>('0' + (v / 10) % 10);
    s[1] = static_cast<char>('0' + v % 10);
    return s;
}

std::uint64_t bigram(char32_t a, char32_t b) {
    return (static_cast<std::uint64_t>(a) << 32) | static_cast<std::uint64_t>(b);
}

// Splits a catalogue name into the parts people say: "医疗救助（民政二次救助、大病救助）" ->
// 医疗救助, 民政二次救助, 大病救助.
std::vector<std::u32string> name_parts(const std::u32string& name) {
    std::vector<std::u32string> parts;
    std::u32string cur;
    auto flush = [&] {
        if (cur.size() >= 2) parts.push_back(cur);
        cur.clear();
    };
    for (char32_t c : name) {
        if (c == U' ' || c == U'/' || c == U'、' || c == U'(' || c == U')' || c == U'和' ||
            c == U'或' || c == U'及')
            flush();
        else
            cur.push_back(c);
    }
    flush();
    return parts;
}

} // namespace

// What the extraction step found, and which characters it used, before the intent decision.
struct extraction {
    std::u32string text;
    std::vector<char32_t> slot; // per character: 0 or the placeholder it becomes
    std::optional<command_hit> command;
    std::optional<std::string> case_ref;
    datetime_result when;
    std::optional<double> amount;
    int service = -1;
    int village = -1;
};

// The classifier and its training run are shared by every engine in the process: the examples
// do not depend on the tenant (services and villages appear in them as placeholders).
const classifier& shared_model();

struct engine::impl {
    std::shared_ptr<const model::tenant_data> data;
    matcher services;
    std::vector<std::string> service_ids;
    std::vector<std::size_t> service_key_len;
    matcher villages;
    std::vector<std::string> village_names;
    std::vector<std::u32string> village_keys; // normalised full names ("黄花岭村"), by id
    // Partial-name fallback: bigram -> services whose names/aliases contain it.
    std::unordered_map<std::uint64_t, std::vector<int>> bigram_services;
    const classifier* classifier_model = nullptr;
    // The table entry of each classifier label, by label index.
    std::vector<model::intent_id> label_ids;

    void build_catalogue();
    int match_service(const std::u32string& t, std::vector<char32_t>& slot) const;
    int match_village(const std::u32string& t, std::vector<char32_t>& slot) const;
    int misspelt_village(const std::u32string& t, std::vector<char32_t>& slot) const;
    model::intent
    run(std::string_view text, reference_time now, const model::pending_question* pending) const;
};

void engine::impl::build_catalogue() {
    if (!data) return;
    std::unordered_map<std::uint64_t, std::vector<int>> grams;
    for (const auto& s : data->catalog_.services) {
        const int id = static_cast<int>(service_ids.size());
        service_ids.push_back(s.id);
        std::vector<std::u32string> keys = name_parts(normalize(s.name).text);
        keys.push_back(normalize(s.name).text);
        for (const auto& a : s.aliases)
            keys.push_back(normalize(a).text);
        for (const auto& k : keys) {
            if (k.size() < 2) continue;
            services.add(k, id);
            for (std::size_t i = 0; i + 1 < k.size(); ++i) {
                auto& v = grams[bigram(k[i], k[i + 1])];
                if (v.empty() || v.back() != id) v.push_back(id);
            }
        }
    }
    services.build();
    // Only distinctive bigrams (in at most two services) may vote for a partial name, and never
    // the everyday words of any request ("申请", "补办", "办理").
    static constexpr std::u32string_view generic[] = {
        U"申请", U"补办", U"办理", U"登记", U"证明", U"补贴", U"补助", U"救助", U"保险", U"缴费",
        U"领取", U"认证", U"换证", U"办证", U"服务", U"丢了", U"坏了", U"到期", U"过期", U"交养",
        U"老人", U"房子", U"工资", U"关系", U"转移", U"恢复", U"激活", U"注销"};
    for (auto& [g, ids] : grams) {
        bool is_generic = false;
        for (auto w : generic)
            is_generic = is_generic || bigram(w[0], w[1]) == g;
        if (ids.size() <= 2 && !is_generic) bigram_services.emplace(g, std::move(ids));
    }

    for (const auto& v : data->org_.villages) {
        const int id = static_cast<int>(village_names.size());
        village_names.push_back(v.name);
        auto name = normalize(v.name).text;
        village_keys.push_back(name);
        villages.add(name, id);
        for (const auto& a : v.aliases)
            villages.add(normalize(a).text, id);
        // "黄花岭村" is also said "黄花岭"
        if (name.size() >= 3 && name.back() == U'村')
            villages.add(name.substr(0, name.size() - 1), id);
    }
    villages.build();
}

int engine::impl::match_service(const std::u32string& t, std::vector<char32_t>& slot) const {
    auto hits = services.find_all(t);
    const matcher::hit* best = nullptr;
    for (const auto& h : hits) {
        bool free = true;
        for (std::size_t k = h.begin; k < h.end; ++k)
            free = free && slot[k] == 0;
        if (!free) continue;
        if (!best || h.end - h.begin > best->end - best->begin ||
            (h.end - h.begin == best->end - best->begin && h.begin < best->begin))
            best = &h;
    }
    if (best) {
        for (std::size_t k = best->begin; k < best->end; ++k)
            slot[k] = U'Σ';
        return best->value;
    }
    // Partial names: vote with the distinctive bigrams of the text.
    std::unordered_map<int, int> votes;
    std::unordered_map<int, std::pair<std::size_t, std::size_t>> span;
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {
        if (slot[i] || slot[i + 1]) continue;
        auto it = bigram_services.find(bigram(t[i], t[i + 1]));
        if (it == bigram_services.end()) continue;
        const int w = it->second.size() == 1 ? 2 : 1;
        for (int id : it->second) {
            votes[id] += w;
            auto [sp, ins] = span.try_emplace(id, i, i + 2);
            if (!ins) sp->second.second = i + 2;
        }
    }
    int best_id = -1, best_votes = 0;
    for (auto [id, v] : votes)
        if (v > best_votes || (v == best_votes && id < best_id)) best_id = id, best_votes = v;
    if (best_id < 0 || best_votes < 2) return -1;
    auto [b, e] = span[best_id];
    if (e - b <= 6)
        for (std::size_t k = b; k < e; ++k)
            slot[k] = U'Σ';
    return best_id;
}

int engine::impl::match_village(const std::u32string& t, std::vector<char32_t>& slot) const {
    auto hits = villages.find_all(t);
    const matcher::hit* best = nullptr;
    for (const auto& h : hits)
        if (!best || h.end - h.begin > best->end - best->begin) best = &h;
    if (!best) return misspelt_village(t, slot);
    std::size_t e = best->end;
    if (e < t.size() && t[e] == U'村' && t[e - 1] != U'村') ++e;
    for (std::size_t k = best->begin; k < e; ++k)
        slot[k] = U'Λ';
    return best->value;
}

// A village name of four characters or more typed with one wrong ("黄花领村" for 黄花岭村, a
// homophone from the pinyin keyboard): the full name, "村" included, with exactly one other
// character different, and only when a single village fits.
int engine::impl::misspelt_village(const std::u32string& t, std::vector<char32_t>& slot) const {
    int found = -1;
    std::size_t from = 0, to = 0;
    for (std::size_t e = 0; e < t.size(); ++e) {
        if (t[e] != U'村') continue;
        for (std::size_t id = 0; id < village_keys.size(); ++id) {
            const auto& key = village_keys[id];
            if (key.size() < 4 || key.back() != U'村' || e + 1 < key.size()) continue;
            const std::size_t b = e + 1 - key.size();
            int differ = 0;
            for (std::size_t k = 0; k < key.size() && differ < 2; ++k)
                differ += t[b + k] != key[k];
            if (differ != 1) continue;
            if (found >= 0 && found != static_cast<int>(id)) return -1; // two villages fit
            found = static_cast<int>(id);
            from = b;
            to = e + 1;
        }
    }
    for (std::size_t k = from; k < to; ++k)
        slot[k] = U'Λ';
    return found;
}

namespace {

// Shared by training and parsing: the tenant-independent extraction, then the placeholder text
// the classifier reads.
void extract_common(extraction& x, const local_time& now) {
    std::vector<bool> taken(x.text.size(), false);
    auto stamp = [&](char32_t ph) {
        for (std::size_t k = 0; k < taken.size(); ++k)
            if (taken[k] && x.slot[k] == 0) x.slot[k] = ph;
    };
    for (std::size_t k = 0; k < x.text.size(); ++k)
        if (x.slot[k]) taken[k] = true;
    x.command = agent_command(x.text, taken);
    if (x.command) x.case_ref = x.command->case_ref;
    stamp(U'Κ');
    if (!x.case_ref) x.case_ref = case_reference(x.text, taken);
    stamp(U'Κ');
    x.when = extract_datetime(x.text, now, taken);
    stamp(U'Δ');
    if (auto m = find_money(x.text, taken)) x.amount = m->value;
    stamp(U'Μ');
}

std::u32string classifier_text(const extraction& x) {
    std::u32string out;
    for (std::size_t k = 0; k < x.text.size(); ++k) {
        if (x.slot[k] == 0) {
            out.push_back(x.text[k]);
        } else if (out.empty() || out.back() != x.slot[k]) {
            out.push_back(x.slot[k]);
        }
    }
    return out;
}

} // namespace

// The training examples as the statistical layer reads them (placeholders folded to marks).
std::vector<classifier::example> training_examples() {
    std::vector<classifier::example> examples;
    const local_time now{{2026, 1, 7}, 10, 0}; // any day: dates become placeholders
    for_each_training_example([&](std::string_view label, std::string_view text) {
        // {S} service, {V} village, {D} date, {M} money, {C} case number
        std::string t;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}') {
                switch (text[i + 1]) {
                case 'S':
                    t += "Σ";
                    break;
                case 'V':
                    t += "Λ";
                    break;
                case 'D':
                    t += "Δ";
                    break;
                case 'M':
                    t += "Μ";
                    break;
                case 'C':
                    t += "Κ";
                    break;
                default:
                    break;
                }
                i += 2;
            } else {
                t.push_back(text[i]);
            }
        }
        extraction x;
        x.text = normalize(t).text;
        x.slot.assign(x.text.size(), 0);
        for (std::size_t k = 0; k < x.text.size(); ++k)
            if (x.text[k] == U'Σ' || x.text[k] == U'Λ' || x.text[k] == U'Δ' || x.text[k] == U'Μ' ||
                x.text[k] == U'Κ')
                x.slot[k] = x.text[k];
        extract_common(x, now);
        examples.push_back({std::string(label), classifier_text(x)});
    });
    return examples;
}

const classifier& shared_model() {
    static const classifier model = [] {
        classifier c;
        c.train(training_examples());
        return c;
    }();
    return model;
}

namespace {

bool contains_any(std::u32string_view t, std::initializer_list<std::u32string_view> words) {
    for (auto w : words)
        if (t.find(w) != std::u32string_view::npos) return true;
    return false;
}

// Question words decide between "do it" and "tell me about it" more reliably than n-grams
// trained on a few hundred lines (bot/nlu/speech_acts.hpp): "社保卡补办要几个工作日" asks about
// the process even though it names the service like a request would, "低保能办不" asks whether
// it can be done. Likewise an appointment with 改/换 is a rescheduling and with 取消/不要了 a
// cancellation.
void refine(model::intent& r, std::u32string_view t) {
    const bool guide = r.id == intent_id::open_case || r.id == intent_id::ask_process ||
                       r.id == intent_id::ask_materials || r.id == intent_id::unknown ||
                       r.id == intent_id::consult;
    if (guide && asks_payment(t) && !asks_materials(t)) {
        r.id = intent_id::pay_fee;
        return;
    }
    if (guide && asks_contact(t)) {
        r.id = intent_id::ask_contact;
        return;
    }
    if (r.id == intent_id::open_case && !delegates(t)) {
        // ...unless the resident also hands the matter over: "怎么申请，帮我办" is a request.
        if (asks_materials(t))
            r.id = intent_id::ask_materials;
        else if (asks_conditions(t))
            r.id = intent_id::ask_conditions;
        else if (asks_process(t))
            r.id = intent_id::ask_process;
    } else if ((r.id == intent_id::ask_process || r.id == intent_id::ask_materials) &&
               asks_conditions(t) && !asks_materials(t)) {
        r.id = intent_id::ask_conditions;
    } else if (r.id == intent_id::book_appointment) {
        if (contains_any(t, {U"取消", U"不要了", U"作废", U"不去了", U"撤销", U"退掉"}))
            r.id = intent_id::cancel_appointment;
        else if (contains_any(t, {U"改", U"换", U"调整", U"挪", U"推迟", U"提前", U"延后"}))
            r.id = intent_id::reschedule_appointment;
    }
}

} // namespace

engine::engine(std::shared_ptr<const model::tenant_data> data) : impl_(std::make_unique<impl>()) {
    impl_->data = std::move(data);
    impl_->build_catalogue();
    impl_->classifier_model = &shared_model();
    for (std::size_t k = 0; k < impl_->classifier_model->labels(); ++k)
        impl_->label_ids.push_back(label_id(impl_->classifier_model->label(static_cast<int>(k))));
}

engine::~engine() = default;

std::u32string engine::classifier_input(std::string_view text, reference_time now) const {
    const auto today = model::civil_date::from_unix(now.unix_seconds, now.utc_offset_minutes);
    extraction x;
    x.text = normalize(text).text;
    x.slot.assign(x.text.size(), 0);
    x.service = impl_->match_service(x.text, x.slot);
    x.village = impl_->match_village(x.text, x.slot);
    extract_common(x, local_time{today, 10, 0});
    return classifier_text(x);
}

std::pair<std::string, double> engine::classify_only(std::u32string_view input) const {
    const auto probs = impl_->classifier_model->predict(input);
    if (probs.empty()) return {"unknown", 0.0};
    return {impl_->classifier_model->label(probs.front().first), probs.front().second};
}

std::vector<training_example> classifier_training_set() {
    std::vector<training_example> out;
    for (auto& e : training_examples())
        out.push_back({std::move(e.label), std::move(e.text)});
    return out;
}

model::intent engine::parse(std::string_view text,
                            reference_time now,
                            const model::pending_question* pending) const {
    try {
        return impl_->run(text, now, pending);
    } catch (...) {
        // Last resort (allocation failure): never let a message take the shard down.
        model::intent i;
        return i;
    }
}

model::intent engine::impl::run(std::string_view raw,
                                reference_time now,
                                const model::pending_question* pending) const {
    // A long paragraph is read by its start: what a resident wants is said in the first few
    // hundred characters, and the cost of a parse stays bounded whatever is pasted.
    if (raw.size() > max_read_bytes) {
        std::size_t cut = max_read_bytes;
        while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80)
            --cut; // not inside a UTF-8 sequence
        raw = raw.substr(0, cut);
    }
    model::intent r;
    auto norm = normalize(raw);
    r.traditional = norm.traditional;
    const bool question_marked = norm.question_mark;
    r.normalized = utf8::encode(norm.text);

    const auto today = model::civil_date::from_unix(now.unix_seconds, now.utc_offset_minutes);
    const std::int64_t local = now.unix_seconds + std::int64_t{now.utc_offset_minutes} * 60;
    const std::int64_t sod = ((local % 86400) + 86400) % 86400;
    const local_time lt{today, static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60)};

    extraction x;
    x.text = std::move(norm.text);
    x.slot.assign(x.text.size(), 0);
    x.service = match_service(x.text, x.slot);
    x.village = match_village(x.text, x.slot);
    extract_common(x, lt);
    const std::u32string ctext = classifier_text(x);

    // Fields.
    if (x.service >= 0) r.service = service_ids[static_cast<std::size_t>(x.service)];
    if (x.village >= 0) r.village = village_names[static_cast<std::size_t>(x.village)];
    if (x.case_ref) r.case_ref = x.case_ref;
    if (x.amount) r.amount = x.amount;
    if (x.when.date) r.date = x.when.date->iso();
    if (x.when.hour)
        r.time = two_digits(*x.when.hour) + ":" + two_digits(x.when.minute.value_or(0));
    if (x.when.part) r.part = x.when.part;

    if (x.text.empty()) return r;

    auto set = [&](intent_id id, double conf) {
        r.id = id;
        r.confidence = conf;
    };

    // 0. A command an agent typed ("接单 12", "补正 12 发票 看不清") is read exactly, before
    // anything else: it means what it says whatever the bot had asked.
    if (auto typed = model::parse_agent_command(raw)) {
        set(typed->what, 1.0);
        if (!typed->ref.empty()) r.case_ref = typed->ref;
        r.args = std::move(typed->args);
        r.rest_as_typed = std::move(typed->rest_as_typed);
        return r;
    }

    // A correction ("不是户口，是医疗费报销") beats whatever the bot had asked: the service meant
    // is the one named after the denial; one named only before it is the one denied.
    if (auto corr = read_correction(x.text)) {
        set(intent_id::correct, 0.95);
        r.service.reset();
        if (corr->target_from) {
            std::u32string tail = x.text.substr(*corr->target_from);
            std::vector<char32_t> tail_slot(tail.size(), 0);
            if (const int s = match_service(tail, tail_slot); s >= 0)
                r.service = service_ids[static_cast<std::size_t>(s)];
        }
        return r;
    }

    // 1. Context: the bot asked something; read the answer in its light.
    const intent_id topic_intent = pending ? pending->topic.intent : intent_id::unknown;
    auto answer = [&](intent_id fallback) {
        set(topic_intent == intent_id::unknown ? fallback : topic_intent, 0.95);
    };
    const auto yn = yes_no(x.text);
    if (yn) r.confirm = yn;

    if (pending && !x.command) {
        const question_kind kind = pending->kind;
        if (kind == question_kind::choice || kind == question_kind::service ||
            kind == question_kind::village) {
            if (auto n = choice_number(x.text)) {
                if (pending->options.empty() || *n <= static_cast<int>(pending->options.size())) {
                    r.choice = *n;
                    // The fallback's "您是想…" choice: the option picked is the intent meant.
                    if (kind == question_kind::choice && topic_intent == intent_id::unknown &&
                        !pending->options.empty()) {
                        if (auto meant = model::intent_named(
                                pending->options[static_cast<std::size_t>(*n - 1)])) {
                            set(*meant, 0.95);
                            r.choice.reset();
                            return r;
                        }
                    }
                    answer(kind == question_kind::village ? intent_id::bind_village
                                                          : intent_id::open_case);
                    return r;
                }
            }
            // Naming one of the offered options ("低保那个") picks it too.
            for (std::size_t k = 0; k < pending->options.size(); ++k) {
                const auto& o = pending->options[k];
                if ((r.service && *r.service == o) ||
                    (x.village >= 0 &&
                     (o == village_names[static_cast<std::size_t>(x.village)] ||
                      (data && static_cast<std::size_t>(x.village) < data->org_.villages.size() &&
                       data->org_.villages[static_cast<std::size_t>(x.village)].id == o)))) {
                    r.choice = static_cast<int>(k) + 1;
                    answer(kind == question_kind::village ? intent_id::bind_village
                                                          : intent_id::open_case);
                    return r;
                }
            }
            if (kind == question_kind::service && r.service && ctext.size() <= 12) {
                answer(intent_id::open_case);
                return r;
            }
            if (kind == question_kind::village && r.village && ctext.size() <= 12) {
                answer(intent_id::bind_village);
                return r;
            }
        } else if (kind == question_kind::confirm) {
            if (yn) {
                answer(intent_id::unknown);
                return r;
            }
        } else if (kind == question_kind::date) {
            if (x.when.found() && ctext.size() <= 14) {
                answer(intent_id::book_appointment);
                return r;
            }
        } else if (kind == question_kind::payment) {
            // A campaign asked this household to say when it has paid (or read the notice):
            // "已交", "交了57.3元" (the amount goes along) confirm a payment; "收到", "好的" only
            // that they read it (confirm left unset: the handler knows which the campaign
            // needs); "还没交" denies.
            auto reading = campaign_answer(x.text);
            if (!reading && yn && *yn && ctext.size() <= 6) reading = campaign_reading::read;
            if (reading) {
                if (*reading != campaign_reading::read)
                    r.confirm = *reading == campaign_reading::paid;
                else
                    r.confirm.reset();
                set(intent_id::campaign_reply, 0.95);
                return r;
            }
        } else if (kind == question_kind::rating) {
            if (auto s = rating_score(x.text, true)) {
                r.score = *s;
                set(intent_id::rate, 0.95);
                return r;
            }
        }
    }

    // 2. Rules: agent commands and unambiguous forms. One read from the case number first
    // ("3号 退回了？") with a question mark asks rather than tells (the mark is gone from the
    // normalised text the rules read): it asks how the case goes, and acts on nothing.
    if (x.command) {
        set(question_marked ? intent_id::query_progress : x.command->intent,
            question_marked ? 0.9 : 0.99);
        return r;
    }
    if (is_notice(x.text)) {
        set(intent_id::agent_notice, 0.97);
        return r;
    }
    if (asks_who_viewed(x.text)) {
        set(intent_id::who_viewed, 0.95);
        return r;
    }
    if (is_help_request(x.text)) {
        set(intent_id::help, 0.97);
        return r;
    }
    if (is_rating_message(x.text)) {
        r.score = rating_score(x.text, true);
        if (r.score) {
            set(intent_id::rate, 0.9);
            return r;
        }
    }
    if (auto lead = leading_rating(x.text)) {
        r.score = *lead;
        set(intent_id::rate, 0.9);
        return r;
    }
    if (is_thanks(x.text)) {
        set(intent_id::thanks, 0.95);
        return r;
    }
    // "撤销 2", "撤回3号": the verb and a case number say it all.
    if (x.case_ref && (x.text.starts_with(U"撤销") || x.text.starts_with(U"撤回"))) {
        set(intent_id::cancel_case, 0.95);
        r.service.reset(); // the case says which; a partial-name vote on "撤销" is noise
        return r;
    }

    // 3. Classifier.
    auto probs = classifier_model->predict(ctext);
    if (probs.empty()) return r;
    const auto& top = probs.front();
    const auto top_id = label_ids[static_cast<std::size_t>(top.first)];
    if (top.second >= confidence_threshold && top_id != intent_id::unknown) {
        set(top_id, top.second);
    } else {
        // Unsure, or sure it is none of the jobs (the corpus teaches "unknown" on chatter): the
        // likeliest jobs go along, so the fallback can offer them.
        r.id = intent_id::unknown;
        r.confidence = top.second;
        for (std::size_t k = 0; k < probs.size() && r.alternatives.size() < 3; ++k) {
            const auto id = label_ids[static_cast<std::size_t>(probs[k].first)];
            if (id == intent_id::unknown) continue;
            if (probs[k].second >= 0.08 || r.alternatives.empty())
                r.alternatives.emplace_back(id, probs[k].second);
        }
    }
    refine(r, x.text);
    if (r.id == intent_id::pay_fee && !r.amount) {
        // "转给代理员了 一千二": in a payment, a lone number is the amount.
        for (std::size_t k = 0; k < x.text.size(); ++k) {
            if (x.slot[k] || (k > 0 && is_number_char(x.text[k - 1]))) continue;
            auto m = read_number(x.text, k);
            if (!m || m->value < 1 || (!m->arabic && m->digits < 2)) continue;
            r.amount = m->value;
            break;
        }
    }
    if (r.id == intent_id::rate) r.score = rating_score(x.text, false);
    // Unsure what it is, yet it reads as a rating ("还行"): the score goes along, so a done case
    // waiting for its rating can take it.
    if (r.id == intent_id::unknown && !r.score && is_rating_message(x.text))
        r.score = rating_score(x.text, true);
    // Waiting for a photo, an unsure reading is taken as about the photo — but not a rating or
    // thanks (after the case is done the photo question is stale and the rating is what counts),
    // nor what a resident waiting on a case naturally says meanwhile: asking how it goes,
    // complaining, an emergency.
    const bool beside_the_photo =
        r.id == intent_id::rate || r.id == intent_id::thanks || r.id == intent_id::query_progress ||
        r.id == intent_id::complain || r.id == intent_id::report_emergency;
    if (pending && pending->kind == question_kind::material && r.id != intent_id::unknown &&
        r.confidence < 0.8 && !r.score && !beside_the_photo)
        answer(intent_id::submit_material);
    return r;
}

} // namespace daiban::bot::nlu
