// model layer: reading one JSON data file (tenant data, holiday tables) with every failure
// turned into a data_problem that names the file and, for syntax errors, the line and column.
#pragma once

#include "model/tenant_data.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace daiban::model {

// Data files are hand-edited tables of at most a few hundred entries; anything far larger is a
// mistake (a wrong file copied in) and is refused before parsing.
inline constexpr std::uintmax_t max_data_file_bytes = 8u << 20;

// Reads and parses `file`. On failure appends one problem (unreadable, too large, or invalid
// JSON at line L, column C) and returns nullopt.
std::optional<nlohmann::json> read_json_file(const std::string& file,
                                             std::vector<data_problem>& problems);

} // namespace daiban::model
