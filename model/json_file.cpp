// model layer: reading one JSON data file (see json_file.hpp).
#include "model/json_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace daiban::model {

std::optional<nlohmann::json> read_json_file(const std::string& file,
                                             std::vector<data_problem>& problems) {
    auto problem = [&](std::string message) { problems.push_back({file, "", std::move(message)}); };
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
        problem("is a directory, not a JSON file");
        return std::nullopt;
    }
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) {
        problem("cannot read file: " + ec.message());
        return std::nullopt;
    }
    if (size > max_data_file_bytes) {
        problem("file is too large (" + std::to_string(size) + " bytes; the limit is " +
                std::to_string(max_data_file_bytes) + ")");
        return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream buf;
    if (!in || !(buf << in.rdbuf())) {
        // An empty file also lands here (nothing was copied); report it as what it is.
        if (in && size == 0) {
            problem("invalid JSON: the file is empty");
        } else {
            problem("cannot read file");
        }
        return std::nullopt;
    }
    const std::string text = buf.str();
    // The only place exceptions are used: nlohmann's parse_error carries the byte offset that
    // lets us point at the line and column, which the non-throwing overload loses.
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < end; ++i) {
            if (text[i] == '\n') {
                line++;
                column = 1;
            } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
                column++; // count characters, not UTF-8 continuation bytes
            }
        }
        std::string detail = e.what();
        if (const auto p = detail.find(": ", detail.find("parse error")); p != std::string::npos)
            detail = detail.substr(p + 2);
        problem("invalid JSON at line " + std::to_string(line) + ", column " +
                std::to_string(column) + ": " + detail);
        return std::nullopt;
    }
}

} // namespace daiban::model
