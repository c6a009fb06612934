// handlers layer: appointments at a service hall — book_appointment, reschedule_appointment,
// cancel_appointment, and the agents' day list ("预约 今天"). The bot never refuses a time: a
// past time, a closed day or an hour outside opening gets the nearest free slots, numbered, and
// the resident picks one (pending question "choice", options = slot ids). Seats are taken
// atomically by state/appointment_store; reminders are durable timers (see appointments.hpp).
#include "handlers/appointments.hpp"

#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"
#include "handlers/slots.hpp"
#include "state/resident_store.hpp"
#include "state/timer_store.hpp"

#include <algorithm>

namespace daiban::handlers {

namespace asio = boost::asio;

namespace {

constexpr std::size_t offered_slots = 3;
constexpr std::int64_t hour_ms = 3600 * 1000;

std::string weekday_name(civil_date d) {
    static const char* names[] = {"一", "二", "三", "四", "五", "六", "日"};
    return names[d.iso_weekday() - 1];
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

// What the question was about within `job` (a service id, an appointment id), or "".
std::string topic_rest(const pending_question* p, intent_id job) {
    if (!p || !p->about(job)) return {};
    return p->topic.subject;
}

// The office where `item` is handled for this resident (their township's hall when known).
const office* office_for(const context& ctx, const service_item& item) {
    std::string township;
    if (!ctx.conv.village.empty())
        if (const auto* v = ctx.data->org_.find_village(ctx.conv.village)) township = v->township;
    return ctx.data->office_for(item, township);
}

bool has_request(const intent& u) {
    return u.date || u.time || u.part;
}

slot_request request_of(const intent& u) {
    slot_request r;
    if (u.date) r.date = civil_date::parse_iso(*u.date);
    if (u.time) r.minute = parse_minute(*u.time);
    if (u.part) r.part = *u.part;
    return r;
}

std::string hours_text(const office_day& day) {
    std::vector<std::string> parts;
    for (const auto& p : day.periods)
        parts.push_back(minute_text(p.start_minute) + "-" + minute_text(p.end_minute));
    return join(parts, "、");
}

// Why the exact time asked for is not among the offers ("" when nothing is wrong with it).
std::string reason_text(const context& ctx, const office& o, const slot_request& req) {
    if (!req.date) return {};
    const auto today = civil_date::from_unix(ctx.now, china_utc_offset_minutes);
    const int now_minute = static_cast<int>((ctx.now / 60 + china_utc_offset_minutes) % 1440);
    if (*req.date < today || (*req.date == today && req.minute && *req.minute <= now_minute))
        return ctx.text.get("appt_reason_past");
    const auto day = ctx.calendar->office_hours(o, *req.date);
    if (!day.open || !day.service_day) {
        std::string why = day.reason;
        if (why == "closed" || why == "no_hours" || why.empty()) why = "休息日";
        if (day.open && !day.service_day) why = "不是集中办公日";
        return ctx.text.format(
            "appt_reason_closed",
            {{"date", when_text(*req.date, -1)}, {"office", o.name}, {"why", why}});
    }
    if (req.minute) {
        const bool inside = std::any_of(day.periods.begin(), day.periods.end(), [&](const auto& p) {
            return *req.minute >= p.start_minute && *req.minute < p.end_minute;
        });
        if (!inside) return ctx.text.format("appt_reason_hours", {{"hours", hours_text(day)}});
    }
    return {};
}

std::string choices_text(const std::vector<slot>& slots) {
    std::string out;
    for (std::size_t i = 0; i < slots.size(); ++i) {
        if (i) out += "\n";
        out += std::to_string(i + 1) + ". " + when_text(slots[i].date, slots[i].start_minute);
    }
    return out;
}

// The free slots nearest to `req` (leaving out `exclude`, a slot id).
asio::awaitable<std::vector<slot>>
free_slots(context& ctx, const office& o, const slot_request& req, const std::string& exclude) {
    const auto today = civil_date::from_unix(ctx.now, china_utc_offset_minutes);
    auto target = req.date && *req.date > today ? *req.date : today;
    auto first = target.plus_days(-7);
    if (first < today) first = today;
    std::vector<std::string> dates;
    for (auto d = first; d <= target.plus_days(31); d = d.plus_days(1))
        dates.push_back(d.iso());
    auto& store = ctx.stores.appointments;
    const auto counts = co_await store.taken_on(ctx.in.tenant, o.id, dates);
    auto is_free = [&](const slot& s) {
        if (!exclude.empty() && slot_id(o.id, s) == exclude) return false;
        const auto day = counts.find(s.date.iso());
        if (day == counts.end()) return true;
        const auto n = day->second.find(s.time());
        return n == day->second.end() || n->second < o.capacity;
    };
    co_return nearest_slots(*ctx.calendar, o, req, ctx.now, offered_slots, is_free);
}

// Offers the nearest free slots as a numbered choice under `topic`.
asio::awaitable<void> offer(context& ctx,
                            const service_item& item,
                            const office& o,
                            const slot_request& req,
                            std::string reason,
                            const question_topic& topic,
                            const state::appointment* moving) {
    // A move never offers the booking's own slot (its id has the slot_id format).
    const std::string own =
        moving ? moving->office + "|" + moving->date + "|" + moving->time : std::string();
    const auto slots = co_await free_slots(ctx, o, req, own);
    if (slots.empty()) {
        ctx.say(ctx.text.format("appt_none_free", {{"office", o.name}}));
        co_return;
    }
    // Say why the exact time was not offered when it is not among the offers.
    if (reason.empty() && req.date && req.minute) {
        const slot wanted{*req.date, *req.minute, *req.minute + o.slot_minutes};
        if (std::find(slots.begin(), slots.end(), wanted) == slots.end())
            reason = ctx.text.get("appt_reason_full");
    }
    std::vector<std::string> ids;
    for (const auto& s : slots)
        ids.push_back(slot_id(o.id, s));
    if (moving) {
        const auto d = civil_date::parse_iso(moving->date).value_or(civil_date{});
        ctx.say(ctx.text.format("appt_move_offer",
                                {{"when", when_text(d, parse_minute(moving->time).value_or(0))},
                                 {"reason", reason},
                                 {"choices", choices_text(slots)}}));
    } else if (!reason.empty()) {
        ctx.say(ctx.text.format("appt_offer_instead",
                                {{"reason", reason}, {"choices", choices_text(slots)}}));
    } else {
        ctx.say(ctx.text.format(
            "appt_offer",
            {{"office", o.name}, {"service", item.name}, {"choices", choices_text(slots)}}));
    }
    ctx.conv.pending = pending_question{question_kind::choice, topic, std::move(ids)};
}

// The resident's open case for this item (newest first), if any: a booking belongs to it (one
// active booking per case) and its materials say what is still missing.
asio::awaitable<std::optional<state::case_record>> open_case_for(context& ctx,
                                                                 const std::string& service) {
    auto& cases_store = ctx.stores.cases;
    const auto numbers = co_await cases_store.by_resident(ctx.in.tenant, cases::resident_id(ctx));
    for (auto it = numbers.rbegin(); it != numbers.rend(); ++it) {
        auto c = co_await cases_store.get(ctx.in.tenant, *it);
        if (c && c->service == service && state::is_open(c->status)) co_return std::move(c);
    }
    co_return std::nullopt;
}

// With no item named, a resident whose open cases are all for one item means that item.
asio::awaitable<std::string> sole_open_case_service(context& ctx) {
    auto& cases_store = ctx.stores.cases;
    const auto numbers = co_await cases_store.by_resident(ctx.in.tenant, cases::resident_id(ctx));
    std::string found;
    for (const auto n : numbers) {
        const auto c = co_await cases_store.get(ctx.in.tenant, n);
        if (!c || !state::is_open(c->status)) continue;
        if (!found.empty() && found != c->service) co_return std::string{};
        found = c->service;
    }
    co_return found;
}

// What the resident still has to send before the visit: from their case when there is one,
// else (no case yet) the item's checklist of photos and files.
std::vector<std::string> missing_materials(const service_item& item,
                                           const std::optional<state::case_record>& c) {
    std::vector<std::string> out;
    if (c) {
        for (const auto* m : cases::needed(*c))
            out.push_back(m->name);
        return out;
    }
    for (const auto& m : item.materials)
        if (m.kind == "photo" || m.kind == "file") out.push_back(m.name);
    return out;
}

void confirm_booking(context& ctx,
                     const service_item& item,
                     const office& o,
                     civil_date d,
                     int minute,
                     const std::vector<std::string>& missing) {
    const auto missing_text =
        missing.empty() ? ctx.text.get("appt_missing_none")
                        : ctx.text.format("appt_missing", {{"materials", join(missing, "、")}});
    ctx.say(ctx.text.format("appt_booked", {{"when", when_text(d, minute)},
                                            {"office", o.name},
                                            {"address", o.address},
                                            {"phone", o.phone},
                                            {"originals", originals_text(item)},
                                            {"missing", missing_text}}));
}

asio::awaitable<void> say_already(context& ctx, const state::appointment& a) {
    const auto* item = ctx.data->catalog_.find_service(a.service);
    const auto* o = ctx.data->catalog_.find_office(a.office);
    const auto d = civil_date::parse_iso(a.date).value_or(civil_date{});
    ctx.say(
        ctx.text.format("appt_already", {{"when", when_text(d, parse_minute(a.time).value_or(0))},
                                         {"office", o ? o->name : a.office},
                                         {"service", item ? item->name : a.service}}));
    co_return;
}

// The resident picked slot `chosen` for `service`.
asio::awaitable<void>
book_slot(context& ctx, const std::string& service, const std::string& chosen) {
    const auto* item = ctx.data->catalog_.find_service(service);
    const auto ref = parse_slot_id(chosen);
    const office* o = ref ? ctx.data->catalog_.find_office(ref->office) : nullptr;
    if (!item || !o) {
        ctx.say(ctx.text.get("appt_ask_service"));
        ctx.conv.pending =
            pending_question{question_kind::service, {intent_id::book_appointment, {}}, {}};
        co_return;
    }
    const slot_request again{ref->date, ref->start_minute, std::nullopt};
    const question_topic topic{intent_id::book_appointment, service};
    // Time went on since the offer: the slot may have started.
    const auto still = office_slots(*ctx.calendar, *o, ref->date, ctx.now);
    if (std::none_of(still.begin(), still.end(),
                     [&](const slot& s) { return s.start_minute == ref->start_minute; })) {
        co_await offer(ctx, *item, *o, again, ctx.text.get("appt_reason_past"), topic, nullptr);
        co_return;
    }
    state::appointment a;
    a.resident = ctx.in.from_id;
    a.channel = ctx.in.channel;
    a.service = service;
    const auto the_case = co_await open_case_for(ctx, service);
    a.scope = the_case ? "case:" + std::to_string(the_case->number) : service;
    a.office = o->id;
    a.date = ref->date.iso();
    a.time = minute_text(ref->start_minute);
    auto& store = ctx.stores.appointments;
    const auto booked =
        co_await store.book(ctx.in.tenant, a, o->capacity, ref->start_minute, ctx.now);
    switch (booked.outcome) {
    case state::booking_outcome::booked: {
        a.id = booked.id;
        // The seat is booked: a failure from here on must not fail the turn (the resident
        // would be told to try again and book twice).
        try {
            co_await arm_reminders(ctx.stores.timers, ctx.in.tenant, a, ctx.now_ms);
        } catch (const state::store_unavailable&) {
            // a reminder that failed to arm does not undo the booking
        }
        // The office's day list names the resident (agents read names, not ids).
        state::resident_profile reach;
        reach.channel = ctx.in.channel;
        reach.chat = ctx.in.from_id;
        reach.name = ctx.in.from_name;
        try {
            co_await ctx.stores.residents.touch(ctx.in.tenant, cases::resident_id(ctx), reach);
        } catch (const state::store_unavailable&) {
            // a name not kept does not undo the booking either
        }
        confirm_booking(ctx, *item, *o, ref->date, ref->start_minute,
                        missing_materials(*item, the_case));
        co_return;
    }
    case state::booking_outcome::already: {
        const auto existing = co_await store.find(ctx.in.tenant, booked.id);
        if (existing) co_await say_already(ctx, *existing);
        co_return;
    }
    default:
        co_await offer(ctx, *item, *o, again, ctx.text.get("appt_taken_meanwhile"), topic, nullptr);
        co_return;
    }
}

// Agents: the day's bookings ("预约 今天", "预约 明天").
asio::awaitable<void> day_list(context& ctx) {
    const auto today = civil_date::from_unix(ctx.now, china_utc_offset_minutes);
    civil_date d = today;
    if (ctx.understood.date) d = civil_date::parse_iso(*ctx.understood.date).value_or(today);
    auto& store = ctx.stores.appointments;
    const auto list = co_await store.on_date(ctx.in.tenant, d.iso());
    const auto date = when_text(d, -1);
    if (list.empty()) {
        ctx.say(ctx.text.format("appt_day_empty", {{"date", date}}));
        co_return;
    }
    std::vector<std::string> items;
    for (const auto& a : list) {
        const auto* item = ctx.data->catalog_.find_service(a.service);
        const auto* o = ctx.data->catalog_.find_office(a.office);
        // Agents read names, never platform ids.
        const auto prof = co_await ctx.stores.residents.get(
            ctx.in.tenant, cases::resident_id(a.channel, a.resident));
        const std::string who = !prof.name.empty() ? "居民" + prof.name : "一位居民";
        items.push_back(
            ctx.text.format("appt_day_item", {{"time", a.time},
                                              {"office", o ? o->name : a.office},
                                              {"service", item ? item->name : a.service},
                                              {"resident", who}}));
    }
    ctx.say(ctx.text.format(
        "appt_day_list",
        {{"date", date}, {"count", std::to_string(list.size())}, {"items", join(items, "\n")}}));
}

// The booking a reschedule or cancel is about: the one for the named service, else the latest.
const state::appointment* pick(const std::vector<state::appointment>& mine, const intent& u) {
    if (mine.empty()) return nullptr;
    if (u.service)
        for (const auto& a : mine)
            if (a.service == *u.service) return &a;
    return &mine.back();
}

} // namespace

std::string when_text(civil_date d, int minute) {
    std::string out =
        std::to_string(d.month) + "月" + std::to_string(d.day) + "日（周" + weekday_name(d) + "）";
    if (minute < 0) return out;
    out += minute < 12 * 60 ? "上午" : "下午";
    return out + minute_text(minute);
}

std::string originals_text(const service_item& item) {
    std::vector<std::string> names;
    for (const auto& m : item.materials)
        if (m.kind != "info") names.push_back(m.name);
    return join(names, "、");
}

std::vector<std::string> reminder_ids(const std::string& appointment_id) {
    return {"appt:" + appointment_id + ":eve", "appt:" + appointment_id + ":hour"};
}

asio::awaitable<void> arm_reminders(state::timer_store& timers,
                                    const std::string& tenant,
                                    const state::appointment& a,
                                    std::int64_t now_ms) {
    const auto d = civil_date::parse_iso(a.date);
    const auto minute = parse_minute(a.time);
    if (!d || !minute) co_return;
    const slot s{*d, *minute, *minute};
    const std::int64_t start_ms = s.start_unix() * 1000;
    const std::int64_t eve_ms = slot{d->plus_days(-1), 18 * 60, 18 * 60}.start_unix() * 1000;
    const auto ids = reminder_ids(a.id);
    const std::string payload = a.id + "|" + a.office + "|" + a.date + "|" + a.time;
    const std::pair<std::string, std::int64_t> plan[] = {{"appt_eve", eve_ms},
                                                         {"appt_hour", start_ms - hour_ms}};
    std::vector<std::string> stale;
    for (std::size_t i = 0; i < 2; ++i) {
        if (plan[i].second <= now_ms) {
            stale.push_back(ids[i]);
            continue;
        }
        state::timer t;
        t.id = ids[i];
        t.due_ms = plan[i].second;
        t.kind = plan[i].first;
        t.target = a.resident;
        t.channel = a.channel;
        t.payload = payload;
        co_await timers.schedule(tenant, t);
    }
    if (!stale.empty()) co_await timers.cancel(tenant, std::move(stale));
}

asio::awaitable<void>
fire_appointment_reminder(context& ctx, const std::string& kind, const std::string& payload) {
    // payload: id|office|date|time — the slot the reminder was armed for.
    const auto bar = payload.find('|');
    if (bar == std::string::npos || !ctx.data) co_return;
    const auto id = payload.substr(0, bar);
    auto& store = ctx.stores.appointments;
    const auto found = co_await store.find(ctx.in.tenant, id); // a failure throws: retried
    if (!found) co_return;
    const auto& a = *found;
    // A stale reminder (moved or cancelled booking) says nothing.
    if (a.status != "active" || payload != a.id + "|" + a.office + "|" + a.date + "|" + a.time)
        co_return;
    const auto* item = ctx.data->catalog_.find_service(a.service);
    const auto* o = ctx.data->catalog_.find_office(a.office);
    if (!item || !o) co_return;
    const int minute = parse_minute(a.time).value_or(0);
    const bool eve = kind == "appt_eve";
    const std::string time =
        eve ? std::string(minute < 12 * 60 ? "上午" : "下午") + a.time : a.time;
    ctx.say(ctx.text.format(eve ? "remind_appt_eve" : "remind_appt_hour",
                            {{"time", time},
                             {"office", o->name},
                             {"address", o->address},
                             {"service", item->name},
                             {"originals", originals_text(*item)}}));
}

asio::awaitable<void> handle_book_appointment(context& ctx) {
    if (!ctx.data || !ctx.calendar) {
        ctx.say(ctx.text.get("fallback"));
        co_return;
    }
    if (ctx.sender_agent()) {
        co_await day_list(ctx);
        co_return;
    }
    const auto* asked = ctx.asked;
    if (asked && asked->asks(question_kind::choice, intent_id::book_appointment) &&
        ctx.understood.choice && *ctx.understood.choice >= 1 &&
        *ctx.understood.choice <= static_cast<int>(asked->options.size())) {
        co_await book_slot(ctx, topic_rest(asked, intent_id::book_appointment),
                           asked->options[static_cast<std::size_t>(*ctx.understood.choice - 1)]);
        co_return;
    }
    std::string service =
        ctx.understood.service.value_or(topic_rest(asked, intent_id::book_appointment));
    if (service.empty()) service = co_await sole_open_case_service(ctx);
    // "我想约个时间去办" right after asking how 养老金认证 is done: the item just talked about.
    // (Nothing is booked on it unasked: the reply names the item and offers times to pick.)
    if (service.empty()) service = ctx.conv.service;
    const auto* item = ctx.data->catalog_.find_service(service);
    if (!item) {
        ctx.say(ctx.text.get("appt_ask_service"));
        ctx.conv.pending =
            pending_question{question_kind::service, {intent_id::book_appointment, {}}, {}};
        co_return;
    }
    const auto* o = office_for(ctx, *item);
    if (!o) {
        ctx.say(ctx.text.format("appt_no_office", {{"service", item->name}}));
        co_return;
    }
    auto& store = ctx.stores.appointments;
    const auto mine = co_await store.active_of(ctx.in.tenant, ctx.in.from_id);
    for (const auto& a : mine)
        if (a.service == service) {
            co_await say_already(ctx, a);
            co_return;
        }
    const question_topic topic{intent_id::book_appointment, service};
    if (!has_request(ctx.understood)) {
        ctx.say(ctx.text.format("appt_ask_date", {{"service", item->name}}));
        ctx.conv.pending = pending_question{question_kind::date, topic, {}};
        co_return;
    }
    const auto req = request_of(ctx.understood);
    co_await offer(ctx, *item, *o, req, reason_text(ctx, *o, req), topic, nullptr);
}

asio::awaitable<void> handle_reschedule_appointment(context& ctx) {
    if (!ctx.data || !ctx.calendar) {
        ctx.say(ctx.text.get("fallback"));
        co_return;
    }
    auto& store = ctx.stores.appointments;
    const auto* asked = ctx.asked;
    if (asked && asked->asks(question_kind::choice, intent_id::reschedule_appointment) &&
        ctx.understood.choice && *ctx.understood.choice >= 1 &&
        *ctx.understood.choice <= static_cast<int>(asked->options.size())) {
        const auto id = topic_rest(asked, intent_id::reschedule_appointment);
        const auto ref =
            parse_slot_id(asked->options[static_cast<std::size_t>(*ctx.understood.choice - 1)]);
        const office* o = ref ? ctx.data->catalog_.find_office(ref->office) : nullptr;
        if (!o) co_return;
        const auto moved = co_await store.move(ctx.in.tenant, id, ctx.in.from_id, o->id,
                                               ref->date.iso(), minute_text(ref->start_minute),
                                               o->capacity, ref->start_minute, ctx.now);
        if (moved.outcome == state::booking_outcome::booked) {
            // Moved: re-arming the reminders is best effort, as before (a failure must not tell
            // the resident to try a move that is done; a stale reminder checks its booking).
            try {
                const auto now_a = co_await store.find(ctx.in.tenant, id);
                if (now_a)
                    co_await arm_reminders(ctx.stores.timers, ctx.in.tenant, *now_a, ctx.now_ms);
            } catch (const state::store_unavailable&) {
            }
            ctx.say(
                ctx.text.format("appt_moved", {{"when", when_text(ref->date, ref->start_minute)},
                                               {"office", o->name},
                                               {"address", o->address}}));
            co_return;
        }
        if (moved.outcome == state::booking_outcome::same) {
            ctx.say(ctx.text.get("appt_same"));
            co_return;
        }
        if (moved.outcome == state::booking_outcome::gone) {
            ctx.say(ctx.text.get("appt_none"));
            co_return;
        }
        // Full meanwhile: offer again around the slot picked.
        const auto cur = co_await store.find(ctx.in.tenant, id);
        const auto* item = cur ? ctx.data->catalog_.find_service(cur->service) : nullptr;
        if (!item) co_return;
        const slot_request again{ref->date, ref->start_minute, std::nullopt};
        // Named, not a braced temporary in the co_await (GCC 12 destroys those twice).
        const question_topic topic{intent_id::reschedule_appointment, id};
        co_await offer(ctx, *item, *o, again, ctx.text.get("appt_taken_meanwhile"), topic, &*cur);
        co_return;
    }
    const auto mine = co_await store.active_of(ctx.in.tenant, ctx.in.from_id);
    const auto* a = pick(mine, ctx.understood);
    if (!a) {
        ctx.say(ctx.text.get("appt_none"));
        co_return;
    }
    const auto* item = ctx.data->catalog_.find_service(a->service);
    const auto* o = ctx.data->catalog_.find_office(a->office);
    if (!item || !o) co_return;
    const auto req = request_of(ctx.understood);
    const question_topic topic{intent_id::reschedule_appointment, a->id};
    co_await offer(ctx, *item, *o, req, reason_text(ctx, *o, req), topic, a);
}

asio::awaitable<void> handle_cancel_appointment(context& ctx) {
    if (!ctx.data) {
        ctx.say(ctx.text.get("fallback"));
        co_return;
    }
    auto& store = ctx.stores.appointments;
    const auto mine = co_await store.active_of(ctx.in.tenant, ctx.in.from_id);
    const auto* a = pick(mine, ctx.understood);
    if (!a) {
        ctx.say(ctx.text.get("appt_none"));
        co_return;
    }
    const auto copy = *a;
    co_await store.cancel(ctx.in.tenant, copy.id, ctx.in.from_id, ctx.now);
    // Disarm the reminders (they would stay silent anyway: a reminder checks its booking), best
    // effort as before: the booking is cancelled, a failure here must not say otherwise.
    auto& timers = ctx.stores.timers;
    try {
        co_await timers.cancel(ctx.in.tenant, reminder_ids(copy.id));
    } catch (const state::store_unavailable&) {
    }
    const auto* o = ctx.data->catalog_.find_office(copy.office);
    const auto d = civil_date::parse_iso(copy.date).value_or(civil_date{});
    ctx.say(ctx.text.format("appt_cancelled",
                            {{"when", when_text(d, parse_minute(copy.time).value_or(0))},
                             {"office", o ? o->name : copy.office}}));
}

} // namespace daiban::handlers
