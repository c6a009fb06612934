// bot layer: tenant registry (see tenants.hpp).
#include "bot/tenants.hpp"

namespace daiban::bot {

bool tenant_registry::load(const config& cfg, std::vector<model::data_problem>& problems) {
    auto next = std::make_shared<map>();
    bool ok = true;
    for (const auto& t : cfg.tenants) {
        auto rt = std::make_shared<tenant_runtime>();
        rt->cfg = t;
        if (!t.data_dir.empty()) {
            rt->data = model::load_tenant_data(t.data_dir, problems);
            if (!rt->data) ok = false;
        }
        rt->nlu = std::make_shared<const nlu::engine>(rt->data);
        next->emplace(t.id, std::move(rt));
    }
    auto cal = handlers::work_calendar::load(cfg.holidays_dir, problems);
    if (!cal) ok = false;
    if (!ok) return false;
    tenants_.store(std::move(next));
    calendar_.store(std::move(cal));
    return true;
}

std::shared_ptr<const tenant_runtime> tenant_registry::find(std::string_view id) const {
    auto m = tenants_.load();
    auto it = m->find(id);
    return it == m->end() ? nullptr : it->second;
}

} // namespace daiban::bot
