// bot layer, channels: base64 encode/decode (see base64.hpp). Every WeChat safe-mode message is
// decoded once and answered with an encoded reply (~0.5–1.5 KB each way), so both are on the hot
// path. On CPUs with AVX2 (checked once at run time) the bulk goes 32 characters / 24 bytes per
// step through the vector code below; the scalar loops do the rest (the tail shorter than one
// step, the padded final quad) and everything on other CPUs. Both accept exactly the same input.
//
// Our own loops rather than EVP_EncodeBlock/EVP_DecodeBlock: those go a byte at a time through a
// function per character, and decoding needed a separate validating pass before them.
#include "bot/channels/base64.hpp"

#include <array>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#define DAIBAN_BASE64_AVX2 1
#include <immintrin.h>
#endif

namespace daiban::bot::channels {

namespace {
constexpr char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
// Each character's 6-bit value; 0xff for anything outside the alphabet (including '=', which
// only the padding code below accepts, and only at the end).
constexpr auto base64_values = [] {
    std::array<std::uint8_t, 256> t{};
    t.fill(0xff);
    for (std::uint8_t i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(base64_alphabet[i])] = i;
    return t;
}();

// ---- scalar ------------------------------------------------------------------------------------

// Encodes all `n` bytes (with padding) to `o`, which has room for 4 * ceil(n / 3) characters.
void encode_scalar(const unsigned char* in, std::size_t n, char* o) {
    std::size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        const std::uint32_t v =
            std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8 | in[i + 2];
        o[0] = base64_alphabet[v >> 18];
        o[1] = base64_alphabet[(v >> 12) & 63];
        o[2] = base64_alphabet[(v >> 6) & 63];
        o[3] = base64_alphabet[v & 63];
        o += 4;
    }
    if (const std::size_t rest = n - i; rest > 0) {
        const std::uint32_t v =
            std::uint32_t{in[i]} << 16 | (rest == 2 ? std::uint32_t{in[i + 1]} << 8 : 0);
        o[0] = base64_alphabet[v >> 18];
        o[1] = base64_alphabet[(v >> 12) & 63];
        o[2] = rest == 2 ? base64_alphabet[(v >> 6) & 63] : '=';
        o[3] = '=';
    }
}

// One quad's 24 bits from its first `chars` characters (the rest count as zero). ORs every
// value into `seen`: bit 7 set afterwards means some character was not base64.
std::uint32_t decode_quad(const unsigned char* in, std::size_t chars, std::uint32_t& seen) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
        const std::uint32_t d = k < chars ? base64_values[in[k]] : 0;
        seen |= d;
        v = v << 6 | d;
    }
    return v;
}

// Decodes `quads` whole (unpadded) quads from `in` to 3 * quads bytes at `o`.
void decode_scalar(const unsigned char* in,
                   std::size_t quads,
                   unsigned char* o,
                   std::uint32_t& seen) {
    for (std::size_t q = 0; q < quads; ++q) {
        const auto v = decode_quad(in + 4 * q, 4, seen);
        o[0] = static_cast<unsigned char>(v >> 16);
        o[1] = static_cast<unsigned char>(v >> 8);
        o[2] = static_cast<unsigned char>(v);
        o += 3;
    }
}

// ---- AVX2 --------------------------------------------------------------------------------------
// Compiled for AVX2 function by function (the rest of the build keeps the baseline ISA) and only
// called once have_avx2() said yes. AVX2 shuffles work within each 128-bit lane, so each lane
// handles 12 input bytes <-> 16 characters on its own, and every lookup table is one 16-byte
// table broadcast to both lanes.
#ifdef DAIBAN_BASE64_AVX2

bool have_avx2() {
    // GCC >= 8 and Clang also check (XGETBV) that the OS saves the YMM registers.
    static const bool yes = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") != 0;
    }();
    return yes;
}

