// handlers layer: loading and validating tenant data (see tenant_data.hpp).
#include "handlers/tenant_data.hpp"

namespace daiban::handlers {

namespace {
template <class T>
const T* find_by_id(const std::vector<T>& v, const std::string& id) {
    for (const auto& x : v)
        if (x.id == id) return &x;
    return nullptr;
}
} // namespace

const service_item* catalog::find_service(const std::string& id) const { return find_by_id(services, id); }
const office* catalog::find_office(const std::string& id) const { return find_by_id(offices, id); }
const village* org::find_village(const std::string& id) const { return find_by_id(villages, id); }
const township* org::find_township(const std::string& id) const { return find_by_id(townships, id); }
const agent* org::find_agent(const std::string& id) const { return find_by_id(agents, id); }

const agent* org::agent_by_platform_id(const std::string& channel, const std::string& platform_id) const {
    for (const auto& a : agents) {
        auto it = a.ids.find(channel);
        if (it != a.ids.end() && it->second == platform_id) return &a;
    }
    return nullptr;
}

std::shared_ptr<const tenant_data> load_tenant_data(const std::string& dir,
                                                    std::vector<data_problem>& problems) {
    // TODO(tenant data): parse catalog.json and org.json.
    problems.push_back({dir, "", "tenant data loading is not implemented yet"});
    return nullptr;
}

} // namespace daiban::handlers
