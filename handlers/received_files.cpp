// handlers layer: keep_received_file (see received_files.hpp).
#include "handlers/received_files.hpp"

#include "handlers/case_support.hpp"

namespace daiban::handlers {

boost::asio::awaitable<std::optional<std::string>> keep_received_file(context& ctx) {
    if (!ctx.in.media) co_return std::nullopt;
    model::media_ref media = *ctx.in.media;
    if (media.data.empty()) {
        // WeChat sends a photo as a MediaId (valid three days): fetch it now, while it exists.
        boost::system::result<std::string> bytes =
            boost::system::errc::make_error_code(boost::system::errc::operation_not_supported);
        if (ctx.fetch_media) bytes = co_await ctx.fetch_media(media, cases::max_material_bytes);
        if (!bytes && bytes.error() == boost::system::errc::file_too_large) {
            ctx.say(ctx.text.format("material_too_large",
                                    {{"limit", std::to_string(cases::max_material_bytes >> 20)}}));
            co_return std::nullopt;
        }
        if (!bytes) { // (the fetcher has logged why)
            ctx.say(ctx.text.get("material_fetch_failed"));
            co_return std::nullopt;
        }
        media.data = std::move(*bytes);
    }
    if (media.data.size() > cases::max_material_bytes) {
        ctx.say(ctx.text.format("material_too_large",
                                {{"limit", std::to_string(cases::max_material_bytes >> 20)}}));
        co_return std::nullopt;
    }
    const auto type = cases::sniff_file_type(media.data);
    if (!type) {
        ctx.say(ctx.text.get("material_bad_type"));
        co_return std::nullopt;
    }
    const std::string mime = *type == "pdf"   ? "application/pdf"
                             : *type == "png" ? "image/png"
                                              : "image/jpeg";
    // Kept before anything else is read, so a later failure never loses it.
    try {
        auto stored =
            co_await ctx.stores.media.put(ctx.in.tenant, media.data, mime, *type, ctx.now);
        co_return stored.sha256;
    } catch (const state::store_unavailable&) {
        // Its own words (the photo was not kept: send it again), not the generic "稍后再试".
        ctx.say(ctx.text.get("material_store_failed"));
        co_return std::nullopt;
    }
}

} // namespace daiban::handlers