// Encodes whole 24-byte blocks while each one's loads stay inside the input; returns how many
// bytes it consumed (a multiple of 24, < n), having written 4/3 as many characters to `o`.
__attribute__((target("avx2"))) std::size_t
encode_avx2(const unsigned char* in, std::size_t n, char* o) {
    // Per lane, 3-byte group k = (b0, b1, b2) goes to 32-bit word k as bytes (b1, b0, b2, b1):
    // read as little-endian 16-bit halves that is b0:b1 and b1:b2, which hold the four 6-bit
    // indices at bit offsets 10, 4 (low half) and 6, 0 (high half).
    const __m256i spread = _mm256_broadcastsi128_si256(
        _mm_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10));
    // Indices 0 and 2 (bits 10–15 of the low half, 6–11 of the high one): a 16-bit multiply-high
    // by 2^6 resp. 2^10 shifts them right by 10 resp. 6, landing them in bytes 0 and 2.
    const __m256i mask_ac = _mm256_set1_epi32(0x0fc0fc00);
    const __m256i shift_ac = _mm256_set1_epi32(0x04000040);
    // Indices 1 and 3 (bits 4–9 low, 0–5 high): a multiply-low by 2^4 resp. 2^8 shifts them
    // left into bytes 1 and 3. The two results do not overlap, so OR combines them.
    const __m256i mask_bd = _mm256_set1_epi32(0x003f03f0);
    const __m256i shift_bd = _mm256_set1_epi32(0x01000010);
    // Index -> ASCII is index + offset, the offset constant per range: A–Z (0–25) +65, a–z
    // (26–51) +71, 0–9 (52–61) -4, '+' (62) -19, '/' (63) -16. The range is found as
    // saturating(index - 51), i.e. 0 for 0–51, 1–12 for 52–63, with 0–25 then moved to 13.
    const __m256i offsets = _mm256_broadcastsi128_si256(
        _mm_setr_epi8(71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 65, 0, 0));
    const __m256i c51 = _mm256_set1_epi8(51);
    const __m256i c26 = _mm256_set1_epi8(26);
    const __m256i c13 = _mm256_set1_epi8(13);

    std::size_t i = 0;
    // The high lane loads 16 bytes at i + 12 (of which it uses 12): stop before reading past n.
    for (; i + 28 <= n; i += 24) {
        const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
        const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i + 12));
        const __m256i bytes = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
        const __m256i words = _mm256_shuffle_epi8(bytes, spread);
        const __m256i ac = _mm256_mulhi_epu16(_mm256_and_si256(words, mask_ac), shift_ac);
        const __m256i bd = _mm256_mullo_epi16(_mm256_and_si256(words, mask_bd), shift_bd);
        const __m256i idx = _mm256_or_si256(ac, bd); // one 6-bit index per byte, in output order
        __m256i range = _mm256_subs_epu8(idx, c51);
        // Indices are < 64, so a signed compare is fine; 0xff & 13 marks 0–25 as range 13.
        range = _mm256_or_si256(range, _mm256_and_si256(_mm256_cmpgt_epi8(c26, idx), c13));
        const __m256i ascii = _mm256_add_epi8(idx, _mm256_shuffle_epi8(offsets, range));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(o), ascii);
        o += 32;
    }
    return i;
}

// Decodes whole 32-character blocks of `in` (n characters, all of them whole quads without
// padding); returns how many characters it consumed (a multiple of 32), having written 3/4 as
// many bytes to `o`. Sets bit 7 of `seen` if any of them is not in the alphabet.
__attribute__((target("avx2"))) std::size_t
decode_avx2(const unsigned char* in, std::size_t n, unsigned char* o, std::uint32_t& seen) {
    // Validity by nibbles: the high nibble picks one class bit, the low nibble gives the set of
    // classes in which it is NOT valid; the character is invalid iff the two share a bit.
    // Classes by high nibble: 0x01 = 0, 1, 8–f (nothing valid: controls, ' ', bytes >= 0x80),
    // 0x02 = 2 (only b '+', f '/'), 0x04 = 3 (0–9), 0x08 = 4, 6 (1–f: A–O, a–o),
    // 0x10 = 5, 7 (0–a: P–Z, p–z).
    const __m256i invalid_by_lo =
        _mm256_broadcastsi128_si256(_mm_setr_epi8(0x0b, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03,
                                                  0x03, 0x03, 0x07, 0x15, 0x17, 0x17, 0x17, 0x15));
    const __m256i class_by_hi =
        _mm256_broadcastsi128_si256(_mm_setr_epi8(0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x08, 0x10,
                                                  0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01));
    // Value = character + offset, the offset chosen by high nibble: 2 '+' +19, 3 digits +4,
    // 4–5 upper case -65, 6–7 lower case -71. '/' shares nibble 2 with '+' but needs +16, so
    // it looks up entry 1 instead (no valid character has high nibble 1).
    const __m256i offsets = _mm256_broadcastsi128_si256(
        _mm_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0));
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    const __m256i slash = _mm256_set1_epi8('/');
    // Packing 4 x 6 bits: maddubs pairs (v0 * 64 + v1, v2 * 64 + v3) into 12-bit halves, madd
    // joins those as hi * 4096 + lo, giving each 32-bit word the 24-bit group (b0 b1 b2).
    const __m256i join6 = _mm256_set1_epi32(0x01400140);
    const __m256i join12 = _mm256_set1_epi32(0x00011000);
    // Little-endian, the word holds (b2, b1, b0, 0): reverse each group's three bytes and pack
    // the lane's 12 bytes at its start; the permute then puts lane 1's 12 right after lane 0's.
    const __m256i pack = _mm256_broadcastsi128_si256(
        _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1));
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);

    __m256i bad = _mm256_setzero_si256();
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m256i chars = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
        // No byte-wise shift exists: shift 32-bit words and mask, which drops the bits that
        // crossed over from the neighbouring byte.
        const __m256i hi = _mm256_and_si256(_mm256_srli_epi32(chars, 4), nibble);
        const __m256i lo = _mm256_and_si256(chars, nibble);
        bad = _mm256_or_si256(bad, _mm256_and_si256(_mm256_shuffle_epi8(invalid_by_lo, lo),
                                                    _mm256_shuffle_epi8(class_by_hi, hi)));
        // cmpeq gives -1 for '/', moving its lookup from entry 2 to entry 1.
        const __m256i row = _mm256_add_epi8(hi, _mm256_cmpeq_epi8(chars, slash));
        const __m256i values = _mm256_add_epi8(chars, _mm256_shuffle_epi8(offsets, row));
        const __m256i groups = _mm256_madd_epi16(_mm256_maddubs_epi16(values, join6), join12);
        const __m256i packed =
            _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(groups, pack), lanes);
        // Exactly 24 bytes, so the output never needs slack past its end.
        _mm_storeu_si128(reinterpret_cast<__m128i*>(o), _mm256_castsi256_si128(packed));
        _mm_storel_epi64(reinterpret_cast<__m128i*>(o + 16), _mm256_extracti128_si256(packed, 1));
        o += 24;
    }
    if (!_mm256_testz_si256(bad, bad)) seen |= 0x80;
    return i;
}

