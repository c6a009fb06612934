// model layer: loading and validating tenant data (see tenant_data.hpp). Every problem is
// collected with its file and JSON path, so an operator fixes a broken catalogue in one pass.
#include "model/tenant_data.hpp"

#include "model/civil_date.hpp"
#include "model/json_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <set>

namespace daiban::model {

namespace {

using json = nlohmann::json;

template <class T>
const T* find_by_id(const std::vector<T>& v, const std::string& id) {
    for (const auto& x : v)
        if (x.id == id) return &x;
    return nullptr;
}

bool valid_id(const std::string& id) {
    // Ids end up in Redis keys, group-chat commands and URLs: keep them to a safe alphabet.
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

std::string join_ids(const std::vector<std::string>& ids) {
    std::string out;
    const std::size_t shown = std::min<std::size_t>(ids.size(), 10);
    for (std::size_t i = 0; i < shown; ++i)
        out += (i ? ", " : "") + ids[i];
    if (ids.size() > shown) out += ", ...";
    return out;
}

template <class T>
std::vector<std::string> ids_of(const std::vector<T>& v) {
    std::vector<std::string> out;
    for (const auto& x : v)
        out.push_back(x.id);
    return out;
}

// Reads typed fields out of one JSON document, recording a problem for every field that is
// missing or of the wrong type. Getters leave `out` untouched on failure and say whether they
// filled it.
class reader {
public:
    reader(std::string file, std::vector<data_problem>& problems)
        : file_(std::move(file)), problems_(problems) {}

    const std::string& file() const { return file_; }
    void problem(std::string path, std::string message) {
        problems_.push_back({file_, std::move(path), std::move(message)});
    }

    static std::string at(const std::string& path, const char* key) {
        return path.empty() ? std::string(key) : path + "." + key;
    }
    static std::string at(const std::string& path, std::size_t i) {
        return path + "[" + std::to_string(i) + "]";
    }

    bool string(const json& obj,
                const std::string& path,
                const char* key,
                std::string& out,
                bool required) {
        const auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) problem(at(path, key), "missing required field (a non-empty string)");
            return false;
        }
        if (!it->is_string()) {
            problem(at(path, key), std::string("must be a string, not ") + it->type_name());
            return false;
        }
        auto value = it->get<std::string>();
        if (required && value.empty()) {
            problem(at(path, key), "must not be empty");
            return false;
        }
        out = std::move(value);
        return true;
    }

