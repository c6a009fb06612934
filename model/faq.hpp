// model layer: a tenant's policy FAQ (issue 13, "Consultations"): questions the service catalogue
// cannot answer ("宅基地能卖给外村人吗", "高龄津贴多大年纪能领"), each with a short answer and
// where it comes from. Read from deploy/tenants/<id>/faq.json (and, at runtime, from entries staff
// add); searched by character n-gram BM25 over every way of asking a question.
#pragma once

#include "model/civil_date.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace daiban::model {

struct data_problem; // tenant_data.hpp

struct faq_entry {
    std::string id;                        // [a-z0-9_]+, unique within a tenant
    std::vector<std::string> questions;    // the ways residents ask it; at least one
    std::string answer;                    // what the bot says; at most faq_answer_max_chars
    std::string source;                    // the kind of document the answer rests on
    std::optional<civil_date> valid_until; // last day the answer holds; absent = no end
};

// Longest answer the loader accepts, in characters (not bytes): a reply is read on a phone.
inline constexpr std::size_t faq_answer_max_chars = 600;

// Reads `{"note": "...", "entries": [...]}` (note optional). Every problem is appended to
// `problems` with `file` and a JSON path (`entries[3].valid_until`); unknown keys are problems
// too, so a misspelt "valid_untill" cannot silently drop an expiry date. Returns the entries
// that were read; the caller treats any problem as "do not use this file".
std::vector<faq_entry>
read_faq(const nlohmann::json& root, const std::string& file, std::vector<data_problem>& problems);

struct faq_hit {
    const faq_entry* entry = nullptr; // owned by the faq_index searched
    // How well the entry's best question variant matches, 0..1 whatever the FAQ's size (so
    // thresholds need no tuning per tenant): the BM25 score of the question against the variant
    // divided by the mean of the two texts' scores against themselves. 1 = the same n-grams;
    // n-grams only one side has (the FAQ has never seen "低保"; the variant adds "宅基地")
    // pull it down.
    double score = 0;
};

// An index over FAQ entries. It owns them: hits point into it and stay valid as long as the
// index lives and is not assigned to. Immutable after construction, so one index is safely
// searched from every shard at once. Staff entries added at runtime: build a new index over
// `entries()` plus the new ones and swap it in (building 30 entries takes about 0.2 ms),
// rather than searching two indexes, whose scores rest on different IDF statistics.
class faq_index {
public:
    faq_index() = default;
    explicit faq_index(std::vector<faq_entry> entries);

    // The best entries for a question, best first, at most `k`, only those sharing at least one
    // n-gram with it, never one whose valid_until is before `today`. `normalized_question` is the
    // NLU's normalised text (Simplified, half-width); punctuation and spaces in it are ignored.
    std::vector<faq_hit>
    search(std::string_view normalized_question, civil_date today, std::size_t k = 3) const;

    const std::vector<faq_entry>& entries() const { return entries_; }
    const faq_entry* find(std::string_view id) const;
    bool empty() const { return entries_.empty(); }

private:
    struct posting {
        std::uint32_t variant; // index into variant_entry_ / variant_self_score_
        float weight;          // this n-gram's BM25 term for this variant, IDF included
    };
    struct gram {
        float idf = 0;
        std::vector<posting> postings;
    };

    std::vector<faq_entry> entries_;
    // Question variants, numbered entry by entry (an entry's variants are consecutive).
    std::vector<std::uint32_t> variant_entry_;      // variant -> index into entries_
    std::vector<float> variant_self_score_;         // BM25 of the variant against itself
    std::unordered_map<std::uint64_t, gram> grams_; // n-gram -> IDF and postings
    // IDF of an n-gram no question contains, for the query's own score: words the FAQ has never
    // seen ("低保" in "我要办低保") count fully against a match.
    double unseen_idf_ = 0;
    double average_length_ = 1; // n-grams per variant
};

// What to do with a search's hits.
enum class faq_confidence {
    answer, // the top hit is clearly right: answer it
    offer,  // some hits are plausible: show them (at most three) and let the resident choose
    none,   // nothing fits: say so (or fall through to the next handler)
};

struct faq_decision {
    faq_confidence confidence = faq_confidence::none;
    // answer: the one entry; offer: the plausible ones, best first (at most 3); none: empty.
    std::vector<faq_hit> hits;
};

// `hits` as search returned them (best first; k >= 2, or the lead over the second is unknown).
// answer: the top score is high and clearly ahead of the second; offer: some score is plausible;
// none: nothing is. The thresholds and how they were measured: faq.cpp.
faq_decision classify(const std::vector<faq_hit>& hits);

} // namespace daiban::model