#else
bool have_avx2() {
    return false;
}
#endif

// ---- the common frame: sizes, padding, dispatch ------------------------------------------------

void append_impl(std::string& out, std::string_view bytes, bool simd) {
    const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    const std::size_t start = out.size();
    out.resize(start + 4 * ((n + 2) / 3));
    char* o = out.data() + start;
    std::size_t done = 0;
#ifdef DAIBAN_BASE64_AVX2
    if (simd) {
        done = encode_avx2(in, n, o);
        o += done / 3 * 4;
    }
#else
    (void)simd;
#endif
    encode_scalar(in + done, n - done, o);
}

std::optional<std::string> decode_impl(std::string_view text, bool simd) {
    if (text.size() % 4 != 0) return std::nullopt;
    if (text.empty()) return std::string();
    // Padding only in the last two positions, and nothing but padding after it: '=' anywhere
    // else is outside the alphabet for both paths and fails the whole input.
    const std::size_t pad = text.back() != '=' ? 0 : text[text.size() - 2] == '=' ? 2 : 1;
    const std::size_t quads = text.size() / 4;
    std::string out(3 * quads - pad, '\0');
    const auto* in = reinterpret_cast<const unsigned char*>(text.data());
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    std::uint32_t seen = 0;
    const std::size_t whole = pad ? quads - 1 : quads;
    std::size_t q = 0; // quads done by the vector code
#ifdef DAIBAN_BASE64_AVX2
    if (simd) {
        q = decode_avx2(in, 4 * whole, o, seen) / 4;
        o += 3 * q;
    }
#else
    (void)simd;
#endif
    decode_scalar(in + 4 * q, whole - q, o, seen);
    o += 3 * (whole - q);
    if (pad) {
        const auto v = decode_quad(in + 4 * whole, 4 - pad, seen);
        o[0] = static_cast<unsigned char>(v >> 16);
        if (pad == 1) o[1] = static_cast<unsigned char>(v >> 8);
    }
    if (seen & 0x80) return std::nullopt;
    return out;
}
} // namespace

void append_base64(std::string& out, std::string_view bytes) {
    append_impl(out, bytes, have_avx2());
}

std::string base64_encode(std::string_view bytes) {
    std::string out;
    append_base64(out, bytes);
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    return decode_impl(text, have_avx2());
}

namespace base64_detail {
void scalar_append_base64(std::string& out, std::string_view bytes) {
    append_impl(out, bytes, false);
}

std::optional<std::string> scalar_base64_decode(std::string_view text) {
    return decode_impl(text, false);
}

bool uses_avx2() {
    return have_avx2();
}
} // namespace base64_detail

} // namespace daiban::bot::channels