    // A whole number; absent is fine when !required (the struct's default stays).
    bool integer(const json& obj,
                 const std::string& path,
                 const char* key,
                 int& out,
                 bool required,
                 bool positive) {
        const auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) problem(at(path, key), "missing required field (a whole number)");
            return false;
        }
        if (!it->is_number_integer()) {
            problem(at(path, key), std::string("must be a whole number, not ") +
                                       (it->is_number() ? "a fraction" : it->type_name()));
            return false;
        }
        const auto v = it->get<std::int64_t>();
        if (positive && v <= 0) {
            problem(at(path, key), "must be positive, not " + std::to_string(v));
            return false;
        }
        if (v > 1'000'000 || v < -1'000'000) {
            problem(at(path, key), "is out of range: " + std::to_string(v));
            return false;
        }
        out = static_cast<int>(v);
        return true;
    }

    // An array of strings (each non-empty). Absent is fine when !required.
    bool strings(const json& obj,
                 const std::string& path,
                 const char* key,
                 std::vector<std::string>& out,
                 bool required) {
        const auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) problem(at(path, key), "missing required field (a list of strings)");
            return false;
        }
        if (!it->is_array()) {
            problem(at(path, key),
                    std::string("must be a list of strings, not ") + it->type_name());
            return false;
        }
        std::vector<std::string> values;
        bool ok = true;
        for (std::size_t i = 0; i < it->size(); ++i) {
            const auto& e = (*it)[i];
            if (!e.is_string() || e.get_ref<const std::string&>().empty()) {
                problem(at(at(path, key), i), "must be a non-empty string");
                ok = false;
                continue;
            }
            values.push_back(e.get<std::string>());
        }
        out = std::move(values);
        return ok;
    }

    // The array under `key`, or null (with a problem when required, or when of another type).
    const json* array(const json& obj, const std::string& path, const char* key, bool required) {
        const auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) problem(at(path, key), "missing required field (a list)");
            return nullptr;
        }
        if (!it->is_array()) {
            problem(at(path, key), std::string("must be a list, not ") + it->type_name());
            return nullptr;
        }
        return &*it;
    }

    bool is_object(const json& j, const std::string& path) {
        if (j.is_object()) return true;
        problem(path, std::string("must be an object, not ") + j.type_name());
        return false;
    }

    // A required id: present, a string, of the safe alphabet.
    bool id(const json& obj, const std::string& path, std::string& out) {
        if (!string(obj, path, "id", out, true)) return false;
        if (!valid_id(out)) {
            problem(at(path, "id"),
                    "id " + in_quotes(out) + " must use only a-z, 0-9, '_' and '-' (at most 64)");
            return false;
        }
        return true;
    }

    // Remembers where each value of one kind was first seen and reports later duplicates.
    class unique {
    public:
        unique(reader& r, std::string what) : r_(r), what_(std::move(what)) {}
        void add(const std::string& value, const std::string& path) {
            auto [it, fresh] = first_.emplace(value, path);
            if (!fresh)
                r_.problem(path, "duplicate " + what_ + " " + in_quotes(value) + " (first at " +
                                     it->second + "); each must be unique");
        }

    private:
        reader& r_;
        std::string what_;
        std::map<std::string, std::string> first_;
    };

private:
    std::string file_;
    std::vector<data_problem>& problems_;
};

bool one_of(const std::string& v, std::initializer_list<std::string_view> allowed) {
    return std::find(allowed.begin(), allowed.end(), v) != allowed.end();
}

void read_material(reader& r, const json& j, const std::string& path, material& m) {
    if (!r.is_object(j, path)) return;
    r.id(j, path, m.id);
    r.string(j, path, "name", m.name, true);
    r.strings(j, path, "aliases", m.aliases, false);
    if (r.string(j, path, "kind", m.kind, true) &&
        !one_of(m.kind, {"photo", "file", "original", "info"}))
        r.problem(reader::at(path, "kind"),
                  "unknown kind " + in_quotes(m.kind) + "; use photo, file, original or info");
    r.integer(j, path, "count", m.count, false, true);
    r.string(j, path, "note", m.note, false);
}

void read_service(reader& r, const json& j, const std::string& path, service_item& s) {
    if (!r.is_object(j, path)) return;
    r.id(j, path, s.id);
    r.string(j, path, "name", s.name, true);
    r.strings(j, path, "aliases", s.aliases, false);
    r.string(j, path, "category", s.category, true);
    if (r.string(j, path, "level", s.level, true) &&
        !one_of(s.level, {"village", "township", "county"}))
        r.problem(reader::at(path, "level"),
                  "unknown level " + in_quotes(s.level) + "; use village, township or county");
    if (r.string(j, path, "mode", s.mode, true) && !one_of(s.mode, {"proxy", "accompany"}))
        r.problem(reader::at(path, "mode"),
                  "unknown mode " + in_quotes(s.mode) +
                      "; use proxy (代办) or accompany (领办, the resident must appear)");
    r.integer(j, path, "time_limit_days", s.time_limit_days, true, true);
    r.string(j, path, "fee", s.fee, true);
    r.string(j, path, "process", s.process, true);
    // Optional: who qualifies (asked before anything is opened), and what residents pay each
    // year for the item itself (医保、养老保险的个人缴费), with where that figure comes from.
    r.string(j, path, "conditions", s.conditions, false);
    r.string(j, path, "payment", s.payment, false);
    // Optional: what the item pays a resident (低保金, 养老金) and how that is worked out — the
    // rule and its source, never a figure the county has not set.
    r.string(j, path, "benefit", s.benefit, false);
    r.string(j, path, "office", s.office, true);

    const auto* mats = r.array(j, path, "materials", true);
    if (!mats) return;
    const auto mpath = reader::at(path, "materials");
    if (mats->empty()) {
        r.problem(mpath, "an item needs at least one material (use kind \"info\" when the "
                         "agent only needs to be told something)");
        return;
    }
    reader::unique ids(r, "material id");
    for (std::size_t i = 0; i < mats->size(); ++i) {
        material m;
        const auto p = reader::at(mpath, i);
        read_material(r, (*mats)[i], p, m);
        if (!m.id.empty()) ids.add(m.id, reader::at(p, "id"));
        s.materials.push_back(std::move(m));
    }
    // Optional: the item an emergency report becomes (转代办), and where its photos go.
    if (r.string(j, path, "emergency_photos", s.emergency_photos, false) &&
        std::none_of(s.materials.begin(), s.materials.end(),
                     [&](const material& m) { return m.id == s.emergency_photos; }))
        r.problem(reader::at(path, "emergency_photos"),
                  "names no material of this item: use the id of the material the report's "
                  "photos are filed under (e.g. \"damage_photos\")");
}

