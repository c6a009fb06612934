// bot layer: the tenants as the running bot sees them: configuration, loaded data and the NLU
// engine built from it. Immutable snapshots behind an atomic pointer, so a reload (SIGHUP)
// swaps them without stopping requests; a turn keeps the snapshot it started with.
#pragma once

#include "bot/config.hpp"
#include "bot/nlu/nlu.hpp"
#include "handlers/calendar.hpp"
#include "model/tenant_data.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace daiban::bot {

struct tenant_runtime {
    tenant_config cfg;
    std::shared_ptr<const model::tenant_data> data; // null if the tenant configures no data
    std::shared_ptr<const nlu::engine> nlu;
};

class tenant_registry {
public:
    // Loads every tenant's data; false (and problems) if any tenant's data is broken.
    bool load(const config& cfg, std::vector<model::data_problem>& problems);

    std::shared_ptr<const tenant_runtime> find(std::string_view id) const;

    // The working-day calendar (holidays_dir), shared by all tenants; loaded with the tenants.
    std::shared_ptr<const handlers::work_calendar> calendar() const { return calendar_.load(); }

private:
    using map = std::map<std::string, std::shared_ptr<const tenant_runtime>, std::less<>>;
    std::atomic<std::shared_ptr<const map>> tenants_{std::make_shared<const map>()};
    std::atomic<std::shared_ptr<const handlers::work_calendar>> calendar_{
        handlers::work_calendar::weekends_only()};
};

} // namespace daiban::bot