void read_office(reader& r, const json& j, const std::string& path, office& o) {
    if (!r.is_object(j, path)) return;
    r.id(j, path, o.id);
    r.string(j, path, "name", o.name, true);
    r.string(j, path, "address", o.address, true);
    r.string(j, path, "phone", o.phone, true);
    r.integer(j, path, "slot_minutes", o.slot_minutes, false, true);
    r.integer(j, path, "capacity", o.capacity, false, true);
    r.string(j, path, "note", o.note, false);

    const auto hpath = reader::at(path, "hours");
    if (const auto it = j.find("hours"); it == j.end()) {
        r.problem(hpath, "missing required field (an object: weekday -> [\"HH:MM-HH:MM\", ...])");
    } else if (!it->is_object()) {
        r.problem(hpath, std::string("must be an object, not ") + it->type_name());
    } else {
        for (const auto& [day, periods] : it->items()) {
            const auto dpath = reader::at(hpath, day.c_str());
            if (std::find(weekday_keys.begin(), weekday_keys.end(), day) == weekday_keys.end()) {
                r.problem(dpath, "unknown weekday " + in_quotes(day) +
                                     "; use mon, tue, wed, thu, "
                                     "fri, sat or sun");
                continue;
            }
            std::vector<std::string> texts;
            if (!r.strings(*it, hpath, day.c_str(), texts, true)) continue;
            std::optional<time_period> previous;
            bool ok = true;
            for (std::size_t i = 0; i < texts.size(); ++i) {
                const auto period = parse_period(texts[i]);
                if (!period) {
                    r.problem(reader::at(dpath, i),
                              "malformed period " + in_quotes(texts[i]) +
                                  "; write HH:MM-HH:MM with the start before the end");
                    ok = false;
                } else if (previous && period->start_minute < previous->end_minute) {
                    r.problem(reader::at(dpath, i), "period " + in_quotes(texts[i]) +
                                                        " overlaps or precedes the one before "
                                                        "it; list periods in order");
                    ok = false;
                }
                if (period) previous = period;
            }
            if (ok) o.hours[day] = std::move(texts);
        }
    }

    std::vector<std::string> closed;
    if (r.strings(j, path, "closed", closed, false)) {
        for (std::size_t i = 0; i < closed.size(); ++i)
            if (!civil_date::parse_iso(closed[i]))
                r.problem(reader::at(reader::at(path, "closed"), i),
                          "malformed date " + in_quotes(closed[i]) + "; write YYYY-MM-DD");
    }
    o.closed = std::move(closed);

    std::vector<std::string> days;
    if (r.strings(j, path, "service_days", days, false)) {
        for (std::size_t i = 0; i < days.size(); ++i) {
            const auto dpath = reader::at(reader::at(path, "service_days"), i);
            if (std::find(weekday_keys.begin(), weekday_keys.end(), days[i]) == weekday_keys.end())
                r.problem(dpath, "unknown weekday " + in_quotes(days[i]) +
                                     "; use mon, tue, wed, thu, fri, sat or sun");
            else if (auto h = o.hours.find(days[i]); h == o.hours.end() || h->second.empty())
                r.problem(dpath, "the office has no hours on " + days[i] +
                                     "; give it hours or drop this service day");
        }
    }
    o.service_days = std::move(days);
}

void read_catalog(reader& r, const json& root, catalog& c) {
    if (!r.is_object(root, "")) return;
    r.string(root, "", "version", c.version, true);

    if (const auto* offices = r.array(root, "", "offices", true)) {
        reader::unique ids(r, "office id");
        for (std::size_t i = 0; i < offices->size(); ++i) {
            office o;
            const auto p = reader::at("offices", i);
            read_office(r, (*offices)[i], p, o);
            if (!o.id.empty()) ids.add(o.id, reader::at(p, "id"));
            c.offices.push_back(std::move(o));
        }
    }

    const auto* services = r.array(root, "", "services", true);
    if (!services) return;
    if (services->empty()) r.problem("services", "the catalogue has no service items");
    reader::unique ids(r, "service id");
    for (std::size_t i = 0; i < services->size(); ++i) {
        service_item s;
        const auto p = reader::at("services", i);
        read_service(r, (*services)[i], p, s);
        if (!s.id.empty()) ids.add(s.id, reader::at(p, "id"));
        if (!s.office.empty() && !c.find_office(s.office))
            r.problem(reader::at(p, "office"),
                      "unknown office " + in_quotes(s.office) +
                          "; add it to offices or use one of: " + join_ids(ids_of(c.offices)));
        c.services.push_back(std::move(s));
    }
}

bool plausible_phone(const std::string& phone) {
    // Mobile (13812345678), landline (024-87121001) or with a country code; digits dominate.
    int digits = 0;
    for (char ch : phone) {
        if (ch >= '0' && ch <= '9')
            ++digits;
        else if (ch != '-' && ch != '+' && ch != ' ')
            return false;
    }
    return digits >= 7 && digits <= 15;
}

// The channel -> platform id object of an agent or a household head ("ids"), each id checked
// against the others of its kind on that channel (`seen`, keyed by channel).
void read_platform_ids(reader& r,
                       const json& ids,
                       const std::string& ipath,
                       const std::string& kind,
                       std::map<std::string, std::unique_ptr<reader::unique>>& seen,
                       std::map<std::string, std::string>& out) {
    if (!ids.is_object()) {
        r.problem(ipath, std::string("must be an object, not ") + ids.type_name());
        return;
    }
    for (const auto& [channel, pid] : ids.items()) {
        const auto cpath = reader::at(ipath, channel.c_str());
        if (!one_of(channel, {"hook", "wechat", "wecom"})) {
            r.problem(cpath,
                      "unknown channel " + in_quotes(channel) + "; use hook, wechat or wecom");
            continue;
        }
        if (!pid.is_string() || pid.get_ref<const std::string&>().empty()) {
            r.problem(cpath, "must be a non-empty string");
            continue;
        }
        auto& s = seen[channel];
        if (!s)
            s = std::make_unique<reader::unique>(r, kind == "agent"
                                                        ? channel + " platform id"
                                                        : kind + " " + channel + " account id");
        s->add(pid.get<std::string>(), cpath);
        out[channel] = pid.get<std::string>();
    }
}

// households (optional): who lives where, their contact cadre and their head's accounts. Read
// after villages and agents, which they refer to.
void read_households(reader& r, const json& root, org& o) {
    const auto* households = r.array(root, "", "households", false);
    if (!households) return;
    reader::unique ids(r, "household id");
    std::map<std::string, std::unique_ptr<reader::unique>> accounts; // channel -> ids
    const auto village_ids = ids_of(o.villages);
    const auto agent_ids = ids_of(o.agents);
    for (std::size_t i = 0; i < households->size(); ++i) {
        const auto& j = (*households)[i];
        const auto p = reader::at("households", i);
        household h;
        if (!r.is_object(j, p)) continue;
        if (r.id(j, p, h.id)) ids.add(h.id, reader::at(p, "id"));
        r.string(j, p, "head", h.head, true);
        if (r.string(j, p, "village", h.village, true) && !o.find_village(h.village))
            r.problem(reader::at(p, "village"),
                      "unknown village " + in_quotes(h.village) +
                          "; add it to villages or use one of: " + join_ids(village_ids));
        if (r.string(j, p, "contact", h.contact, false) && !h.contact.empty() &&
            !o.find_agent(h.contact))
            r.problem(reader::at(p, "contact"),
                      "unknown contact agent " + in_quotes(h.contact) +
                          "; add it to agents or use one of: " + join_ids(agent_ids));
        if (r.string(j, p, "phone", h.phone, false) && !h.phone.empty() &&
            !plausible_phone(h.phone))
            r.problem(reader::at(p, "phone"), "malformed phone number " + in_quotes(h.phone));
        if (const auto it = j.find("ids"); it != j.end())
            read_platform_ids(r, *it, reader::at(p, "ids"), "household", accounts, h.ids);
        o.households.push_back(std::move(h));
    }
}

// `office_ids` is null when the catalogue could not be read (then township offices are not
// checked, rather than reported as unknown for a reason the operator already sees).
void read_org(reader& r, const json& root, org& o, const std::vector<std::string>* office_ids) {
    if (!r.is_object(root, "")) return;

    // Agents first: everything else refers to them.
    if (const auto* agents = r.array(root, "", "agents", true)) {
        reader::unique ids(r, "agent id");
        std::map<std::string, std::unique_ptr<reader::unique>> platform; // channel -> ids
        for (std::size_t i = 0; i < agents->size(); ++i) {
            const auto& j = (*agents)[i];
            const auto p = reader::at("agents", i);
            agent a;
            if (!r.is_object(j, p)) continue;
            if (r.id(j, p, a.id)) ids.add(a.id, reader::at(p, "id"));
            r.string(j, p, "name", a.name, true);
            if (r.string(j, p, "phone", a.phone, true) && !plausible_phone(a.phone))
                r.problem(reader::at(p, "phone"), "malformed phone number " + in_quotes(a.phone));
            if (r.string(j, p, "role", a.role, true) &&
                !one_of(a.role, {"village", "township", "county"}))
                r.problem(reader::at(p, "role"), "unknown role " + in_quotes(a.role) +
                                                     "; use village, township or county");
            const auto ipath = reader::at(p, "ids");
            if (const auto it = j.find("ids"); it == j.end())
                r.problem(ipath, "missing required field (an object: channel -> platform id, "
                                 "e.g. {\"hook\": \"u_agent_1\"})");
            else
                read_platform_ids(r, *it, ipath, "agent", platform, a.ids);
            o.agents.push_back(std::move(a));
        }
    }
    const auto agent_ids = ids_of(o.agents);
    auto check_agent = [&](const std::string& id, const std::string& path) {
        if (!id.empty() && !o.find_agent(id))
            r.problem(path, "unknown agent " + in_quotes(id) +
                                "; add it to agents or use one of: " + join_ids(agent_ids));
    };
    reader::unique groups(r, "group id");

    if (const auto* townships = r.array(root, "", "townships", true)) {
        if (townships->empty()) r.problem("townships", "there must be at least one township");
        reader::unique ids(r, "township id");
        for (std::size_t i = 0; i < townships->size(); ++i) {
            const auto& j = (*townships)[i];
            const auto p = reader::at("townships", i);
            township t;
            if (!r.is_object(j, p)) continue;
            if (r.id(j, p, t.id)) ids.add(t.id, reader::at(p, "id"));
            r.string(j, p, "name", t.name, true);
            if (r.string(j, p, "supervisor", t.supervisor, true))
                check_agent(t.supervisor, reader::at(p, "supervisor"));
            if (r.string(j, p, "group", t.group, true)) groups.add(t.group, reader::at(p, "group"));
            if (r.string(j, p, "office", t.office, false) && office_ids &&
                std::find(office_ids->begin(), office_ids->end(), t.office) == office_ids->end())
                r.problem(
                    reader::at(p, "office"),
                    "unknown office " + in_quotes(t.office) +
                        "; add it to catalog.json offices or use one of: " + join_ids(*office_ids));
            o.townships.push_back(std::move(t));
        }
    }

    if (const auto* villages = r.array(root, "", "villages", true)) {
        if (villages->empty()) r.problem("villages", "there must be at least one village");
        reader::unique ids(r, "village id");
        reader::unique names(r, "village name");
        const auto township_ids = ids_of(o.townships);
        for (std::size_t i = 0; i < villages->size(); ++i) {
            const auto& j = (*villages)[i];
            const auto p = reader::at("villages", i);
            village v;
            if (!r.is_object(j, p)) continue;
            if (r.id(j, p, v.id)) ids.add(v.id, reader::at(p, "id"));
            if (r.string(j, p, "name", v.name, true)) names.add(v.name, reader::at(p, "name"));
            r.strings(j, p, "aliases", v.aliases, false);
            if (r.string(j, p, "township", v.township, true) && !o.find_township(v.township))
                r.problem(reader::at(p, "township"),
                          "unknown township " + in_quotes(v.township) +
                              "; add it to townships or use one of: " + join_ids(township_ids));
            if (r.strings(j, p, "agents", v.agents, true)) {
                if (v.agents.empty())
                    r.problem(reader::at(p, "agents"),
                              "a village needs at least one agent (the first is the contact)");
                for (std::size_t k = 0; k < v.agents.size(); ++k)
                    check_agent(v.agents[k], reader::at(reader::at(p, "agents"), k));
            }
            if (r.string(j, p, "group", v.group, true)) groups.add(v.group, reader::at(p, "group"));
            o.villages.push_back(std::move(v));
        }
    }

    read_households(r, root, o);

    if (r.string(root, "", "county_admin", o.county_admin, true))
        check_agent(o.county_admin, "county_admin");
    if (r.string(root, "", "county_group", o.county_group, true))
        groups.add(o.county_group, "county_group");

    if (const auto it = root.find("time_limits"); it != root.end()) {
        if (!it->is_object()) {
            r.problem("time_limits", std::string("must be an object, not ") + it->type_name());
        } else {
            auto& l = o.limits;
            for (const auto& [key, value] : it->items())
                if (!one_of(key, {"complaint_days", "suggestion_days", "consultation_days",
                                  "emergency_township_minutes", "emergency_county_minutes"}))
                    r.problem(reader::at("time_limits", key.c_str()),
                              "unknown key; use complaint_days, suggestion_days, "
                              "consultation_days, emergency_township_minutes or "
                              "emergency_county_minutes");
            r.integer(*it, "time_limits", "complaint_days", l.complaint_days, false, true);
            r.integer(*it, "time_limits", "suggestion_days", l.suggestion_days, false, true);
            r.integer(*it, "time_limits", "consultation_days", l.consultation_days, false, true);
            r.integer(*it, "time_limits", "emergency_township_minutes",
                      l.emergency_township_minutes, false, true);
            r.integer(*it, "time_limits", "emergency_county_minutes", l.emergency_county_minutes,
                      false, true);
            if (l.emergency_county_minutes <= l.emergency_township_minutes)
                r.problem(reader::at("time_limits", "emergency_county_minutes"),
                          "must be later than emergency_township_minutes (the county hears after "
                          "the township)");
        }
    }
}

} // namespace

std::optional<time_period> parse_period(std::string_view text) {
    if (text.size() != 11 || text[5] != '-') return std::nullopt;
    auto minutes = [&](std::size_t at) -> int {
        const auto digit = [&](std::size_t k) {
            const char c = text[at + k];
            return c >= '0' && c <= '9' ? c - '0' : -1;
        };
        if (text[at + 2] != ':') return -1;
        const int h1 = digit(0), h2 = digit(1), m1 = digit(3), m2 = digit(4);
        if (h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) return -1;
        const int h = h1 * 10 + h2, m = m1 * 10 + m2;
        if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
        return h * 60 + m;
    };
    const int start = minutes(0), end = minutes(6);
    if (start < 0 || end < 0 || start >= end) return std::nullopt;
    return time_period{start, end};
}

const service_item* catalog::find_service(const std::string& id) const {
    return find_by_id(services, id);
}
const office* catalog::find_office(const std::string& id) const {
    return find_by_id(offices, id);
}
const village* org::find_village(const std::string& id) const {
    return find_by_id(villages, id);
}
const township* org::find_township(const std::string& id) const {
    return find_by_id(townships, id);
}
const agent* org::find_agent(const std::string& id) const {
    return find_by_id(agents, id);
}

bool org::is_agent_of(const village& v, const agent& a) {
    for (const auto& id : v.agents)
        if (id == a.id) return true;
    return false;
}

bool org::reaches(const agent& a, const village& v) const {
    if (a.role == "county" || is_agent_of(v, a)) return true;
    const auto* t = find_township(v.township);
    return t && t->supervisor == a.id;
}

const agent* org::agent_by_platform_id(const std::string& channel,
                                       const std::string& platform_id) const {
    if (channel == "console") return find_agent(platform_id);
    for (const auto& a : agents) {
        auto it = a.ids.find(channel);
        if (it != a.ids.end() && it->second == platform_id) return &a;
    }
    return nullptr;
}

const household* org::find_household(const std::string& id) const {
    return find_by_id(households, id);
}

const household* org::household_by_platform_id(const std::string& channel,
                                               const std::string& platform_id) const {
    for (const auto& h : households) {
        auto it = h.ids.find(channel);
        if (it != h.ids.end() && it->second == platform_id) return &h;
    }
    return nullptr;
}

const agent* org::contact_agent(const village& v, const household* h) const {
    if (h && h->village == v.id && !h->contact.empty())
        if (const auto* a = find_agent(h->contact)) return a;
    return v.agents.empty() ? nullptr : find_agent(v.agents.front());
}

const office* tenant_data::office_for(const service_item& item,
                                      const std::string& township_id) const {
    if (item.level != "county") {
        if (const auto* t = org_.find_township(township_id); t && !t->office.empty())
            if (const auto* o = catalog_.find_office(t->office)) return o;
    }
    return catalog_.find_office(item.office);
}

std::shared_ptr<const tenant_data> load_tenant_data(const std::string& dir,
                                                    std::vector<data_problem>& problems) {
    const auto before = problems.size();
    auto data = std::make_shared<tenant_data>();
    data->dir = dir;
    const auto base = std::filesystem::path(dir);

    reader cr((base / "catalog.json").string(), problems);
    const auto catalog_json = read_json_file(cr.file(), problems);
    if (catalog_json) read_catalog(cr, *catalog_json, data->catalog_);

    reader orr((base / "org.json").string(), problems);
    if (const auto org_json = read_json_file(orr.file(), problems)) {
        const auto office_ids = ids_of(data->catalog_.offices);
        read_org(orr, *org_json, data->org_, catalog_json ? &office_ids : nullptr);
    }

    // Optional: a tenant without faq.json simply has no policy FAQ.
    const auto faq_file = (base / "faq.json").string();
    if (std::error_code ec; std::filesystem::exists(faq_file, ec)) {
        if (const auto faq_json = read_json_file(faq_file, problems))
            data->faq_ = faq_index(read_faq(*faq_json, faq_file, problems));
    }

    if (problems.size() != before) return nullptr;
    return data;
}

} // namespace daiban::model
