/*
 * packetpeer.hpp: a header-only C++17 layer over packetpeer.h (written by hand, not generated).
 *
 * - Every handle type has a move-only RAII owner: Variant, Codec, Peer (and the classes built on it:
 *   PacketPeerUDP, PacketPeerStream, PacketPeerDTLS, WebRTCDataChannel, ENetMultiplayerPeer,
 *   WebSocketPeer, WebSocketMultiplayerPeer, WebRTCMultiplayerPeer, OfflineMultiplayerPeer),
 *   StreamPeer (StreamPeerTCP, StreamPeerTLS, StreamPeerBuffer), UDPServer, TCPServer,
 *   ENetConnection, DTLSServer, WebRTCPeerConnection, CryptoKey, X509Certificate, TLSOptions. The
 *   destructor calls the matching pp_*_free. `get()` lends the C handle to any pp_* call not
 *   wrapped here (the extension classes' callback tables, for one); `release()` gives it up.
 * - Peers lent by their owner (the ENetPacketPeers of an ENetConnection, the WebSocketPeers of a
 *   WebSocketMultiplayerPeer) are views (ENetPacketPeer, WebSocketPeerView), never freed here. Handles the C API hands over as new (a data channel from
 *   create_data_channel or a DATA_CHANNEL_RECEIVED event, WebRTCMultiplayerPeer::get_peer's
 *   connection, a StreamPeerTLS's get_stream) are owners.
 * - Failures in words: `last_error_text()` (a std::string, "" when nothing failed) on every class
 *   whose C calls keep one; pp::tls_last_error_text() for key, certificate and TLSOptions calls.
 * - The network conditioner: pp::ConditionerOptions (a pp_conditioner_options filled by
 *   pp_conditioner_options_init) given to set_conditioner on PacketPeerUDP, ENetConnection,
 *   PacketPeerDTLS, DTLSServer and WebRTCPeerConnection; get_conditioner_stats reads its counters.
 * - Inputs: std::string_view for text, pp::Bytes (pointer + size; built from a std::vector, a
 *   std::string, a std::string_view, a std::array, a C array, or a std::span in C++20) for bytes. Inputs are copied
 *   by the library, as in C.
 * - Results: pp::Result<T> holds a T or a pp_error and works with -fno-exceptions: test it
 *   (`if (r)`, `r.ok()`, `r.error()`), then use `*r` / `r->` / `r.value()`; using the value of a
 *   failed result aborts (it never reads garbage). pp::Result<void> (pp::Status) carries only the
 *   code. With exceptions on (`__cpp_exceptions`), `r.value_or_throw()` and pp::check(code) throw
 *   pp::Exception (a std::runtime_error holding the code).
 * - Threads and ownership: exactly as the C header says; nothing here adds state or locks.
 *
 * Needs C++17; includes only packetpeer.h and standard headers. Compiles with -Wall -Wextra
 * -Wpedantic -Werror, with and without -fno-exceptions (tests/cpp/).
 */
#ifndef PACKETPEER_HPP
#define PACKETPEER_HPP

#include <packetpeer.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>
#if __cplusplus >= 202002L && __has_include(<span>)
#include <span>
#endif
#if defined(__cpp_exceptions)
#include <stdexcept>
#endif

namespace pp {

/// Godot's name of an error code ("ERR_BUSY"); never NULL.
inline const char *error_name(pp_error code) noexcept { return pp_error_name(static_cast<int32_t>(code)); }

#if defined(__cpp_exceptions)
/// Thrown by the throwing helpers (only when exceptions are enabled).
class Exception : public std::runtime_error {
public:
    explicit Exception(pp_error code) : std::runtime_error(error_name(code)), code_(code) {}
    pp_error code() const noexcept { return code_; }

private:
    pp_error code_;
};

/// Throws pp::Exception for any code but PP_OK.
inline void check(pp_error code) {
    if (code != PP_OK) throw Exception(code);
}
#endif

namespace detail {
[[noreturn]] inline void bad_access() noexcept { std::abort(); }
} // namespace detail

/// A T or a pp_error. Usable without exceptions: check it before taking the value.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) noexcept(std::is_nothrow_move_constructible_v<T>) : code_(PP_OK) {
        ::new (static_cast<void *>(&storage_)) T(std::move(value));
    }
    Result(pp_error code) noexcept : code_(code == PP_OK ? PP_ERR_BUG : code) {}
    Result(Result &&o) noexcept(std::is_nothrow_move_constructible_v<T>) : code_(o.code_) {
        if (code_ == PP_OK) ::new (static_cast<void *>(&storage_)) T(std::move(*o.ptr()));
    }
    Result(const Result &) = delete;
    Result &operator=(const Result &) = delete;
    Result &operator=(Result &&) = delete;
    ~Result() {
        if (code_ == PP_OK) ptr()->~T();
    }

    bool ok() const noexcept { return code_ == PP_OK; }
    explicit operator bool() const noexcept { return ok(); }
    /// PP_OK or the error.
    pp_error error() const noexcept { return code_; }
    const char *error_name() const noexcept { return pp::error_name(code_); }

    /// The value; aborts if this holds an error.
    T &value() & noexcept {
        if (!ok()) detail::bad_access();
        return *ptr();
    }
    const T &value() const & noexcept {
        if (!ok()) detail::bad_access();
        return *ptr();
    }
    T &&value() && noexcept {
        if (!ok()) detail::bad_access();
        return std::move(*ptr());
    }
    T &operator*() & noexcept { return value(); }
    const T &operator*() const & noexcept { return value(); }
    T &&operator*() && noexcept { return std::move(*this).value(); }
    T *operator->() noexcept { return &value(); }
    const T *operator->() const noexcept { return &value(); }
    /// The value, or `fallback` when this holds an error.
    T value_or(T fallback) && { return ok() ? std::move(*ptr()) : std::move(fallback); }
#if defined(__cpp_exceptions)
    /// The value, or throws pp::Exception.
    T &value_or_throw() & {
        check(code_);
        return *ptr();
    }
    T &&value_or_throw() && {
        check(code_);
        return std::move(*ptr());
    }
#endif

private:
    T *ptr() noexcept { return std::launder(reinterpret_cast<T *>(&storage_)); }
    const T *ptr() const noexcept { return std::launder(reinterpret_cast<const T *>(&storage_)); }
    pp_error code_;
    alignas(T) unsigned char storage_[sizeof(T)];
};

/// Only a code: the result of a call that returns nothing else.
template <>
class [[nodiscard]] Result<void> {
public:
    Result(pp_error code = PP_OK) noexcept : code_(code) {}
    bool ok() const noexcept { return code_ == PP_OK; }
    explicit operator bool() const noexcept { return ok(); }
    pp_error error() const noexcept { return code_; }
    const char *error_name() const noexcept { return pp::error_name(code_); }
#if defined(__cpp_exceptions)
    void value_or_throw() const { check(code_); }
#endif

private:
    pp_error code_;
};
using Status = Result<void>;

/// A read-only byte range: (pointer, size). Copied by every call that takes it.
struct Bytes {
    const uint8_t *data = nullptr;
    size_t size = 0;
    constexpr Bytes() noexcept = default;
    constexpr Bytes(const uint8_t *d, size_t n) noexcept : data(d), size(n) {}
    Bytes(const std::vector<uint8_t> &v) noexcept : data(v.data()), size(v.size()) {}
    Bytes(std::string_view s) noexcept : data(reinterpret_cast<const uint8_t *>(s.data())), size(s.size()) {}
    Bytes(const std::string &s) noexcept : data(reinterpret_cast<const uint8_t *>(s.data())), size(s.size()) {}
    template <size_t N>
    constexpr Bytes(const std::array<uint8_t, N> &a) noexcept : data(a.data()), size(N) {}
    template <size_t N>
    constexpr Bytes(const uint8_t (&a)[N]) noexcept : data(a), size(N) {}
#if defined(__cpp_lib_span)
    template <size_t E>
    constexpr Bytes(std::span<const uint8_t, E> s) noexcept : data(s.data()), size(s.size()) {}
#endif
};

namespace detail {
/// A NUL-terminated copy of a string_view (the C API takes C strings); small ones stay on the stack.
class CStr {
public:
    explicit CStr(std::string_view s) {
        if (s.size() < sizeof(small_)) {
            s.copy(small_, s.size());
            small_[s.size()] = '\0';
            p_ = small_;
        } else {
            big_.assign(s.data(), s.size());
            p_ = big_.c_str();
        }
        // An embedded NUL would silently cut the text: the C call sees a different string.
        has_nul_ = s.find('\0') != std::string_view::npos;
    }
    const char *c_str() const noexcept { return p_; }
    bool valid() const noexcept { return !has_nul_; }

private:
    char small_[128];
    std::string big_;
    const char *p_ = nullptr;
    bool has_nul_ = false;
};

/// Reads text from a (buf, size, *out_len) call into a std::string.
template <typename F>
Result<std::string> text(F &&call) {
    std::string out(64, '\0');
    size_t len = 0;
    pp_error e = call(out.data(), out.size(), &len);
    if (e == PP_ERR_PARAMETER_RANGE_ERROR && len + 1 > out.size()) {
        out.assign(len + 1, '\0');
        e = call(out.data(), out.size(), &len);
    }
    if (e != PP_OK) return e;
    out.resize(len);
    return out;
}

/// Move-only owner of a C handle freed by `Free`.
template <typename T, void (*Free)(T *)>
class Owner {
public:
    Owner() noexcept = default;
    explicit Owner(T *p) noexcept : p_(p) {}
    Owner(Owner &&o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    Owner &operator=(Owner &&o) noexcept {
        if (this != &o) reset(std::exchange(o.p_, nullptr));
        return *this;
    }
    Owner(const Owner &) = delete;
    Owner &operator=(const Owner &) = delete;
    ~Owner() { reset(); }

    /// The C handle, still owned here.
    T *get() const noexcept { return p_; }
    /// Gives the C handle up: the caller frees it.
    T *release() noexcept { return std::exchange(p_, nullptr); }
    void reset(T *p = nullptr) noexcept {
        T *old = std::exchange(p_, p);
        if (old) Free(old);
    }
    explicit operator bool() const noexcept { return p_ != nullptr; }

private:
    T *p_ = nullptr;
};

/// Builds a Wrapper from a constructor call `f(&out)`.
template <typename Wrapper, typename Handle, typename F>
Result<Wrapper> make(F &&f) {
    Handle *out = nullptr;
    pp_error e = f(&out);
    if (e != PP_OK) return e;
    return Wrapper(out);
}

/// A T filled by `f(&out)`.
template <typename T, typename F>
Result<T> fill(F &&f) {
    T v{};
    pp_error e = f(&v);
    if (e != PP_OK) return e;
    return v;
}

/// Text read as `text` does; "" when the call fails.
template <typename F>
std::string text_or_empty(F &&call) {
    return text(std::forward<F>(call)).value_or(std::string());
}

/// Text read as `text` does, split at '\n' (the C calls join list entries so); "" gives none.
template <typename F>
Result<std::vector<std::string>> lines(F &&call) {
    Result<std::string> t = text(std::forward<F>(call));
    if (!t) return t.error();
    std::vector<std::string> out;
    std::string_view rest(*t);
    while (!rest.empty()) {
        size_t nl = rest.find('\n');
        out.emplace_back(rest.substr(0, nl));
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }
    return out;
}

/// A list of C strings for calls taking (const char *const *, count).
class CStrList {
public:
    explicit CStrList(const std::vector<std::string> &items) {
        ptrs_.reserve(items.size());
        for (const std::string &s : items) {
            if (s.find('\0') != std::string::npos) valid_ = false;
            ptrs_.push_back(s.c_str());
        }
    }
    const char *const *data() const noexcept { return ptrs_.empty() ? nullptr : ptrs_.data(); }
    size_t size() const noexcept { return ptrs_.size(); }
    bool valid() const noexcept { return valid_; }

private:
    std::vector<const char *> ptrs_;
    bool valid_ = true;
};
} // namespace detail

// ---------------------------------------------------------------------------------------------
// Variant and the codec
// ---------------------------------------------------------------------------------------------

/// An owned pp_variant.
class Variant : public detail::Owner<pp_variant, pp_variant_free> {
public:
    using Owner::Owner;

    static Result<Variant> nil() {
        return detail::make<Variant, pp_variant>([](pp_variant **o) { return pp_variant_new_nil(o); });
    }
    static Result<Variant> from_bool(bool v) {
        return detail::make<Variant, pp_variant>([&](pp_variant **o) { return pp_variant_new_bool(v, o); });
    }
    static Result<Variant> from_int(int64_t v) {
        return detail::make<Variant, pp_variant>([&](pp_variant **o) { return pp_variant_new_int(v, o); });
    }
    static Result<Variant> from_float(double v) {
        return detail::make<Variant, pp_variant>([&](pp_variant **o) { return pp_variant_new_float(v, o); });
    }
    static Result<Variant> from_string(std::string_view s) {
        return detail::make<Variant, pp_variant>(
            [&](pp_variant **o) { return pp_variant_new_string_n(s.data(), s.size(), o); });
    }
    static Result<Variant> from_string_name(std::string_view s) {
        return detail::make<Variant, pp_variant>(
            [&](pp_variant **o) { return pp_variant_new_string_name_n(s.data(), s.size(), o); });
    }
    static Result<Variant> from_vector2(double x, double y) {
        return detail::make<Variant, pp_variant>([&](pp_variant **o) { return pp_variant_new_vector2(x, y, o); });
    }
    static Result<Variant> from_packed_bytes(Bytes b) {
        return detail::make<Variant, pp_variant>(
            [&](pp_variant **o) { return pp_variant_new_packed_byte_array(b.data, b.size, o); });
    }
    static Result<Variant> array() {
        return detail::make<Variant, pp_variant>([](pp_variant **o) { return pp_variant_new_array(o); });
    }
    static Result<Variant> dictionary() {
        return detail::make<Variant, pp_variant>([](pp_variant **o) { return pp_variant_new_dictionary(o); });
    }
    /// Godot's bytes_to_var (bytes_to_var_with_objects when allow_objects).
    static Result<Variant> from_bytes(Bytes b, bool allow_objects = false) {
        return detail::make<Variant, pp_variant>(
            [&](pp_variant **o) { return pp_bytes_to_var(b.data, b.size, allow_objects, o); });
    }

    static Result<Variant> from_vector2i(int32_t x, int32_t y) {
        return make([&](pp_variant **o) { return pp_variant_new_vector2i(x, y, o); });
    }
    static Result<Variant> from_vector3(double x, double y, double z) {
        return make([&](pp_variant **o) { return pp_variant_new_vector3(x, y, z, o); });
    }
    static Result<Variant> from_vector3i(int32_t x, int32_t y, int32_t z) {
        return make([&](pp_variant **o) { return pp_variant_new_vector3i(x, y, z, o); });
    }
    static Result<Variant> from_vector4(double x, double y, double z, double w) {
        return make([&](pp_variant **o) { return pp_variant_new_vector4(x, y, z, w, o); });
    }
    static Result<Variant> from_vector4i(int32_t x, int32_t y, int32_t z, int32_t w) {
        return make([&](pp_variant **o) { return pp_variant_new_vector4i(x, y, z, w, o); });
    }
    static Result<Variant> from_rect2(double x, double y, double width, double height) {
        return make([&](pp_variant **o) { return pp_variant_new_rect2(x, y, width, height, o); });
    }
    static Result<Variant> from_rect2i(int32_t x, int32_t y, int32_t width, int32_t height) {
        return make([&](pp_variant **o) { return pp_variant_new_rect2i(x, y, width, height, o); });
    }
    static Result<Variant> from_plane(double normal_x, double normal_y, double normal_z, double d) {
        return make([&](pp_variant **o) { return pp_variant_new_plane(normal_x, normal_y, normal_z, d, o); });
    }
    static Result<Variant> from_quaternion(double x, double y, double z, double w) {
        return make([&](pp_variant **o) { return pp_variant_new_quaternion(x, y, z, w, o); });
    }
    static Result<Variant> from_aabb(double x, double y, double z, double size_x, double size_y, double size_z) {
        return make([&](pp_variant **o) { return pp_variant_new_aabb(x, y, z, size_x, size_y, size_z, o); });
    }
    static Result<Variant> from_color(float r, float g, float b, float a = 1.0f) {
        return make([&](pp_variant **o) { return pp_variant_new_color(r, g, b, a, o); });
    }
    /// x axis, y axis, origin (wire order).
    static Result<Variant> from_transform2d(const std::array<double, 6> &v) {
        return make([&](pp_variant **o) { return pp_variant_new_transform2d(v.data(), o); });
    }
    /// Three rows (wire order).
    static Result<Variant> from_basis(const std::array<double, 9> &v) {
        return make([&](pp_variant **o) { return pp_variant_new_basis(v.data(), o); });
    }
    /// Basis then origin (wire order).
    static Result<Variant> from_transform3d(const std::array<double, 12> &v) {
        return make([&](pp_variant **o) { return pp_variant_new_transform3d(v.data(), o); });
    }
    /// Column-major (wire order).
    static Result<Variant> from_projection(const std::array<double, 16> &v) {
        return make([&](pp_variant **o) { return pp_variant_new_projection(v.data(), o); });
    }
    static Result<Variant> from_rid(uint64_t id) {
        return make([&](pp_variant **o) { return pp_variant_new_rid(id, o); });
    }
    /// Godot's path syntax ("/root/Player:position").
    static Result<Variant> from_node_path(std::string_view path) {
        detail::CStr p(path);
        if (!p.valid()) return PP_ERR_INVALID_PARAMETER;
        return make([&](pp_variant **o) { return pp_variant_new_node_path(p.c_str(), o); });
    }
    static Result<Variant> from_packed_int32s(const std::vector<int32_t> &v) {
        return make([&](pp_variant **o) { return pp_variant_new_packed_int32_array(v.data(), v.size(), o); });
    }
    static Result<Variant> from_packed_int64s(const std::vector<int64_t> &v) {
        return make([&](pp_variant **o) { return pp_variant_new_packed_int64_array(v.data(), v.size(), o); });
    }
    static Result<Variant> from_packed_float32s(const std::vector<float> &v) {
        return make([&](pp_variant **o) { return pp_variant_new_packed_float32_array(v.data(), v.size(), o); });
    }
    static Result<Variant> from_packed_float64s(const std::vector<double> &v) {
        return make([&](pp_variant **o) { return pp_variant_new_packed_float64_array(v.data(), v.size(), o); });
    }
    static Result<Variant> from_packed_strings(const std::vector<std::string> &v) {
        detail::CStrList l(v);
        if (!l.valid()) return PP_ERR_INVALID_PARAMETER;
        return make([&](pp_variant **o) { return pp_variant_new_packed_string_array(l.data(), l.size(), o); });
    }
    /// `xy`: x, y, x, y, ... (its size even).
    static Result<Variant> from_packed_vector2s(const std::vector<double> &xy) {
        if (xy.size() % 2) return PP_ERR_INVALID_PARAMETER;
        return make([&](pp_variant **o) { return pp_variant_new_packed_vector2_array(xy.data(), xy.size() / 2, o); });
    }
    /// `xyz`: x, y, z, ... (its size a multiple of 3).
    static Result<Variant> from_packed_vector3s(const std::vector<double> &xyz) {
        if (xyz.size() % 3) return PP_ERR_INVALID_PARAMETER;
        return make([&](pp_variant **o) { return pp_variant_new_packed_vector3_array(xyz.data(), xyz.size() / 3, o); });
    }
    /// `rgba`: r, g, b, a, ... (its size a multiple of 4).
    static Result<Variant> from_packed_colors(const std::vector<float> &rgba) {
        if (rgba.size() % 4) return PP_ERR_INVALID_PARAMETER;
        return make([&](pp_variant **o) { return pp_variant_new_packed_color_array(rgba.data(), rgba.size() / 4, o); });
    }
    static Result<Variant> from_packed_vector4s(const std::vector<double> &xyzw) {
        if (xyzw.size() % 4) return PP_ERR_INVALID_PARAMETER;
        return make([&](pp_variant **o) { return pp_variant_new_packed_vector4_array(xyzw.data(), xyzw.size() / 4, o); });
    }
    /// A CALLABLE (nothing about it travels but its type).
    static Result<Variant> callable() {
        return make([](pp_variant **o) { return pp_variant_new_callable(o); });
    }
    static Result<Variant> from_signal(std::string_view name, uint64_t object_id) {
        detail::CStr n(name);
        if (!n.valid()) return PP_ERR_INVALID_PARAMETER;
        return make([&](pp_variant **o) { return pp_variant_new_signal(n.c_str(), object_id, o); });
    }
    /// A NODE_PATH from its parts (names "root", "Player"; subnames "position").
    static Result<Variant> from_node_path_parts(const std::vector<std::string> &names,
                                                const std::vector<std::string> &subnames, bool absolute) {
        detail::CStrList n(names), s(subnames);
        if (!n.valid() || !s.valid()) return PP_ERR_INVALID_PARAMETER;
        return make([&](pp_variant **o) {
            return pp_variant_new_node_path_parts(n.data(), n.size(), s.data(), s.size(), absolute, o);
        });
    }
    /// OBJECT variants: null, by instance id, or in full (a class name and properties).
    static Result<Variant> object_null() {
        return make([](pp_variant **o) { return pp_variant_new_object_null(o); });
    }
    static Result<Variant> from_object_id(uint64_t object_id) {
        return make([&](pp_variant **o) { return pp_variant_new_object_id(object_id, o); });
    }
    static Result<Variant> object_full(std::string_view class_name) {
        detail::CStr c(class_name);
        if (!c.valid()) return PP_ERR_INVALID_PARAMETER;
        return make([&](pp_variant **o) { return pp_variant_new_object_full(c.c_str(), o); });
    }
    /// Godot's name of a type ("int", "Vector2"), as type_string() gives it.
    static const char *type_name(pp_variant_type t) noexcept { return pp_variant_type_name(static_cast<int32_t>(t)); }

    /// A STRING_NAME's bytes, valid until this variant is modified or freed.
    Result<std::string_view> as_string_name() const {
        const char *d = nullptr;
        size_t n = 0;
        pp_error e = pp_variant_get_string_name(get(), &d, &n);
        return e == PP_OK ? Result<std::string_view>(std::string_view(d, n)) : Result<std::string_view>(e);
    }
    /// A NODE_PATH in Godot's path syntax.
    Result<std::string> as_node_path() const {
        return detail::text([&](char *b, size_t n, size_t *len) { return pp_variant_get_node_path(get(), b, n, len); });
    }
    Result<uint64_t> as_rid() const {
        return detail::fill<uint64_t>([&](uint64_t *o) { return pp_variant_get_rid(get(), o); });
    }
    Result<std::array<int32_t, 2>> as_vector2i() const {
        return fixed<int32_t, 2>([&](int32_t *v) { return pp_variant_get_vector2i(get(), &v[0], &v[1]); });
    }
    Result<std::array<double, 3>> as_vector3() const {
        return fixed<double, 3>([&](double *v) { return pp_variant_get_vector3(get(), &v[0], &v[1], &v[2]); });
    }
    Result<std::array<int32_t, 3>> as_vector3i() const {
        return fixed<int32_t, 3>([&](int32_t *v) { return pp_variant_get_vector3i(get(), &v[0], &v[1], &v[2]); });
    }
    Result<std::array<double, 4>> as_vector4() const {
        return fixed<double, 4>([&](double *v) { return pp_variant_get_vector4(get(), &v[0], &v[1], &v[2], &v[3]); });
    }
    Result<std::array<int32_t, 4>> as_vector4i() const {
        return fixed<int32_t, 4>([&](int32_t *v) { return pp_variant_get_vector4i(get(), &v[0], &v[1], &v[2], &v[3]); });
    }
    /// x, y, width, height.
    Result<std::array<double, 4>> as_rect2() const {
        return fixed<double, 4>([&](double *v) { return pp_variant_get_rect2(get(), &v[0], &v[1], &v[2], &v[3]); });
    }
    Result<std::array<int32_t, 4>> as_rect2i() const {
        return fixed<int32_t, 4>([&](int32_t *v) { return pp_variant_get_rect2i(get(), &v[0], &v[1], &v[2], &v[3]); });
    }
    /// normal x, y, z, d.
    Result<std::array<double, 4>> as_plane() const {
        return fixed<double, 4>([&](double *v) { return pp_variant_get_plane(get(), &v[0], &v[1], &v[2], &v[3]); });
    }
    Result<std::array<double, 4>> as_quaternion() const {
        return fixed<double, 4>([&](double *v) { return pp_variant_get_quaternion(get(), &v[0], &v[1], &v[2], &v[3]); });
    }
    /// position x, y, z, size x, y, z.
    Result<std::array<double, 6>> as_aabb() const {
        return fixed<double, 6>(
            [&](double *v) { return pp_variant_get_aabb(get(), &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]); });
    }
    /// r, g, b, a.
    Result<std::array<float, 4>> as_color() const {
        return fixed<float, 4>([&](float *v) { return pp_variant_get_color(get(), &v[0], &v[1], &v[2], &v[3]); });
    }
    Result<std::array<double, 6>> as_transform2d() const {
        return fixed<double, 6>([&](double *v) { return pp_variant_get_transform2d(get(), v); });
    }
    Result<std::array<double, 9>> as_basis() const {
        return fixed<double, 9>([&](double *v) { return pp_variant_get_basis(get(), v); });
    }
    Result<std::array<double, 12>> as_transform3d() const {
        return fixed<double, 12>([&](double *v) { return pp_variant_get_transform3d(get(), v); });
    }
    Result<std::array<double, 16>> as_projection() const {
        return fixed<double, 16>([&](double *v) { return pp_variant_get_projection(get(), v); });
    }
    /// A PACKED_BYTE_ARRAY's bytes, copied.
    Result<std::vector<uint8_t>> as_packed_bytes() const {
        return packed<uint8_t>(
            [&](const uint8_t **d, size_t *n) { return pp_variant_get_packed_byte_array(get(), d, n); }, 1);
    }
    Result<std::vector<int32_t>> as_packed_int32s() const {
        return packed<int32_t>(
            [&](const int32_t **d, size_t *n) { return pp_variant_get_packed_int32_array(get(), d, n); }, 1);
    }
    Result<std::vector<int64_t>> as_packed_int64s() const {
        return packed<int64_t>(
            [&](const int64_t **d, size_t *n) { return pp_variant_get_packed_int64_array(get(), d, n); }, 1);
    }
    Result<std::vector<float>> as_packed_float32s() const {
        return packed<float>([&](const float **d, size_t *n) { return pp_variant_get_packed_float32_array(get(), d, n); }, 1);
    }
    Result<std::vector<double>> as_packed_float64s() const {
        return packed<double>(
            [&](const double **d, size_t *n) { return pp_variant_get_packed_float64_array(get(), d, n); }, 1);
    }
    /// x, y, x, y, ...
    Result<std::vector<double>> as_packed_vector2s() const {
        return packed<double>(
            [&](const double **d, size_t *n) { return pp_variant_get_packed_vector2_array(get(), d, n); }, 2);
    }
    Result<std::vector<double>> as_packed_vector3s() const {
        return packed<double>(
            [&](const double **d, size_t *n) { return pp_variant_get_packed_vector3_array(get(), d, n); }, 3);
    }
    /// r, g, b, a, ...
    Result<std::vector<float>> as_packed_colors() const {
        return packed<float>([&](const float **d, size_t *n) { return pp_variant_get_packed_color_array(get(), d, n); }, 4);
    }
    Result<std::vector<double>> as_packed_vector4s() const {
        return packed<double>(
            [&](const double **d, size_t *n) { return pp_variant_get_packed_vector4_array(get(), d, n); }, 4);
    }
    /// A PACKED_STRING_ARRAY's strings, copied.
    Result<std::vector<std::string>> as_packed_strings() const {
        Result<size_t> n = packed_size();
        if (!n) return n.error();
        std::vector<std::string> out;
        out.reserve(*n);
        for (size_t i = 0; i < *n; i++) {
            const char *d = nullptr;
            size_t len = 0;
            pp_error e = pp_variant_packed_string_array_get(get(), i, &d, &len);
            if (e != PP_OK) return e;
            out.emplace_back(d ? d : "", len);
        }
        return out;
    }
    /// A SIGNAL's name (valid until this variant changes) and object id.
    Result<std::pair<std::string_view, uint64_t>> as_signal() const {
        const char *d = nullptr;
        size_t n = 0;
        uint64_t id = 0;
        pp_error e = pp_variant_get_signal(get(), &d, &n, &id);
        if (e != PP_OK) return e;
        return std::pair<std::string_view, uint64_t>(std::string_view(d, n), id);
    }
    /// A NODE_PATH's parts.
    Result<std::vector<std::string>> node_path_names() const {
        return parts(pp_variant_node_path_get_name_count, pp_variant_node_path_get_name);
    }
    Result<std::vector<std::string>> node_path_subnames() const {
        return parts(pp_variant_node_path_get_subname_count, pp_variant_node_path_get_subname);
    }
    Result<bool> node_path_is_absolute() const {
        return detail::fill<bool>([&](bool *o) { return pp_variant_node_path_is_absolute(get(), o); });
    }
    Result<pp_object_kind> object_kind() const {
        return detail::fill<pp_object_kind>([&](pp_object_kind *o) { return pp_variant_get_object_kind(get(), o); });
    }
    Result<uint64_t> object_id() const {
        return detail::fill<uint64_t>([&](uint64_t *o) { return pp_variant_get_object_id(get(), o); });
    }
    /// A full object's class name (valid until this variant changes).
    Result<std::string_view> object_class() const {
        const char *d = nullptr;
        size_t n = 0;
        pp_error e = pp_variant_get_object_class(get(), &d, &n);
        return e == PP_OK ? Result<std::string_view>(std::string_view(d, n)) : Result<std::string_view>(e);
    }
    Status object_set_property(std::string_view name, const Variant &value) {
        detail::CStr n(name);
        if (!n.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_variant_object_set_property(get(), n.c_str(), value.get());
    }
    /// A full object's property (an owned copy); PP_ERR_DOES_NOT_EXIST when it has none by that name.
    Result<Variant> object_get_property(std::string_view name) const {
        detail::CStr n(name);
        if (!n.valid()) return PP_ERR_INVALID_PARAMETER;
        return make([&](pp_variant **o) { return pp_variant_object_get_property(get(), n.c_str(), o); });
    }
    Result<size_t> object_property_count() const {
        return detail::fill<size_t>([&](size_t *o) { return pp_variant_object_get_property_count(get(), o); });
    }
    Result<std::string> object_property_name(size_t i) const {
        const char *d = nullptr;
        size_t n = 0;
        pp_error e = pp_variant_object_get_property_name(get(), i, &d, &n);
        if (e != PP_OK) return e;
        return std::string(d, n);
    }
    Result<Variant> object_property_value(size_t i) const {
        return make([&](pp_variant **o) { return pp_variant_object_get_property_value(get(), i, o); });
    }
    // Packed arrays element by element (the whole array: from_packed_* / as_packed_*).
    Status packed_bytes_append(uint8_t v) { return pp_variant_packed_byte_array_append(get(), v); }
    Status packed_bytes_set(size_t i, uint8_t v) { return pp_variant_packed_byte_array_set(get(), i, v); }
    Result<uint8_t> packed_bytes_get(size_t i) const {
        return detail::fill<uint8_t>([&](uint8_t *o) { return pp_variant_packed_byte_array_get(get(), i, o); });
    }
    Status packed_int32s_append(int32_t v) { return pp_variant_packed_int32_array_append(get(), v); }
    Status packed_int32s_set(size_t i, int32_t v) { return pp_variant_packed_int32_array_set(get(), i, v); }
    Result<int32_t> packed_int32s_get(size_t i) const {
        return detail::fill<int32_t>([&](int32_t *o) { return pp_variant_packed_int32_array_get(get(), i, o); });
    }
    Status packed_int64s_append(int64_t v) { return pp_variant_packed_int64_array_append(get(), v); }
    Status packed_int64s_set(size_t i, int64_t v) { return pp_variant_packed_int64_array_set(get(), i, v); }
    Result<int64_t> packed_int64s_get(size_t i) const {
        return detail::fill<int64_t>([&](int64_t *o) { return pp_variant_packed_int64_array_get(get(), i, o); });
    }
    Status packed_float32s_append(float v) { return pp_variant_packed_float32_array_append(get(), v); }
    Status packed_float32s_set(size_t i, float v) { return pp_variant_packed_float32_array_set(get(), i, v); }
    Result<float> packed_float32s_get(size_t i) const {
        return detail::fill<float>([&](float *o) { return pp_variant_packed_float32_array_get(get(), i, o); });
    }
    Status packed_float64s_append(double v) { return pp_variant_packed_float64_array_append(get(), v); }
    Status packed_float64s_set(size_t i, double v) { return pp_variant_packed_float64_array_set(get(), i, v); }
    Result<double> packed_float64s_get(size_t i) const {
        return detail::fill<double>([&](double *o) { return pp_variant_packed_float64_array_get(get(), i, o); });
    }
    Status packed_strings_append(std::string_view s) {
        detail::CStr c(s);
        if (!c.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_variant_packed_string_array_append(get(), c.c_str());
    }
    Status packed_strings_set(size_t i, std::string_view s) {
        detail::CStr c(s);
        if (!c.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_variant_packed_string_array_set(get(), i, c.c_str());
    }
    /// Valid until this variant changes.
    Result<std::string_view> packed_strings_get(size_t i) const {
        const char *d = nullptr;
        size_t n = 0;
        pp_error e = pp_variant_packed_string_array_get(get(), i, &d, &n);
        return e == PP_OK ? Result<std::string_view>(std::string_view(d, n)) : Result<std::string_view>(e);
    }
    Status packed_vector2s_append(const std::array<double, 2> &v) {
        return pp_variant_packed_vector2_array_append(get(), v[0], v[1]);
    }
    Status packed_vector2s_set(size_t i, const std::array<double, 2> &v) {
        return pp_variant_packed_vector2_array_set(get(), i, v[0], v[1]);
    }
    Result<std::array<double, 2>> packed_vector2s_get(size_t i) const {
        return fixed<double, 2>([&](double *v) { return pp_variant_packed_vector2_array_get(get(), i, &v[0], &v[1]); });
    }
    Status packed_vector3s_append(const std::array<double, 3> &v) {
        return pp_variant_packed_vector3_array_append(get(), v[0], v[1], v[2]);
    }
    Status packed_vector3s_set(size_t i, const std::array<double, 3> &v) {
        return pp_variant_packed_vector3_array_set(get(), i, v[0], v[1], v[2]);
    }
    Result<std::array<double, 3>> packed_vector3s_get(size_t i) const {
        return fixed<double, 3>([&](double *v) { return pp_variant_packed_vector3_array_get(get(), i, &v[0], &v[1], &v[2]); });
    }
    Status packed_vector4s_append(const std::array<double, 4> &v) {
        return pp_variant_packed_vector4_array_append(get(), v[0], v[1], v[2], v[3]);
    }
    Status packed_vector4s_set(size_t i, const std::array<double, 4> &v) {
        return pp_variant_packed_vector4_array_set(get(), i, v[0], v[1], v[2], v[3]);
    }
    Result<std::array<double, 4>> packed_vector4s_get(size_t i) const {
        return fixed<double, 4>([&](double *v) { return pp_variant_packed_vector4_array_get(get(), i, &v[0], &v[1], &v[2], &v[3]); });
    }
    Status packed_colors_append(const std::array<float, 4> &v) {
        return pp_variant_packed_color_array_append(get(), v[0], v[1], v[2], v[3]);
    }
    Status packed_colors_set(size_t i, const std::array<float, 4> &v) {
        return pp_variant_packed_color_array_set(get(), i, v[0], v[1], v[2], v[3]);
    }
    Result<std::array<float, 4>> packed_colors_get(size_t i) const {
        return fixed<float, 4>([&](float *v) { return pp_variant_packed_color_array_get(get(), i, &v[0], &v[1], &v[2], &v[3]); });
    }
    /// Elements of any packed array.
    Result<size_t> packed_size() const {
        return detail::fill<size_t>([&](size_t *o) { return pp_variant_packed_array_size(get(), o); });
    }

    pp_variant_type type() const noexcept { return pp_variant_get_type(get()); }
    Result<bool> as_bool() const {
        bool v = false;
        pp_error e = pp_variant_get_bool(get(), &v);
        return e == PP_OK ? Result<bool>(v) : Result<bool>(e);
    }
    Result<int64_t> as_int() const {
        int64_t v = 0;
        pp_error e = pp_variant_get_int(get(), &v);
        return e == PP_OK ? Result<int64_t>(v) : Result<int64_t>(e);
    }
    Result<double> as_float() const {
        double v = 0;
        pp_error e = pp_variant_get_float(get(), &v);
        return e == PP_OK ? Result<double>(v) : Result<double>(e);
    }
    /// A STRING's bytes, valid until this variant is modified or freed.
    Result<std::string_view> as_string() const {
        const char *d = nullptr;
        size_t n = 0;
        pp_error e = pp_variant_get_string(get(), &d, &n);
        return e == PP_OK ? Result<std::string_view>(std::string_view(d, n)) : Result<std::string_view>(e);
    }
    Result<std::array<double, 2>> as_vector2() const {
        std::array<double, 2> v{};
        pp_error e = pp_variant_get_vector2(get(), &v[0], &v[1]);
        return e == PP_OK ? Result<std::array<double, 2>>(v) : Result<std::array<double, 2>>(e);
    }
    Result<size_t> size() const {
        size_t n = 0;
        pp_error e = type() == PP_VARIANT_TYPE_DICTIONARY ? pp_variant_dictionary_size(get(), &n)
                                                          : pp_variant_array_size(get(), &n);
        return e == PP_OK ? Result<size_t>(n) : Result<size_t>(e);
    }
    /// Array element `i` (an owned copy).
    Result<Variant> at(size_t i) const {
        return detail::make<Variant, pp_variant>([&](pp_variant **o) { return pp_variant_array_get(get(), i, o); });
    }
    /// Dictionary value of `key` (an owned copy); PP_ERR_DOES_NOT_EXIST when missing.
    Result<Variant> at(const Variant &key) const {
        return detail::make<Variant, pp_variant>(
            [&](pp_variant **o) { return pp_variant_dictionary_get(get(), key.get(), o); });
    }
    Status append(const Variant &v) { return pp_variant_array_append(get(), v.get()); }
    Status set_at(size_t i, const Variant &v) { return pp_variant_array_set(get(), i, v.get()); }
    Status remove_at(size_t i) { return pp_variant_array_remove_at(get(), i); }
    /// Empties an ARRAY or a DICTIONARY.
    Status clear() {
        return type() == PP_VARIANT_TYPE_DICTIONARY ? pp_variant_dictionary_clear(get()) : pp_variant_array_clear(get());
    }
    /// Makes an ARRAY typed (`Array[int]`: BUILTIN + the type; `Array[Node]`: CLASS + "Node";
    /// SCRIPT + a res:// path); every element must already match.
    Status set_typed(pp_container_kind kind, pp_variant_type builtin = PP_VARIANT_TYPE_NIL, std::string_view name = {}) {
        detail::CStr n(name);
        if (!n.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_variant_array_set_typed(get(), static_cast<int32_t>(kind), static_cast<int32_t>(builtin),
                                          name.empty() ? nullptr : n.c_str());
    }
    /// An ARRAY's element type, or a DICTIONARY's key / value type.
    struct ContainerType {
        pp_container_kind kind = PP_CONTAINER_KIND_NONE;
        pp_variant_type builtin = PP_VARIANT_TYPE_NIL;
        std::string name;
    };
    Result<ContainerType> get_typed() const {
        return typed([&](pp_container_kind *k, pp_variant_type *b, const char **d, size_t *n) {
            return pp_variant_array_get_typed(get(), k, b, d, n);
        });
    }
    Status set_typed_dictionary(const ContainerType &key, const ContainerType &value) {
        detail::CStr kn(key.name), vn(value.name);
        if (!kn.valid() || !vn.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_variant_dictionary_set_typed(get(), static_cast<int32_t>(key.kind), static_cast<int32_t>(key.builtin),
                                               key.name.empty() ? nullptr : kn.c_str(), static_cast<int32_t>(value.kind),
                                               static_cast<int32_t>(value.builtin),
                                               value.name.empty() ? nullptr : vn.c_str());
    }
    Result<ContainerType> get_typed_key() const {
        return typed([&](pp_container_kind *k, pp_variant_type *b, const char **d, size_t *n) {
            return pp_variant_dictionary_get_typed_key(get(), k, b, d, n);
        });
    }
    Result<ContainerType> get_typed_value() const {
        return typed([&](pp_container_kind *k, pp_variant_type *b, const char **d, size_t *n) {
            return pp_variant_dictionary_get_typed_value(get(), k, b, d, n);
        });
    }
    Result<bool> has(const Variant &key) const {
        return detail::fill<bool>([&](bool *o) { return pp_variant_dictionary_has(get(), key.get(), o); });
    }
    Status erase(const Variant &key) { return pp_variant_dictionary_erase(get(), key.get()); }
    /// The i-th key / value of a DICTIONARY in insertion order (owned copies).
    Result<Variant> key_at(size_t i) const {
        return make([&](pp_variant **o) { return pp_variant_dictionary_key_at(get(), i, o); });
    }
    Result<Variant> value_at(size_t i) const {
        return make([&](pp_variant **o) { return pp_variant_dictionary_value_at(get(), i, o); });
    }
    Status set(const Variant &key, const Variant &value) {
        return pp_variant_dictionary_set(get(), key.get(), value.get());
    }
    /// Godot's var_to_bytes (var_to_bytes_with_objects when full_objects).
    Result<std::vector<uint8_t>> to_bytes(bool full_objects = false) const {
        uint8_t *d = nullptr;
        size_t n = 0;
        pp_error e = pp_var_to_bytes(get(), full_objects, &d, &n);
        if (e != PP_OK) return e;
        std::vector<uint8_t> out(d, d + n);
        pp_bytes_free(d, n);
        return out;
    }
    /// A readable text form (Godot's str()).
    Result<std::string> to_string(size_t max_len = 1u << 20) const {
        char *t = nullptr;
        pp_error e = pp_variant_to_string(get(), max_len, &t);
        if (e != PP_OK) return e;
        std::string out(t);
        pp_string_free(t);
        return out;
    }
    Result<Variant> duplicate() const {
        return detail::make<Variant, pp_variant>([&](pp_variant **o) { return pp_variant_duplicate(get(), o); });
    }
    friend bool operator==(const Variant &a, const Variant &b) noexcept { return pp_variant_equal(a.get(), b.get()); }
    friend bool operator!=(const Variant &a, const Variant &b) noexcept { return !(a == b); }

private:
    template <typename F>
    static Result<Variant> make(F &&f) {
        return detail::make<Variant, pp_variant>(std::forward<F>(f));
    }
    template <typename E, size_t N, typename F>
    static Result<std::array<E, N>> fixed(F &&f) {
        std::array<E, N> v{};
        pp_error e = f(v.data());
        if (e != PP_OK) return e;
        return v;
    }
    template <typename Count, typename Part>
    Result<std::vector<std::string>> parts(Count count, Part part) const {
        size_t n = 0;
        pp_error e = count(get(), &n);
        if (e != PP_OK) return e;
        std::vector<std::string> out;
        for (size_t i = 0; i < n; i++) {
            const char *d = nullptr;
            size_t len = 0;
            e = part(get(), i, &d, &len);
            if (e != PP_OK) return e;
            out.emplace_back(d ? d : "", len);
        }
        return out;
    }
    template <typename F>
    static Result<ContainerType> typed(F &&f) {
        ContainerType t;
        const char *d = nullptr;
        size_t n = 0;
        pp_error e = f(&t.kind, &t.builtin, &d, &n);
        if (e != PP_OK) return e;
        if (d) t.name.assign(d, n);
        return t;
    }
    /// Copies `count * per` elements a packed getter lends.
    template <typename E, typename F>
    static Result<std::vector<E>> packed(F &&f, size_t per) {
        const E *d = nullptr;
        size_t n = 0;
        pp_error e = f(&d, &n);
        if (e != PP_OK) return e;
        return d ? std::vector<E>(d, d + n * per) : std::vector<E>();
    }
};

/// Why the last codec call failed.
struct CodecError {
    pp_error code = PP_OK;
    size_t offset = 0;
    std::string reason;
};

/// An owned pp_codec: encode/decode with chosen settings; keeps the last error's offset and reason.
class Codec : public detail::Owner<pp_codec, pp_codec_free> {
public:
    using Owner::Owner;
    static Result<Codec> create() {
        return detail::make<Codec, pp_codec>([](pp_codec **o) { return pp_codec_new(o); });
    }
    Status set_dialect(pp_dialect d) { return pp_codec_set_dialect(get(), static_cast<int32_t>(d)); }
    Status set_allow_objects(bool on) { return pp_codec_set_allow_objects(get(), on); }
    Status set_full_objects(bool on) { return pp_codec_set_full_objects(get(), on); }
    Status set_real_is_double(bool on) { return pp_codec_set_real_is_double(get(), on); }
    Status set_max_depth(uint32_t depth) { return pp_codec_set_max_depth(get(), depth); }
    Status set_max_elements(size_t max_elements) { return pp_codec_set_max_elements(get(), max_elements); }
    Status set_max_bytes(size_t max_bytes) { return pp_codec_set_max_bytes(get(), max_bytes); }
    /// Opt-in: towards Godot 3, convert what has a lossy Godot 3 form (see the C call) instead of
    /// refusing it.
    Status set_godot3_lossy(bool on) { return pp_codec_set_godot3_lossy(get(), on); }
    pp_dialect get_dialect() const noexcept { return pp_codec_get_dialect(get()); }
    /// The size encode() would give.
    Result<size_t> encoded_len(const Variant &v) {
        return detail::fill<size_t>([&](size_t *o) { return pp_codec_encoded_len(get(), v.get(), o); });
    }
    /// Encodes into the caller's buffer (`cap` bytes); the size written.
    Result<size_t> encode_into(const Variant &v, uint8_t *buf, size_t cap) {
        return detail::fill<size_t>([&](size_t *o) { return pp_codec_encode_into(get(), v.get(), buf, cap, o); });
    }
    /// Decodes the value at the start of `b` with this codec's settings and re-encodes it for
    /// `to`; `consumed` (if given) receives the input bytes used.
    Result<std::vector<uint8_t>> translate(Bytes b, pp_dialect to, size_t *consumed = nullptr) {
        uint8_t *d = nullptr;
        size_t n = 0;
        pp_error e = pp_codec_translate(get(), b.data, b.size, static_cast<int32_t>(to), &d, &n, consumed);
        if (e != PP_OK) return e;
        std::vector<uint8_t> out(d, d + n);
        pp_bytes_free(d, n);
        return out;
    }
    Result<std::vector<uint8_t>> encode(const Variant &v) {
        uint8_t *d = nullptr;
        size_t n = 0;
        pp_error e = pp_codec_encode(get(), v.get(), &d, &n);
        if (e != PP_OK) return e;
        std::vector<uint8_t> out(d, d + n);
        pp_bytes_free(d, n);
        return out;
    }
    /// The value at the start of `b`; `consumed` (if given) receives the bytes it used.
    Result<Variant> decode(Bytes b, size_t *consumed = nullptr) {
        return detail::make<Variant, pp_variant>(
            [&](pp_variant **o) { return pp_codec_decode(get(), b.data, b.size, o, consumed); });
    }
    CodecError last_error() const {
        CodecError out;
        const char *reason = nullptr;
        if (pp_codec_get_last_error(get(), &out.code, &out.offset, &reason) == PP_OK && reason) out.reason = reason;
        return out;
    }
};

// ---------------------------------------------------------------------------------------------
// Keys, certificates and TLS options (immutable once made; the objects using them keep a reference)
// ---------------------------------------------------------------------------------------------

/// Why the calling thread's last key/certificate load, Crypto helper or TLSOptions constructor
/// failed (OpenSSL's reason included); "" when none did.
inline std::string tls_last_error_text() {
    return detail::text([](char *b, size_t n, size_t *len) { return pp_tls_get_last_error_text(b, n, len); })
        .value_or(std::string());
}

/// Godot's CryptoKey.
class CryptoKey : public detail::Owner<pp_crypto_key, pp_crypto_key_free> {
public:
    using Owner::Owner;
    /// Crypto.generate_rsa: `bits` 1024..8192.
    static Result<CryptoKey> generate_rsa(int32_t bits) {
        return detail::make<CryptoKey, pp_crypto_key>([&](pp_crypto_key **o) { return pp_crypto_generate_rsa(bits, o); });
    }
    static Result<CryptoKey> load_pem(Bytes pem, bool public_only = false) {
        return detail::make<CryptoKey, pp_crypto_key>(
            [&](pp_crypto_key **o) { return pp_crypto_key_load_pem(pem.data, pem.size, public_only, o); });
    }
    static Result<CryptoKey> load_der(Bytes der, bool public_only = false) {
        return detail::make<CryptoKey, pp_crypto_key>(
            [&](pp_crypto_key **o) { return pp_crypto_key_load_der(der.data, der.size, public_only, o); });
    }
    /// The key as PEM: the private key (PKCS#8), or the public key with `public_only`.
    Result<std::string> save_pem(bool public_only = false) const {
        return detail::text(
            [&](char *b, size_t n, size_t *len) { return pp_crypto_key_save_pem(get(), public_only, b, n, len); });
    }
    bool is_public_only() const noexcept { return pp_crypto_key_is_public_only(get()); }
};

/// Godot's X509Certificate (one certificate or a chain, leaf first).
class X509Certificate : public detail::Owner<pp_x509_certificate, pp_x509_certificate_free> {
public:
    using Owner::Owner;
    static Result<X509Certificate> load_pem(Bytes pem) {
        return detail::make<X509Certificate, pp_x509_certificate>(
            [&](pp_x509_certificate **o) { return pp_x509_certificate_load_pem(pem.data, pem.size, o); });
    }
    static Result<X509Certificate> load_der(Bytes der) {
        return detail::make<X509Certificate, pp_x509_certificate>(
            [&](pp_x509_certificate **o) { return pp_x509_certificate_load_der(der.data, der.size, o); });
    }
    /// Crypto.generate_self_signed_certificate. An empty `issuer_name` / `not_before` / `not_after`
    /// takes the engine's default ("CN=myserver,O=myorganisation,C=IT", "20140101000000",
    /// "20340101000000"); dates are UTC "YYYYMMDDhhmmss".
    static Result<X509Certificate> generate_self_signed(const CryptoKey &key, std::string_view issuer_name = {},
                                                        std::string_view not_before = {},
                                                        std::string_view not_after = {}) {
        detail::CStr n(issuer_name), b(not_before), a(not_after);
        if (!n.valid() || !b.valid() || !a.valid()) return PP_ERR_INVALID_PARAMETER;
        return detail::make<X509Certificate, pp_x509_certificate>([&](pp_x509_certificate **o) {
            return pp_crypto_generate_self_signed_certificate(key.get(), issuer_name.empty() ? nullptr : n.c_str(),
                                                              not_before.empty() ? nullptr : b.c_str(),
                                                              not_after.empty() ? nullptr : a.c_str(), o);
        });
    }
    /// Every certificate of the chain as PEM, concatenated.
    Result<std::string> save_pem() const {
        return detail::text([&](char *b, size_t n, size_t *len) { return pp_x509_certificate_save_pem(get(), b, n, len); });
    }
    /// Certificates in the chain (at least 1; 0 for an empty owner).
    int32_t get_count() const noexcept { return pp_x509_certificate_get_count(get()); }
    /// SHA-256 of the first certificate's DER (what TLSOptions::with_pinned_sha256 compares).
    Result<std::array<uint8_t, PP_SHA256_SIZE>> get_sha256() const {
        std::array<uint8_t, PP_SHA256_SIZE> out{};
        pp_error e = pp_x509_certificate_get_sha256(get(), out.data());
        if (e != PP_OK) return e;
        return out;
    }
};

/// Godot's TLSOptions.
class TLSOptions : public detail::Owner<pp_tls_options, pp_tls_options_free> {
public:
    using Owner::Owner;
    static Result<TLSOptions> server(const CryptoKey &key, const X509Certificate &cert) {
        return detail::make<TLSOptions, pp_tls_options>(
            [&](pp_tls_options **o) { return pp_tls_options_server(key.get(), cert.get(), o); });
    }
    /// Verifies the peer's chain (against `trusted`, else the CA bundle) and its name
    /// (`common_name_override` when not empty, else the connect call's name).
    static Result<TLSOptions> client(const X509Certificate *trusted = nullptr,
                                     std::string_view common_name_override = {}) {
        detail::CStr cn(common_name_override);
        if (!cn.valid()) return PP_ERR_INVALID_PARAMETER;
        return detail::make<TLSOptions, pp_tls_options>([&](pp_tls_options **o) {
            return pp_tls_options_client(trusted ? trusted->get() : nullptr,
                                         common_name_override.empty() ? nullptr : cn.c_str(), o);
        });
    }
    static Result<TLSOptions> client_unsafe(const X509Certificate *trusted = nullptr) {
        return detail::make<TLSOptions, pp_tls_options>(
            [&](pp_tls_options **o) { return pp_tls_options_client_unsafe(trusted ? trusted->get() : nullptr, o); });
    }
    /// New options that also require one of these SHA-256 fingerprints (PP_SHA256_SIZE bytes each,
    /// back to back); empty removes the pins.
    Result<TLSOptions> with_pinned_sha256(Bytes sha256s) const {
        if (sha256s.size % PP_SHA256_SIZE != 0) return PP_ERR_INVALID_PARAMETER;
        return detail::make<TLSOptions, pp_tls_options>([&](pp_tls_options **o) {
            return pp_tls_options_with_pinned_sha256(get(), sha256s.data, sha256s.size / PP_SHA256_SIZE, o);
        });
    }
    /// New options with TLS 1.3 allowed or not (stream TLS; DTLS is always 1.2).
    Result<TLSOptions> with_tls13(bool enabled) const {
        return detail::make<TLSOptions, pp_tls_options>(
            [&](pp_tls_options **o) { return pp_tls_options_with_tls13(get(), enabled, o); });
    }
    pp_tls_options_kind get_kind() const noexcept { return pp_tls_options_get_kind(get()); }
    bool is_server() const noexcept { return pp_tls_options_is_server(get()); }
    bool is_unsafe_client() const noexcept { return pp_tls_options_is_unsafe_client(get()); }
    Result<std::string> get_common_name_override() const {
        return detail::text(
            [&](char *b, size_t n, size_t *len) { return pp_tls_options_get_common_name_override(get(), b, n, len); });
    }
    /// PP_ERR_UNAVAILABLE when the options have none.
    Result<X509Certificate> get_trusted_ca_chain() const {
        return detail::make<X509Certificate, pp_x509_certificate>(
            [&](pp_x509_certificate **o) { return pp_tls_options_get_trusted_ca_chain(get(), o); });
    }
    /// Server options only (PP_ERR_UNAVAILABLE for client options).
    Result<CryptoKey> get_private_key() const {
        return detail::make<CryptoKey, pp_crypto_key>(
            [&](pp_crypto_key **o) { return pp_tls_options_get_private_key(get(), o); });
    }
    /// Server options only (PP_ERR_UNAVAILABLE for client options).
    Result<X509Certificate> get_own_certificate() const {
        return detail::make<X509Certificate, pp_x509_certificate>(
            [&](pp_x509_certificate **o) { return pp_tls_options_get_own_certificate(get(), o); });
    }
};

// ---------------------------------------------------------------------------------------------
// Network conditioner (loss, delay, jitter, duplication, reordering, bandwidth; off by default)
// ---------------------------------------------------------------------------------------------

/// pp_conditioner_options filled with the library's defaults (pp_conditioner_options_init: size
/// set, seed 0, nothing dropped or delayed, 4096 datagrams held per direction); change the fields
/// you need and pass it to a set_conditioner.
struct ConditionerOptions : pp_conditioner_options {
    ConditionerOptions() noexcept : pp_conditioner_options() { (void)pp_conditioner_options_init(this); }
};
static_assert(sizeof(ConditionerOptions) == sizeof(pp_conditioner_options), "a plain pp_conditioner_options");

/// What a conditioner did, both ways (`outgoing`, `incoming`).
using ConditionerStats = pp_conditioner_stats;

// ---------------------------------------------------------------------------------------------
// PacketPeer and StreamPeer
// ---------------------------------------------------------------------------------------------

namespace detail {
template <typename Self>
class PacketPeerCalls {
    pp_peer *h() const noexcept { return static_cast<const Self *>(this)->get(); }

public:
    Status put_packet(Bytes b) { return pp_put_packet(h(), b.data, b.size); }
    /// The next packet, borrowed: valid until the next get_packet / get_var or the peer's end.
    Result<Bytes> get_packet() {
        const uint8_t *d = nullptr;
        size_t n = 0;
        pp_error e = pp_get_packet(h(), &d, &n);
        return e == PP_OK ? Result<Bytes>(Bytes(d, n)) : Result<Bytes>(e);
    }
    Status put_var(const Variant &v, bool full_objects = false) { return pp_put_var(h(), v.get(), full_objects); }
    Result<Variant> get_var(bool allow_objects = false) {
        return make<Variant, pp_variant>([&](pp_variant **o) { return pp_get_var(h(), allow_objects, o); });
    }
    Result<int32_t> get_available_packet_count() {
        int32_t n = 0;
        pp_error e = pp_get_available_packet_count(h(), &n);
        return e == PP_OK ? Result<int32_t>(n) : Result<int32_t>(e);
    }
    /// get_packet_error(): the code of the last get_packet / get_var (PP_OK before any).
    pp_error get_packet_error() { return pp_get_packet_error(h()); }
    Result<int32_t> get_max_packet_size() {
        return fill<int32_t>([&](int32_t *o) { return pp_get_max_packet_size(h(), o); });
    }
    Status set_encode_buffer_max_size(int32_t size) { return pp_set_encode_buffer_max_size(h(), size); }
    Result<int32_t> get_encode_buffer_max_size() {
        return fill<int32_t>([&](int32_t *o) { return pp_get_encode_buffer_max_size(h(), o); });
    }
    /// Which engine's Variant encoding put_var / get_var speak on this peer.
    Status set_var_dialect(pp_dialect d) { return pp_set_var_dialect(h(), static_cast<int32_t>(d)); }
    Result<pp_dialect> get_var_dialect() {
        return fill<pp_dialect>([&](pp_dialect *o) { return pp_get_var_dialect(h(), o); });
    }
    Status set_var_godot3_lossy(bool on) { return pp_set_var_godot3_lossy(h(), on); }
};

inline void free_peer(pp_peer *p) { pp_peer_free(p); }
inline void free_stream(pp_stream_peer *p) { pp_stream_peer_free(p); }
inline void no_free(pp_peer *) {}
} // namespace detail

/// An owned pp_peer of any class: the PacketPeer calls.
class Peer : public detail::Owner<pp_peer, detail::free_peer>, public detail::PacketPeerCalls<Peer> {
public:
    using Owner::Owner;
};

/// An owned pp_stream_peer of any class: the StreamPeer calls.
class StreamPeer : public detail::Owner<pp_stream_peer, detail::free_stream> {
public:
    using Owner::Owner;
    /// Two connected in-memory streams.
    static Result<std::pair<StreamPeer, StreamPeer>> pipe() {
        pp_stream_peer *a = nullptr, *b = nullptr;
        pp_error e = pp_stream_peer_pipe_new(&a, &b);
        if (e != PP_OK) return e;
        return std::pair<StreamPeer, StreamPeer>(StreamPeer(a), StreamPeer(b));
    }
    Status put_data(Bytes b) { return pp_stream_peer_put_data(get(), b.data, b.size); }
    /// Sends what fits now; the count sent.
    Result<size_t> put_partial_data(Bytes b) {
        return detail::fill<size_t>([&](size_t *o) { return pp_stream_peer_put_partial_data(get(), b.data, b.size, o); });
    }
    /// Exactly `n` bytes (or an error).
    Result<std::vector<uint8_t>> get_data(size_t n) {
        std::vector<uint8_t> out(n);
        pp_error e = pp_stream_peer_get_data(get(), out.data(), n);
        if (e != PP_OK) return e;
        return out;
    }
    /// Up to `n` bytes available now.
    Result<std::vector<uint8_t>> get_partial_data(size_t n) {
        std::vector<uint8_t> out(n);
        size_t got = 0;
        pp_error e = pp_stream_peer_get_partial_data(get(), out.data(), n, &got);
        if (e != PP_OK) return e;
        out.resize(got);
        return out;
    }
    Result<int32_t> get_available_bytes() {
        int32_t n = 0;
        pp_error e = pp_stream_peer_get_available_bytes(get(), &n);
        return e == PP_OK ? Result<int32_t>(n) : Result<int32_t>(e);
    }
    /// Two connected in-memory streams holding at most `capacity` bytes each way.
    static Result<std::pair<StreamPeer, StreamPeer>> pipe(size_t capacity) {
        pp_stream_peer *a = nullptr, *b = nullptr;
        pp_error e = pp_stream_peer_pipe_new_with_capacity(capacity, &a, &b);
        if (e != PP_OK) return e;
        return std::pair<StreamPeer, StreamPeer>(StreamPeer(a), StreamPeer(b));
    }
    /// Pipes only: closes this end (the other reads what was sent, then PP_ERR_FILE_EOF).
    Status pipe_close() { return pp_stream_peer_pipe_close(get()); }
    Result<bool> pipe_is_open() {
        return detail::fill<bool>([&](bool *o) { return pp_stream_peer_pipe_is_open(get(), o); });
    }
    Status set_big_endian(bool on) { return pp_stream_peer_set_big_endian(get(), on); }
    bool is_big_endian() { return pp_stream_peer_is_big_endian(get()); }
    Status put_8(int8_t v) { return pp_stream_peer_put_8(get(), v); }
    Status put_u8(uint8_t v) { return pp_stream_peer_put_u8(get(), v); }
    Status put_16(int16_t v) { return pp_stream_peer_put_16(get(), v); }
    Status put_u16(uint16_t v) { return pp_stream_peer_put_u16(get(), v); }
    Status put_32(int32_t v) { return pp_stream_peer_put_32(get(), v); }
    Status put_u32(uint32_t v) { return pp_stream_peer_put_u32(get(), v); }
    Status put_64(int64_t v) { return pp_stream_peer_put_64(get(), v); }
    Status put_u64(uint64_t v) { return pp_stream_peer_put_u64(get(), v); }
    Status put_half(float v) { return pp_stream_peer_put_half(get(), v); }
    Status put_float(float v) { return pp_stream_peer_put_float(get(), v); }
    Status put_double(double v) { return pp_stream_peer_put_double(get(), v); }
    Result<int8_t> get_8() { return detail::fill<int8_t>([&](int8_t *o) { return pp_stream_peer_get_8(get(), o); }); }
    Result<uint8_t> get_u8() { return detail::fill<uint8_t>([&](uint8_t *o) { return pp_stream_peer_get_u8(get(), o); }); }
    Result<int16_t> get_16() { return detail::fill<int16_t>([&](int16_t *o) { return pp_stream_peer_get_16(get(), o); }); }
    Result<uint16_t> get_u16() {
        return detail::fill<uint16_t>([&](uint16_t *o) { return pp_stream_peer_get_u16(get(), o); });
    }
    Result<int32_t> get_32() { return detail::fill<int32_t>([&](int32_t *o) { return pp_stream_peer_get_32(get(), o); }); }
    Result<uint32_t> get_u32() {
        return detail::fill<uint32_t>([&](uint32_t *o) { return pp_stream_peer_get_u32(get(), o); });
    }
    Result<int64_t> get_64() { return detail::fill<int64_t>([&](int64_t *o) { return pp_stream_peer_get_64(get(), o); }); }
    Result<uint64_t> get_u64() {
        return detail::fill<uint64_t>([&](uint64_t *o) { return pp_stream_peer_get_u64(get(), o); });
    }
    Result<float> get_half() { return detail::fill<float>([&](float *o) { return pp_stream_peer_get_half(get(), o); }); }
    Result<float> get_float() { return detail::fill<float>([&](float *o) { return pp_stream_peer_get_float(get(), o); }); }
    Result<double> get_double() {
        return detail::fill<double>([&](double *o) { return pp_stream_peer_get_double(get(), o); });
    }
    /// StreamPeer.put_string: a u32 length, then ASCII (other characters as '?', as the engine).
    Status put_string(std::string_view text) {
        detail::CStr t(text);
        if (!t.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_stream_peer_put_string(get(), t.c_str());
    }
    Status put_utf8_string(std::string_view text) {
        detail::CStr t(text);
        if (!t.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_stream_peer_put_utf8_string(get(), t.c_str());
    }
    /// `bytes` bytes, or with `bytes` < 0 a length first (as put_string writes it).
    Result<std::string> get_string(int32_t bytes = -1) {
        return owned_text([&](char **o) { return pp_stream_peer_get_string(get(), bytes, o); });
    }
    Result<std::string> get_utf8_string(int32_t bytes = -1) {
        return owned_text([&](char **o) { return pp_stream_peer_get_utf8_string(get(), bytes, o); });
    }
    /// StreamPeer.put_var: a 4-byte length, then the encoded value.
    Status put_var(const Variant &v, bool full_objects = false) {
        return pp_stream_peer_put_var(get(), v.get(), full_objects);
    }
    Result<Variant> get_var(bool allow_objects = false) {
        return detail::make<Variant, pp_variant>(
            [&](pp_variant **o) { return pp_stream_peer_get_var(get(), allow_objects, o); });
    }

private:
    template <typename F>
    static Result<std::string> owned_text(F &&call) {
        char *t = nullptr;
        pp_error e = call(&t);
        if (e != PP_OK) return e;
        struct Free {
            char *t;
            ~Free() { pp_string_free(t); }
        } free_it{t};
        return std::string(t ? t : "");
    }
};

/// Godot's StreamPeerBuffer: a StreamPeer over a growable byte array with a cursor.
class StreamPeerBuffer : public StreamPeer {
public:
    using StreamPeer::StreamPeer;
    static Result<StreamPeerBuffer> create() {
        return detail::make<StreamPeerBuffer, pp_stream_peer>([](pp_stream_peer **o) { return pp_stream_peer_buffer_new(o); });
    }
    Status seek(int32_t position) { return pp_stream_peer_buffer_seek(get(), position); }
    Result<int32_t> get_position() {
        return detail::fill<int32_t>([&](int32_t *o) { return pp_stream_peer_buffer_get_position(get(), o); });
    }
    Result<int32_t> get_size() {
        return detail::fill<int32_t>([&](int32_t *o) { return pp_stream_peer_buffer_get_size(get(), o); });
    }
    Status resize(int32_t size) { return pp_stream_peer_buffer_resize(get(), size); }
    Status clear() { return pp_stream_peer_buffer_clear(get()); }
    Result<StreamPeerBuffer> duplicate() {
        return detail::make<StreamPeerBuffer, pp_stream_peer>(
            [&](pp_stream_peer **o) { return pp_stream_peer_buffer_duplicate(get(), o); });
    }
    Status set_data_array(Bytes b) { return pp_stream_peer_buffer_set_data_array(get(), b.data, b.size); }
    Result<std::vector<uint8_t>> get_data_array() {
        Result<int32_t> n = get_size();
        if (!n) return n.error();
        std::vector<uint8_t> out(static_cast<size_t>(*n));
        size_t len = 0;
        pp_error e = pp_stream_peer_buffer_get_data_array(get(), out.data(), out.size(), &len);
        if (e != PP_OK) return e;
        out.resize(len);
        return out;
    }
};

/// Godot's StreamPeerTCP.
class StreamPeerTCP : public StreamPeer {
public:
    using StreamPeer::StreamPeer;
    static Result<StreamPeerTCP> create() {
        return detail::make<StreamPeerTCP, pp_stream_peer>([](pp_stream_peer **o) { return pp_stream_peer_tcp_new(o); });
    }
    /// Binds the local end before connect_to_host.
    Status bind(int32_t port, std::string_view host = "*") {
        detail::CStr h(host);
        if (!h.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_stream_peer_tcp_bind(get(), port, h.c_str());
    }
    Status connect_to_host(std::string_view host, int32_t port) {
        detail::CStr h(host);
        if (!h.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_stream_peer_tcp_connect_to_host(get(), h.c_str(), port);
    }
    Status poll() { return pp_stream_peer_tcp_poll(get()); }
    pp_stream_peer_tcp_status get_status() { return pp_stream_peer_tcp_get_status(get()); }
    Status disconnect_from_host() { return pp_stream_peer_tcp_disconnect_from_host(get()); }
    int32_t get_local_port() { return pp_stream_peer_tcp_get_local_port(get()); }
    Result<std::string> get_connected_host() {
        return detail::text(
            [&](char *b, size_t n, size_t *len) { return pp_stream_peer_tcp_get_connected_host(get(), b, n, len); });
    }
    int32_t get_connected_port() { return pp_stream_peer_tcp_get_connected_port(get()); }
    Status set_no_delay(bool on) { return pp_stream_peer_tcp_set_no_delay(get(), on); }
    Status set_connect_timeout(int32_t timeout_ms) { return pp_stream_peer_tcp_set_connect_timeout(get(), timeout_ms); }
    /// Waits until the socket is ready (PP_ERR_BUSY on timeout).
    Status wait(pp_poll_type type, int32_t timeout_ms) {
        return pp_stream_peer_tcp_wait(get(), static_cast<int32_t>(type), timeout_ms);
    }
    Status set_blocking_writes(bool blocking) { return pp_stream_peer_tcp_set_blocking_writes(get(), blocking); }
    Status set_write_coalescing(bool on) { return pp_stream_peer_tcp_set_write_coalescing(get(), on); }
    Status set_out_buffer_max_size(int32_t max_size) { return pp_stream_peer_tcp_set_out_buffer_max_size(get(), max_size); }
    int32_t get_queued_bytes() { return pp_stream_peer_tcp_get_queued_bytes(get()); }
    Status flush() { return pp_stream_peer_tcp_flush(get()); }
    Result<pp_net_stats> get_stats() {
        return detail::fill<pp_net_stats>([&](pp_net_stats *o) { return pp_stream_peer_tcp_get_stats(get(), o); });
    }
    /// Why the last connect failed, in words ("connect: Connection refused (os error 111)"), or "".
    Result<std::string> get_last_error_text() {
        return detail::text(
            [&](char *b, size_t n, size_t *len) { return pp_stream_peer_tcp_get_last_error_text(get(), b, n, len); });
    }
    /// get_last_error_text as a plain string ("" when nothing failed).
    std::string last_error_text() {
        return detail::text_or_empty(
            [&](char *b, size_t n, size_t *len) { return pp_stream_peer_tcp_get_last_error_text(get(), b, n, len); });
    }
};

/// Godot's TCPServer.
class TCPServer : public detail::Owner<pp_tcp_server, pp_tcp_server_free> {
public:
    using Owner::Owner;
    static Result<TCPServer> create() {
        return detail::make<TCPServer, pp_tcp_server>([](pp_tcp_server **o) { return pp_tcp_server_new(o); });
    }
    Status listen(int32_t port, std::string_view bind_address = "*") {
        detail::CStr a(bind_address);
        if (!a.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_tcp_server_listen(get(), port, a.c_str());
    }
    bool is_connection_available() { return pp_tcp_server_is_connection_available(get()); }
    Result<StreamPeerTCP> take_connection() {
        return detail::make<StreamPeerTCP, pp_stream_peer>(
            [&](pp_stream_peer **o) { return pp_tcp_server_take_connection(get(), o); });
    }
    int32_t get_local_port() { return pp_tcp_server_get_local_port(get()); }
    bool is_listening() { return pp_tcp_server_is_listening(get()); }
    Status stop() { return pp_tcp_server_stop(get()); }
};

/// Godot's PacketPeerStream.
class PacketPeerStream : public Peer {
public:
    using Peer::Peer;
    static Result<PacketPeerStream> create() {
        return detail::make<PacketPeerStream, pp_peer>([](pp_peer **o) { return pp_packet_peer_stream_new(o); });
    }
    /// The library keeps the stream alive while this peer uses it.
    Status set_stream_peer(const StreamPeer &s) { return pp_packet_peer_stream_set_stream_peer(get(), s.get()); }
    /// A new handle sharing the stream (an empty StreamPeer when none is set).
    Result<StreamPeer> get_stream_peer() {
        return detail::make<StreamPeer, pp_stream_peer>(
            [&](pp_stream_peer **o) { return pp_packet_peer_stream_get_stream_peer(get(), o); });
    }
    Status set_input_buffer_max_size(int32_t size) { return pp_packet_peer_stream_set_input_buffer_max_size(get(), size); }
    Result<int32_t> get_input_buffer_max_size() {
        return detail::fill<int32_t>([&](int32_t *o) { return pp_packet_peer_stream_get_input_buffer_max_size(get(), o); });
    }
    Status set_output_buffer_max_size(int32_t size) {
        return pp_packet_peer_stream_set_output_buffer_max_size(get(), size);
    }
    Result<int32_t> get_output_buffer_max_size() {
        return detail::fill<int32_t>(
            [&](int32_t *o) { return pp_packet_peer_stream_get_output_buffer_max_size(get(), o); });
    }
    /// Beyond the engine: whether the remote announced a frame over input_buffer_max_size (the
    /// input is then dead; setting another stream clears it).
    Result<bool> is_input_broken() {
        return detail::fill<bool>([&](bool *o) { return pp_packet_peer_stream_is_input_broken(get(), o); });
    }
};

/// Godot's text for a 16-byte address (IPv4-mapped as "a.b.c.d"), as pp_udp_packet_info carries it.
inline Result<std::string> ip_address_to_string(const std::array<uint8_t, 16> &ip) {
    return detail::text([&](char *b, size_t n, size_t *len) { return pp_ip_address_to_string(ip.data(), b, n, len); });
}

/// Godot's PacketPeerUDP.
class PacketPeerUDP : public Peer {
public:
    using Peer::Peer;
    static Result<PacketPeerUDP> create() {
        return detail::make<PacketPeerUDP, pp_peer>([](pp_peer **o) { return pp_packet_peer_udp_new(o); });
    }
    Status bind(int32_t port, std::string_view bind_address = "*", int32_t recv_buf_size = 65536) {
        detail::CStr a(bind_address);
        if (!a.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_packet_peer_udp_bind(get(), port, a.c_str(), recv_buf_size);
    }
    Status set_dest_address(std::string_view host, int32_t port) {
        detail::CStr h(host);
        if (!h.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_packet_peer_udp_set_dest_address(get(), h.c_str(), port);
    }
    Status connect_to_host(std::string_view host, int32_t port) {
        detail::CStr h(host);
        if (!h.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_packet_peer_udp_connect_to_host(get(), h.c_str(), port);
    }
    /// Waits for a packet, without a bound (Godot's wait()).
    Status wait() { return pp_packet_peer_udp_wait(get()); }
    /// Waits up to `timeout_ms` for a packet (PP_ERR_BUSY when the time passed first, the engine's code).
    Status wait(int32_t timeout_ms) { return pp_packet_peer_udp_wait_timeout(get(), timeout_ms); }
    int32_t get_local_port() { return pp_packet_peer_udp_get_local_port(get()); }
    int32_t get_packet_port() { return pp_packet_peer_udp_get_packet_port(get()); }
    Result<std::string> get_packet_ip() {
        return detail::text([&](char *b, size_t n, size_t *len) { return pp_packet_peer_udp_get_packet_ip(get(), b, n, len); });
    }
    /// Several datagrams to the destination at once (sendmmsg on Linux); how many were sent.
    Result<size_t> put_packets(const std::vector<Bytes> &packets) {
        std::vector<pp_packet_data> c(packets.size());
        for (size_t i = 0; i < packets.size(); i++) c[i] = pp_packet_data{packets[i].data, packets[i].size};
        return detail::fill<size_t>(
            [&](size_t *o) { return pp_packet_peer_udp_put_packets(get(), c.empty() ? nullptr : c.data(), c.size(), o); });
    }
    /// Receives up to `max_packets` datagrams into `buf` (cut into equal slots; see the C call);
    /// never blocks. Each info's offset/len locate its bytes in `buf`.
    Result<std::vector<pp_udp_packet_info>> get_packets(std::vector<uint8_t> &buf, size_t max_packets) {
        std::vector<pp_udp_packet_info> infos(max_packets);
        size_t n = 0;
        pp_error e = pp_packet_peer_udp_get_packets(get(), buf.data(), buf.size(), infos.data(), infos.size(), &n);
        if (e != PP_OK) return e;
        infos.resize(n);
        return infos;
    }
    bool is_bound() { return pp_packet_peer_udp_is_bound(get()); }
    bool is_socket_connected() { return pp_packet_peer_udp_is_socket_connected(get()); }
    Status set_broadcast_enabled(bool on) { return pp_packet_peer_udp_set_broadcast_enabled(get(), on); }
    /// `interface_name` empty: the system's choice.
    Status join_multicast_group(std::string_view address, std::string_view interface_name = {}) {
        detail::CStr a(address), i(interface_name);
        if (!a.valid() || !i.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_packet_peer_udp_join_multicast_group(get(), a.c_str(), i.c_str());
    }
    Status leave_multicast_group(std::string_view address, std::string_view interface_name = {}) {
        detail::CStr a(address), i(interface_name);
        if (!a.valid() || !i.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_packet_peer_udp_leave_multicast_group(get(), a.c_str(), i.c_str());
    }
    Status set_reuse_address(bool on) { return pp_packet_peer_udp_set_reuse_address(get(), on); }
    Status set_reuse_port(bool on) { return pp_packet_peer_udp_set_reuse_port(get(), on); }
    Status set_blocking_mode(bool blocking) { return pp_packet_peer_udp_set_blocking_mode(get(), blocking); }
    Result<pp_net_stats> get_stats() {
        return detail::fill<pp_net_stats>([&](pp_net_stats *o) { return pp_packet_peer_udp_get_stats(get(), o); });
    }
    /// Puts a network conditioner between this peer and its socket (setting it again starts afresh).
    Status set_conditioner(const ConditionerOptions &options) {
        return pp_packet_peer_udp_set_conditioner(get(), &options);
    }
    Status remove_conditioner() { return pp_packet_peer_udp_set_conditioner(get(), nullptr); }
    /// PP_ERR_UNCONFIGURED when no conditioner is set.
    Result<ConditionerStats> get_conditioner_stats() {
        return detail::fill<ConditionerStats>(
            [&](ConditionerStats *o) { return pp_packet_peer_udp_get_conditioner_stats(get(), o); });
    }
    /// Why the last bind / connect / send failed, in words; "" when nothing failed.
    std::string last_error_text() {
        return detail::text_or_empty(
            [&](char *b, size_t n, size_t *len) { return pp_packet_peer_udp_get_last_error_text(get(), b, n, len); });
    }
    Status close() { return pp_packet_peer_udp_close(get()); }
};

/// Godot's UDPServer.
class UDPServer : public detail::Owner<pp_udp_server, pp_udp_server_free> {
public:
    using Owner::Owner;
    static Result<UDPServer> create() {
        return detail::make<UDPServer, pp_udp_server>([](pp_udp_server **o) { return pp_udp_server_new(o); });
    }
    Status listen(int32_t port, std::string_view bind_address = "*") {
        detail::CStr a(bind_address);
        if (!a.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_udp_server_listen(get(), port, a.c_str());
    }
    Status poll() { return pp_udp_server_poll(get()); }
    bool is_connection_available() { return pp_udp_server_is_connection_available(get()); }
    Result<PacketPeerUDP> take_connection() {
        return detail::make<PacketPeerUDP, pp_peer>([&](pp_peer **o) { return pp_udp_server_take_connection(get(), o); });
    }
    int32_t get_local_port() { return pp_udp_server_get_local_port(get()); }
    bool is_listening() { return pp_udp_server_is_listening(get()); }
    Status set_max_pending_connections(int32_t max) { return pp_udp_server_set_max_pending_connections(get(), max); }
    int32_t get_max_pending_connections() { return pp_udp_server_get_max_pending_connections(get()); }
    Result<pp_net_stats> get_stats() {
        return detail::fill<pp_net_stats>([&](pp_net_stats *o) { return pp_udp_server_get_stats(get(), o); });
    }
    Status stop() { return pp_udp_server_stop(get()); }
};

// ---------------------------------------------------------------------------------------------
// StreamPeerTLS, PacketPeerDTLS, DTLSServer
// ---------------------------------------------------------------------------------------------

/// Godot's StreamPeerTLS: TLS over any StreamPeer. Poll until get_status() is CONNECTED (or an
/// error), then read and write it with the StreamPeer calls.
class StreamPeerTLS : public StreamPeer {
public:
    using StreamPeer::StreamPeer;
    static Result<StreamPeerTLS> create() {
        return detail::make<StreamPeerTLS, pp_stream_peer>([](pp_stream_peer **o) { return pp_stream_peer_tls_new(o); });
    }
    /// Client handshake over `stream` (kept alive by this object). `options`: client options, or
    /// nullptr for TLSOptions::client() (the system CAs, `common_name` checked).
    Status connect_to_stream(const StreamPeer &stream, std::string_view common_name,
                             const TLSOptions *options = nullptr) {
        detail::CStr cn(common_name);
        if (!cn.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_stream_peer_tls_connect_to_stream(get(), stream.get(), cn.c_str(), options ? options->get() : nullptr);
    }
    /// Server handshake over `stream` with server options.
    Status accept_stream(const StreamPeer &stream, const TLSOptions &options) {
        return pp_stream_peer_tls_accept_stream(get(), stream.get(), options.get());
    }
    Status poll() { return pp_stream_peer_tls_poll(get()); }
    pp_tls_status get_status() { return pp_stream_peer_tls_get_status(get()); }
    /// A new handle on the transport; PP_ERR_UNAVAILABLE when there is none.
    Result<StreamPeer> get_stream() {
        return detail::make<StreamPeer, pp_stream_peer>(
            [&](pp_stream_peer **o) { return pp_stream_peer_tls_get_stream(get(), o); });
    }
    /// Sends close_notify when connected and lets the transport go (it stays open).
    Status disconnect_from_stream() { return pp_stream_peer_tls_disconnect_from_stream(get()); }
    Status set_handshake_timeout(int32_t ms) { return pp_stream_peer_tls_set_handshake_timeout(get(), ms); }
    Result<pp_tls_stats> get_stats() {
        return detail::fill<pp_tls_stats>([&](pp_tls_stats *o) { return pp_stream_peer_tls_get_stats(get(), o); });
    }
    /// Why the last handshake, read or write failed (OpenSSL's reason, the verify result); "".
    std::string last_error_text() {
        return detail::text_or_empty(
            [&](char *b, size_t n, size_t *len) { return pp_stream_peer_tls_get_last_error_text(get(), b, n, len); });
    }
};

/// Godot's PacketPeerDTLS: DTLS over a connected PacketPeerUDP (clients), or handed out by a
/// DTLSServer. One put_packet is one record in one datagram.
class PacketPeerDTLS : public Peer {
public:
    using Peer::Peer;
    static Result<PacketPeerDTLS> create() {
        return detail::make<PacketPeerDTLS, pp_peer>([](pp_peer **o) { return pp_packet_peer_dtls_new(o); });
    }
    /// Client handshake over `udp` (connected with connect_to_host; kept alive by this object until
    /// the session ends; do not read it meanwhile). `options`: client options, or nullptr for
    /// TLSOptions::client().
    Status connect_to_peer(const PacketPeerUDP &udp, std::string_view hostname, const TLSOptions *options = nullptr) {
        detail::CStr h(hostname);
        if (!h.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_packet_peer_dtls_connect_to_peer(get(), udp.get(), h.c_str(), options ? options->get() : nullptr);
    }
    Status poll() { return pp_packet_peer_dtls_poll(get()); }
    pp_tls_status get_status() { return pp_packet_peer_dtls_get_status(get()); }
    Status disconnect_from_peer() { return pp_packet_peer_dtls_disconnect_from_peer(get()); }
    Status set_handshake_timeout(int32_t ms) { return pp_packet_peer_dtls_set_handshake_timeout(get(), ms); }
    Result<pp_dtls_stats> get_stats() {
        return detail::fill<pp_dtls_stats>([&](pp_dtls_stats *o) { return pp_packet_peer_dtls_get_stats(get(), o); });
    }
    /// A conditioner between the session and its UDP peer (this session and later ones).
    Status set_conditioner(const ConditionerOptions &options) {
        return pp_packet_peer_dtls_set_conditioner(get(), &options);
    }
    Status remove_conditioner() { return pp_packet_peer_dtls_set_conditioner(get(), nullptr); }
    /// PP_ERR_UNCONFIGURED when no conditioner is set.
    Result<ConditionerStats> get_conditioner_stats() {
        return detail::fill<ConditionerStats>(
            [&](ConditionerStats *o) { return pp_packet_peer_dtls_get_conditioner_stats(get(), o); });
    }
    /// Why the handshake or the session failed; "" when nothing failed.
    std::string last_error_text() {
        return detail::text_or_empty(
            [&](char *b, size_t n, size_t *len) { return pp_packet_peer_dtls_get_last_error_text(get(), b, n, len); });
    }
};

/// Godot's DTLSServer. setup() with server options, then take_connection() for each PacketPeerUDP
/// a UDPServer accepted (the first of a client, before its cookie round, ends in ERROR: drop it
/// and take the client's retry).
class DTLSServer : public detail::Owner<pp_dtls_server, pp_dtls_server_free> {
public:
    using Owner::Owner;
    static Result<DTLSServer> create() {
        return detail::make<DTLSServer, pp_dtls_server>([](pp_dtls_server **o) { return pp_dtls_server_new(o); });
    }
    Status setup(const TLSOptions &options) { return pp_dtls_server_setup(get(), options.get()); }
    /// A new PacketPeerDTLS whose get_status() is the result (HANDSHAKING: keep and poll it).
    Result<PacketPeerDTLS> take_connection(const PacketPeerUDP &udp) {
        return detail::make<PacketPeerDTLS, pp_peer>(
            [&](pp_peer **o) { return pp_dtls_server_take_connection(get(), udp.get(), o); });
    }
    /// Handshakes under way at once (default 128; 0 refuses all).
    Status set_max_handshakes(int32_t max) { return pp_dtls_server_set_max_handshakes(get(), max); }
    Result<pp_dtls_server_stats> get_stats() {
        return detail::fill<pp_dtls_server_stats>(
            [&](pp_dtls_server_stats *o) { return pp_dtls_server_get_stats(get(), o); });
    }
    /// Gives every peer taken from now on a conditioner (the n-th seeded `seed + n`).
    Status set_conditioner(const ConditionerOptions &options) { return pp_dtls_server_set_conditioner(get(), &options); }
    Status remove_conditioner() { return pp_dtls_server_set_conditioner(get(), nullptr); }
    /// Why the last setup or new peer failed; "" when none did.
    std::string last_error_text() {
        return detail::text_or_empty(
            [&](char *b, size_t n, size_t *len) { return pp_dtls_server_get_last_error_text(get(), b, n, len); });
    }
};

// ---------------------------------------------------------------------------------------------
// ENet
// ---------------------------------------------------------------------------------------------

/// An ENetPacketPeer lent by its connection or multiplayer peer: a view, never freed here, valid
/// as long as its owner.
class ENetPacketPeer : public detail::PacketPeerCalls<ENetPacketPeer> {
public:
    explicit ENetPacketPeer(pp_peer *p = nullptr) noexcept : p_(p) {}
    pp_peer *get() const noexcept { return p_; }
    explicit operator bool() const noexcept { return p_ != nullptr; }
    Status send(int32_t channel, Bytes b, int32_t flags = PP_ENET_PACKET_PEER_FLAG_RELIABLE) {
        return pp_enet_packet_peer_send(p_, channel, b.data, b.size, flags);
    }
    /// ENet's timeouts in ms. A connect to a closed port fails after about `timeout_max`
    /// (31.5 s with ENet's defaults): shorten it right after connecting, or turn on
    /// ENetConnection::set_fail_connect_on_refused.
    Status set_timeout(int32_t timeout, int32_t timeout_min, int32_t timeout_max) {
        return pp_enet_packet_peer_set_timeout(p_, timeout, timeout_min, timeout_max);
    }
    Status peer_disconnect(int32_t data = 0) { return pp_enet_packet_peer_peer_disconnect(p_, data); }
    Status peer_disconnect_later(int32_t data = 0) { return pp_enet_packet_peer_peer_disconnect_later(p_, data); }
    Status peer_disconnect_now(int32_t data = 0) { return pp_enet_packet_peer_peer_disconnect_now(p_, data); }
    Status reset() { return pp_enet_packet_peer_reset(p_); }
    Status ping() { return pp_enet_packet_peer_ping(p_); }
    Status ping_interval(int32_t ms) { return pp_enet_packet_peer_ping_interval(p_, ms); }
    Status throttle_configure(int32_t interval, int32_t acceleration, int32_t deceleration) {
        return pp_enet_packet_peer_throttle_configure(p_, interval, acceleration, deceleration);
    }
    Result<double> get_statistic(pp_enet_peer_statistic statistic) {
        return detail::fill<double>(
            [&](double *o) { return pp_enet_packet_peer_get_statistic(p_, static_cast<int32_t>(statistic), o); });
    }
    pp_enet_peer_state get_state() { return pp_enet_packet_peer_get_state(p_); }
    bool is_active() { return pp_enet_packet_peer_is_active(p_); }
    int32_t get_channels() { return pp_enet_packet_peer_get_channels(p_); }
    /// The PP_ENET_PACKET_PEER_FLAG_* bits of the next queued packet (ask before get_packet).
    int32_t get_packet_flags() { return pp_enet_packet_peer_get_packet_flags(p_); }
    Result<std::string> get_remote_address() {
        return detail::text(
            [&](char *b, size_t n, size_t *len) { return pp_enet_packet_peer_get_remote_address(p_, b, n, len); });
    }
    int32_t get_remote_port() { return pp_enet_packet_peer_get_remote_port(p_); }
    /// Why a connect this peer started ended in DISCONNECT: REFUSED, TIMED_OUT, or NONE.
    pp_enet_connect_failure get_connect_failure() { return pp_enet_packet_peer_get_connect_failure(p_); }
    /// Why this peer's connect or session failed, in words; "" when nothing failed.
    std::string last_error_text() {
        return detail::text_or_empty(
            [&](char *b, size_t n, size_t *len) { return pp_enet_packet_peer_get_last_error_text(p_, b, n, len); });
    }
    friend bool operator==(ENetPacketPeer a, ENetPacketPeer b) noexcept { return a.p_ == b.p_; }
    friend bool operator!=(ENetPacketPeer a, ENetPacketPeer b) noexcept { return a.p_ != b.p_; }

private:
    pp_peer *p_;
};

/// One event of ENetConnection::service.
struct ENetEvent {
    pp_enet_event_type type = PP_ENET_EVENT_TYPE_NONE;
    ENetPacketPeer peer;
    int32_t data = 0;
    int32_t channel = 0;
};

/// Godot's ENetConnection.
class ENetConnection : public detail::Owner<pp_enet_connection, pp_enet_connection_free> {
public:
    using Owner::Owner;
    static Result<ENetConnection> create() {
        return detail::make<ENetConnection, pp_enet_connection>(
            [](pp_enet_connection **o) { return pp_enet_connection_new(o); });
    }
    /// A host on any port, not explicitly bound (get_local_port() reads 0).
    Status create_host(int32_t max_peers = 32, int32_t max_channels = 0, int32_t in_bandwidth = 0,
                       int32_t out_bandwidth = 0) {
        return pp_enet_connection_create_host(get(), max_peers, max_channels, in_bandwidth, out_bandwidth);
    }
    Status create_host_bound(std::string_view bind_address, int32_t port, int32_t max_peers = 32,
                             int32_t max_channels = 0, int32_t in_bandwidth = 0, int32_t out_bandwidth = 0) {
        detail::CStr a(bind_address);
        if (!a.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_enet_connection_create_host_bound(get(), a.c_str(), port, max_peers, max_channels, in_bandwidth,
                                                    out_bandwidth);
    }
    Status destroy() { return pp_enet_connection_destroy(get()); }
    Result<ENetPacketPeer> connect_to_host(std::string_view address, int32_t port, int32_t channels = 0,
                                           int32_t data = 0) {
        detail::CStr a(address);
        if (!a.valid()) return PP_ERR_INVALID_PARAMETER;
        pp_peer *p = nullptr;
        pp_error e = pp_enet_connection_connect_to_host(get(), a.c_str(), port, channels, data, &p);
        return e == PP_OK ? Result<ENetPacketPeer>(ENetPacketPeer(p)) : Result<ENetPacketPeer>(e);
    }
    Result<ENetEvent> service(int32_t timeout_ms = 0) {
        return event([&](pp_enet_event *ev) { return pp_enet_connection_service(get(), timeout_ms, ev); });
    }
    /// The next event an earlier service already queued, without network I/O.
    Result<ENetEvent> check_events() {
        return event([&](pp_enet_event *ev) { return pp_enet_connection_check_events(get(), ev); });
    }
    Status flush() { return pp_enet_connection_flush(get()); }
    Status broadcast(int32_t channel, Bytes b, int32_t flags = PP_ENET_PACKET_PEER_FLAG_RELIABLE) {
        return pp_enet_connection_broadcast(get(), channel, b.data, b.size, flags);
    }
    Status bandwidth_limit(int32_t in_bandwidth = 0, int32_t out_bandwidth = 0) {
        return pp_enet_connection_bandwidth_limit(get(), in_bandwidth, out_bandwidth);
    }
    Status channel_limit(int32_t limit) { return pp_enet_connection_channel_limit(get(), limit); }
    Status compress(pp_enet_compression_mode mode) {
        return pp_enet_connection_compress(get(), static_cast<int32_t>(mode));
    }
    Status refuse_new_connections(bool refuse) { return pp_enet_connection_refuse_new_connections(get(), refuse); }
    Result<double> pop_statistic(pp_enet_host_statistic statistic) {
        return detail::fill<double>(
            [&](double *o) { return pp_enet_connection_pop_statistic(get(), static_cast<int32_t>(statistic), o); });
    }
    int32_t get_max_channels() { return pp_enet_connection_get_max_channels(get()); }
    int32_t get_local_port() { return pp_enet_connection_get_local_port(get()); }
    /// The peers the connection knows (views valid as long as this connection).
    Result<std::vector<ENetPacketPeer>> get_peers() {
        size_t n = 0;
        pp_error e = pp_enet_connection_get_peers(get(), nullptr, 0, &n);
        if (e != PP_OK) return e;
        std::vector<pp_peer *> raw(n);
        e = pp_enet_connection_get_peers(get(), raw.data(), raw.size(), &n);
        if (e != PP_OK) return e;
        if (n < raw.size()) raw.resize(n);
        std::vector<ENetPacketPeer> out;
        out.reserve(raw.size());
        for (pp_peer *p : raw) out.emplace_back(p);
        return out;
    }
    /// One raw datagram from the host's socket (NAT hole punching).
    Status socket_send(std::string_view address, int32_t port, Bytes b) {
        detail::CStr a(address);
        if (!a.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_enet_connection_socket_send(get(), a.c_str(), port, b.data, b.size);
    }
    /// On (the default): a connect refused by the OS (ICMP port unreachable) ends at once with a
    /// DISCONNECT event (the peer's get_connect_failure() says REFUSED); off: ENet keeps retrying
    /// until its timeout, as the engine does.
    Status set_fail_connect_on_refused(bool on) { return pp_enet_connection_set_fail_connect_on_refused(get(), on); }
    bool is_fail_connect_on_refused() { return pp_enet_connection_is_fail_connect_on_refused(get()); }
    /// From now on the host speaks ENet over DTLS as a server.
    Status dtls_server_setup(const TLSOptions &options) {
        return pp_enet_connection_dtls_server_setup(get(), options.get());
    }
    /// From now on the host speaks ENet over DTLS as a client (`options` nullptr: TLSOptions::client()).
    Status dtls_client_setup(std::string_view hostname, const TLSOptions *options = nullptr) {
        detail::CStr h(hostname);
        if (!h.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_enet_connection_dtls_client_setup(get(), h.c_str(), options ? options->get() : nullptr);
    }
    Result<pp_enet_dtls_stats> get_dtls_stats() {
        return detail::fill<pp_enet_dtls_stats>(
            [&](pp_enet_dtls_stats *o) { return pp_enet_connection_get_dtls_stats(get(), o); });
    }
    /// A conditioner on the host's socket (every peer); a new host starts without one.
    Status set_conditioner(const ConditionerOptions &options) {
        return pp_enet_connection_set_conditioner(get(), &options);
    }
    Status remove_conditioner() { return pp_enet_connection_set_conditioner(get(), nullptr); }
    /// PP_ERR_UNCONFIGURED when no conditioner is set.
    Result<ConditionerStats> get_conditioner_stats() {
        return detail::fill<ConditionerStats>(
            [&](ConditionerStats *o) { return pp_enet_connection_get_conditioner_stats(get(), o); });
    }
    /// Why the last create_host*, service, socket_send, or a refused / timed-out connect failed;
    /// "" until something fails (a new host clears it).
    std::string last_error_text() {
        return detail::text_or_empty(
            [&](char *b, size_t n, size_t *len) { return pp_enet_connection_get_last_error_text(get(), b, n, len); });
    }

private:
    template <typename F>
    static Result<ENetEvent> event(F &&call) {
        pp_enet_event ev{};
        pp_error e = call(&ev);
        if (e != PP_OK) return e;
        ENetEvent out;
        out.type = ev.type;
        out.peer = ENetPacketPeer(ev.peer);
        out.data = ev.data;
        out.channel = ev.channel;
        return out;
    }
};

/// Godot's MultiplayerPeer (and its classes below).
class MultiplayerPeer : public Peer {
public:
    using Peer::Peer;
    Status poll() { return pp_multiplayer_peer_poll(get()); }
    Status set_target_peer(int32_t id) { return pp_multiplayer_peer_set_target_peer(get(), id); }
    Status set_transfer_mode(pp_multiplayer_peer_transfer_mode m) {
        return pp_multiplayer_peer_set_transfer_mode(get(), static_cast<int32_t>(m));
    }
    Result<pp_multiplayer_peer_transfer_mode> get_transfer_mode() {
        return detail::fill<pp_multiplayer_peer_transfer_mode>(
            [&](pp_multiplayer_peer_transfer_mode *o) { return pp_multiplayer_peer_get_transfer_mode(get(), o); });
    }
    Status set_transfer_channel(int32_t channel) { return pp_multiplayer_peer_set_transfer_channel(get(), channel); }
    Result<int32_t> get_transfer_channel() {
        return detail::fill<int32_t>([&](int32_t *o) { return pp_multiplayer_peer_get_transfer_channel(get(), o); });
    }
    Result<int32_t> get_packet_peer() {
        int32_t id = 0;
        pp_error e = pp_multiplayer_peer_get_packet_peer(get(), &id);
        return e == PP_OK ? Result<int32_t>(id) : Result<int32_t>(e);
    }
    Result<int32_t> get_packet_channel() {
        return detail::fill<int32_t>([&](int32_t *o) { return pp_multiplayer_peer_get_packet_channel(get(), o); });
    }
    Result<pp_multiplayer_peer_transfer_mode> get_packet_mode() {
        return detail::fill<pp_multiplayer_peer_transfer_mode>(
            [&](pp_multiplayer_peer_transfer_mode *o) { return pp_multiplayer_peer_get_packet_mode(get(), o); });
    }
    Result<int32_t> get_unique_id() {
        int32_t id = 0;
        pp_error e = pp_multiplayer_peer_get_unique_id(get(), &id);
        return e == PP_OK ? Result<int32_t>(id) : Result<int32_t>(e);
    }
    /// A random ID for a new peer (what a signalling server hands out).
    Result<int32_t> generate_unique_id() {
        return detail::fill<int32_t>([&](int32_t *o) { return pp_multiplayer_peer_generate_unique_id(get(), o); });
    }
    Result<bool> is_server() {
        return detail::fill<bool>([&](bool *o) { return pp_multiplayer_peer_is_server(get(), o); });
    }
    Result<bool> is_server_relay_supported() {
        return detail::fill<bool>([&](bool *o) { return pp_multiplayer_peer_is_server_relay_supported(get(), o); });
    }
    Status set_refuse_new_connections(bool refuse) {
        return pp_multiplayer_peer_set_refuse_new_connections(get(), refuse);
    }
    Result<bool> is_refusing_new_connections() {
        return detail::fill<bool>([&](bool *o) { return pp_multiplayer_peer_is_refusing_new_connections(get(), o); });
    }
    Result<pp_multiplayer_peer_connection_status> get_connection_status() {
        pp_multiplayer_peer_connection_status s{};
        pp_error e = pp_multiplayer_peer_get_connection_status(get(), &s);
        using R = Result<pp_multiplayer_peer_connection_status>;
        return e == PP_OK ? R(s) : R(e);
    }
    /// The oldest queued event; PP_ERR_UNAVAILABLE when none.
    Result<pp_multiplayer_event> pop_event() {
        pp_multiplayer_event ev{};
        pp_error e = pp_multiplayer_peer_pop_event(get(), &ev);
        return e == PP_OK ? Result<pp_multiplayer_event>(ev) : Result<pp_multiplayer_event>(e);
    }
    Status disconnect_peer(int32_t id, bool force = false) { return pp_multiplayer_peer_disconnect_peer(get(), id, force); }
    Status close() { return pp_multiplayer_peer_close(get()); }
};

/// Godot's OfflineMultiplayerPeer: a connected server (ID 1) alone; put_packet discards.
class OfflineMultiplayerPeer : public MultiplayerPeer {
public:
    using MultiplayerPeer::MultiplayerPeer;
    static Result<OfflineMultiplayerPeer> create() {
        return detail::make<OfflineMultiplayerPeer, pp_peer>(
            [](pp_peer **o) { return pp_offline_multiplayer_peer_new(o); });
    }
};

/// Godot's ENetMultiplayerPeer.
class ENetMultiplayerPeer : public MultiplayerPeer {
public:
    using MultiplayerPeer::MultiplayerPeer;
    static Result<ENetMultiplayerPeer> create() {
        return detail::make<ENetMultiplayerPeer, pp_peer>([](pp_peer **o) { return pp_enet_multiplayer_peer_new(o); });
    }
    Status set_bind_ip(std::string_view ip) {
        detail::CStr a(ip);
        if (!a.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_enet_multiplayer_peer_set_bind_ip(get(), a.c_str());
    }
    Status create_server(int32_t port, int32_t max_clients = 32, int32_t max_channels = 0, int32_t in_bandwidth = 0,
                         int32_t out_bandwidth = 0) {
        return pp_enet_multiplayer_peer_create_server(get(), port, max_clients, max_channels, in_bandwidth,
                                                      out_bandwidth);
    }
    /// Connecting until poll() sees the server. A server that never answers: CONNECTING for ENet's
    /// timeout (31.5 s by default), then DISCONNECTED; shorten it with get_peer(1).set_timeout.
    Status create_client(std::string_view address, int32_t port, int32_t channel_count = 0, int32_t in_bandwidth = 0,
                         int32_t out_bandwidth = 0, int32_t local_port = 0) {
        detail::CStr a(address);
        if (!a.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_enet_multiplayer_peer_create_client(get(), a.c_str(), port, channel_count, in_bandwidth,
                                                      out_bandwidth, local_port);
    }
    /// Mesh mode with this ID; add each remote with add_mesh_peer.
    Status create_mesh(int32_t unique_id) { return pp_enet_multiplayer_peer_create_mesh(get(), unique_id); }
    /// A mesh member reached through `host` (one CONNECTED peer); shared: the multiplayer peer keeps
    /// the connection alive.
    Status add_mesh_peer(int32_t peer_id, const ENetConnection &host) {
        return pp_enet_multiplayer_peer_add_mesh_peer(get(), peer_id, host.get());
    }
    /// The ENetConnection under a server or client (a new handle sharing it).
    Result<ENetConnection> get_host() {
        return detail::make<ENetConnection, pp_enet_connection>(
            [&](pp_enet_connection **o) { return pp_enet_multiplayer_peer_get_host(get(), o); });
    }
    Result<ENetPacketPeer> get_peer(int32_t id) {
        pp_peer *p = nullptr;
        pp_error e = pp_enet_multiplayer_peer_get_peer(get(), id, &p);
        return e == PP_OK ? Result<ENetPacketPeer>(ENetPacketPeer(p)) : Result<ENetPacketPeer>(e);
    }
    /// Opt-in: speak Godot 3's ENet multiplayer protocol (docs/godot3-multiplayer.md); before create_*.
    Status set_godot3_compat(bool on) { return pp_enet_multiplayer_peer_set_godot3_compat(get(), on); }
    /// Packets dropped by Godot 3's rules (always 0 in Godot 4 mode).
    Result<uint64_t> get_dropped_packets() {
        return detail::fill<uint64_t>([&](uint64_t *o) { return pp_enet_multiplayer_peer_get_dropped_packets(get(), o); });
    }
    /// Why the last create_* or connect failed, in words; "" when nothing failed.
    std::string last_error_text() {
        return detail::text_or_empty([&](char *b, size_t n, size_t *len) {
            return pp_enet_multiplayer_peer_get_last_error_text(get(), b, n, len);
        });
    }
};

// ---------------------------------------------------------------------------------------------
// WebSocket
// ---------------------------------------------------------------------------------------------

namespace detail {
/// The WebSocketPeer calls, for the owner and for the views a WebSocketMultiplayerPeer lends.
template <typename Self>
class WebSocketPeerCalls {
    pp_peer *h() const noexcept { return static_cast<const Self *>(this)->get(); }

public:
    /// `tls_client_options` (a TLSOptions' get()) for wss://; nullptr: the library's defaults.
    Status connect_to_url(std::string_view url, const pp_tls_options *tls_client_options = nullptr) {
        detail::CStr u(url);
        if (!u.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_peer_connect_to_url(h(), u.c_str(), tls_client_options);
    }
    /// wss:// with these client options.
    Status connect_to_url(std::string_view url, const TLSOptions &tls_client_options) {
        return connect_to_url(url, tls_client_options.get());
    }
    Status accept_stream(const StreamPeer &s) { return pp_websocket_peer_accept_stream(h(), s.get()); }
    Status poll() { return pp_websocket_peer_poll(h()); }
    Status send(Bytes b, pp_websocket_write_mode mode = PP_WEBSOCKET_WRITE_MODE_BINARY) {
        return pp_websocket_peer_send(h(), b.data, b.size, static_cast<int32_t>(mode));
    }
    Status send_text(std::string_view text) {
        detail::CStr t(text);
        if (!t.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_peer_send_text(h(), t.c_str());
    }
    bool was_string_packet() { return pp_websocket_peer_was_string_packet(h()); }
    pp_websocket_peer_state get_ready_state() { return pp_websocket_peer_get_ready_state(h()); }
    Status close(int32_t code = 1000, std::string_view reason = "") {
        detail::CStr r(reason);
        if (!r.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_peer_close(h(), code, r.c_str());
    }
    Result<int32_t> get_close_code() {
        return detail::fill<int32_t>([&](int32_t *o) { return pp_websocket_peer_get_close_code(h(), o); });
    }
    Result<std::string> get_close_reason() {
        return detail::text([&](char *b, size_t n, size_t *len) { return pp_websocket_peer_get_close_reason(h(), b, n, len); });
    }
    Result<std::string> get_selected_protocol() {
        return detail::text(
            [&](char *b, size_t n, size_t *len) { return pp_websocket_peer_get_selected_protocol(h(), b, n, len); });
    }
    Result<std::string> get_requested_url() {
        return detail::text(
            [&](char *b, size_t n, size_t *len) { return pp_websocket_peer_get_requested_url(h(), b, n, len); });
    }
    Result<std::string> get_connected_host() {
        return detail::text(
            [&](char *b, size_t n, size_t *len) { return pp_websocket_peer_get_connected_host(h(), b, n, len); });
    }
    int32_t get_connected_port() { return pp_websocket_peer_get_connected_port(h()); }
    int32_t get_current_outbound_buffered_amount() { return pp_websocket_peer_get_current_outbound_buffered_amount(h()); }
    pp_tls_status get_tls_status() { return pp_websocket_peer_get_tls_status(h()); }
    Status set_no_delay(bool on) { return pp_websocket_peer_set_no_delay(h(), on); }
    Status set_supported_protocols(const std::vector<std::string> &protocols) {
        detail::CStrList l(protocols);
        if (!l.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_peer_set_supported_protocols(h(), l.data(), l.size());
    }
    /// "Name: value" lines sent with the client handshake.
    Status set_handshake_headers(const std::vector<std::string> &headers) {
        detail::CStrList l(headers);
        if (!l.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_peer_set_handshake_headers(h(), l.data(), l.size());
    }
    Result<std::vector<std::string>> get_supported_protocols() {
        return detail::lines(
            [&](char *b, size_t n, size_t *len) { return pp_websocket_peer_get_supported_protocols(h(), b, n, len); });
    }
    Result<std::vector<std::string>> get_handshake_headers() {
        return detail::lines(
            [&](char *b, size_t n, size_t *len) { return pp_websocket_peer_get_handshake_headers(h(), b, n, len); });
    }
    Status set_inbound_buffer_size(int32_t v) { return pp_websocket_peer_set_inbound_buffer_size(h(), v); }
    Result<int32_t> get_inbound_buffer_size() {
        return detail::fill<int32_t>([&](int32_t *o) { return pp_websocket_peer_get_inbound_buffer_size(h(), o); });
    }
    Status set_outbound_buffer_size(int32_t v) { return pp_websocket_peer_set_outbound_buffer_size(h(), v); }
    Result<int32_t> get_outbound_buffer_size() {
        return detail::fill<int32_t>([&](int32_t *o) { return pp_websocket_peer_get_outbound_buffer_size(h(), o); });
    }
    Status set_max_queued_packets(int32_t v) { return pp_websocket_peer_set_max_queued_packets(h(), v); }
    Result<int32_t> get_max_queued_packets() {
        return detail::fill<int32_t>([&](int32_t *o) { return pp_websocket_peer_get_max_queued_packets(h(), o); });
    }
    Status set_heartbeat_interval(double seconds) { return pp_websocket_peer_set_heartbeat_interval(h(), seconds); }
    Result<double> get_heartbeat_interval() {
        return detail::fill<double>([&](double *o) { return pp_websocket_peer_get_heartbeat_interval(h(), o); });
    }
    Status set_handshake_timeout(double seconds) { return pp_websocket_peer_set_handshake_timeout(h(), seconds); }
    Result<pp_websocket_stats> get_stats() {
        return detail::fill<pp_websocket_stats>([&](pp_websocket_stats *o) { return pp_websocket_peer_get_stats(h(), o); });
    }
    /// Why the connection failed or closed abnormally (TLS reason included); "" when it did not.
    std::string last_error_text() {
        return detail::text_or_empty(
            [&](char *b, size_t n, size_t *len) { return pp_websocket_peer_get_last_error_text(h(), b, n, len); });
    }
};
} // namespace detail

/// Godot's WebSocketPeer.
class WebSocketPeer : public Peer, public detail::WebSocketPeerCalls<WebSocketPeer> {
public:
    using Peer::Peer;
    static Result<WebSocketPeer> create() {
        return detail::make<WebSocketPeer, pp_peer>([](pp_peer **o) { return pp_websocket_peer_new(o); });
    }
};

/// A WebSocketPeer lent by a WebSocketMultiplayerPeer (get_peer): a view, never freed here, valid
/// as long as the multiplayer peer. Reading or sending on it bypasses the multiplayer peer.
class WebSocketPeerView : public detail::PacketPeerCalls<WebSocketPeerView>,
                          public detail::WebSocketPeerCalls<WebSocketPeerView> {
public:
    explicit WebSocketPeerView(pp_peer *p = nullptr) noexcept : p_(p) {}
    pp_peer *get() const noexcept { return p_; }
    explicit operator bool() const noexcept { return p_ != nullptr; }

private:
    pp_peer *p_;
};

/// Godot's WebSocketMultiplayerPeer.
class WebSocketMultiplayerPeer : public MultiplayerPeer {
public:
    using MultiplayerPeer::MultiplayerPeer;
    static Result<WebSocketMultiplayerPeer> create() {
        return detail::make<WebSocketMultiplayerPeer, pp_peer>(
            [](pp_peer **o) { return pp_websocket_multiplayer_peer_new(o); });
    }
    /// A ws server, or wss with `tls_server_options` (a TLSOptions' get()).
    Status create_server(int32_t port, std::string_view bind_address = "*",
                         const pp_tls_options *tls_server_options = nullptr) {
        detail::CStr a(bind_address);
        if (!a.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_multiplayer_peer_create_server(get(), port, a.c_str(), tls_server_options);
    }
    /// A wss server with these server options.
    Status create_server(int32_t port, std::string_view bind_address, const TLSOptions &tls_server_options) {
        return create_server(port, bind_address, tls_server_options.get());
    }
    Status create_client(std::string_view url, const pp_tls_options *tls_client_options = nullptr) {
        detail::CStr u(url);
        if (!u.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_multiplayer_peer_create_client(get(), u.c_str(), tls_client_options);
    }
    Status create_client(std::string_view url, const TLSOptions &tls_client_options) {
        return create_client(url, tls_client_options.get());
    }
    int32_t get_local_port() { return pp_websocket_multiplayer_peer_get_local_port(get()); }
    /// The WebSocketPeer of a connected remote (lent: see WebSocketPeerView).
    Result<WebSocketPeerView> get_peer(int32_t id) {
        pp_peer *p = nullptr;
        pp_error e = pp_websocket_multiplayer_peer_get_peer(get(), id, &p);
        return e == PP_OK ? Result<WebSocketPeerView>(WebSocketPeerView(p)) : Result<WebSocketPeerView>(e);
    }
    Result<std::string> get_peer_address(int32_t id) {
        return detail::text([&](char *b, size_t n, size_t *len) {
            return pp_websocket_multiplayer_peer_get_peer_address(get(), id, b, n, len);
        });
    }
    Result<int32_t> get_peer_port(int32_t id) {
        return detail::fill<int32_t>([&](int32_t *o) { return pp_websocket_multiplayer_peer_get_peer_port(get(), id, o); });
    }
    Status set_supported_protocols(const std::vector<std::string> &protocols) {
        detail::CStrList l(protocols);
        if (!l.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_multiplayer_peer_set_supported_protocols(get(), l.data(), l.size());
    }
    Status set_handshake_headers(const std::vector<std::string> &headers) {
        detail::CStrList l(headers);
        if (!l.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_multiplayer_peer_set_handshake_headers(get(), l.data(), l.size());
    }
    Result<std::vector<std::string>> get_supported_protocols() {
        return detail::lines([&](char *b, size_t n, size_t *len) {
            return pp_websocket_multiplayer_peer_get_supported_protocols(get(), b, n, len);
        });
    }
    Result<std::vector<std::string>> get_handshake_headers() {
        return detail::lines([&](char *b, size_t n, size_t *len) {
            return pp_websocket_multiplayer_peer_get_handshake_headers(get(), b, n, len);
        });
    }
    Status set_handshake_timeout(double seconds) {
        return pp_websocket_multiplayer_peer_set_handshake_timeout(get(), seconds);
    }
    Result<double> get_handshake_timeout() {
        return detail::fill<double>([&](double *o) { return pp_websocket_multiplayer_peer_get_handshake_timeout(get(), o); });
    }
    Status set_inbound_buffer_size(int32_t v) { return pp_websocket_multiplayer_peer_set_inbound_buffer_size(get(), v); }
    Result<int32_t> get_inbound_buffer_size() {
        return detail::fill<int32_t>(
            [&](int32_t *o) { return pp_websocket_multiplayer_peer_get_inbound_buffer_size(get(), o); });
    }
    Status set_outbound_buffer_size(int32_t v) {
        return pp_websocket_multiplayer_peer_set_outbound_buffer_size(get(), v);
    }
    Result<int32_t> get_outbound_buffer_size() {
        return detail::fill<int32_t>(
            [&](int32_t *o) { return pp_websocket_multiplayer_peer_get_outbound_buffer_size(get(), o); });
    }
    Status set_max_queued_packets(int32_t v) { return pp_websocket_multiplayer_peer_set_max_queued_packets(get(), v); }
    Result<int32_t> get_max_queued_packets() {
        return detail::fill<int32_t>(
            [&](int32_t *o) { return pp_websocket_multiplayer_peer_get_max_queued_packets(get(), o); });
    }
    Status set_heartbeat_interval(double seconds) {
        return pp_websocket_multiplayer_peer_set_heartbeat_interval(get(), seconds);
    }
    Result<double> get_heartbeat_interval() {
        return detail::fill<double>(
            [&](double *o) { return pp_websocket_multiplayer_peer_get_heartbeat_interval(get(), o); });
    }
    /// The four settings every later connection copies, all or nothing.
    Status configure(const std::vector<std::string> &protocols, int32_t inbound_buffer_size,
                     int32_t outbound_buffer_size, int32_t max_queued_packets) {
        detail::CStrList l(protocols);
        if (!l.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_multiplayer_peer_configure(get(), l.data(), l.size(), inbound_buffer_size,
                                                       outbound_buffer_size, max_queued_packets);
    }
    /// Opt-in: Godot 3's WebSocket multiplayer protocol; while DISCONNECTED.
    Status set_godot3_compat(bool on) { return pp_websocket_multiplayer_peer_set_godot3_compat(get(), on); }
    /// Why the last create_* or connection failed, in words; "" when nothing failed.
    std::string last_error_text() {
        return detail::text_or_empty([&](char *b, size_t n, size_t *len) {
            return pp_websocket_multiplayer_peer_get_last_error_text(get(), b, n, len);
        });
    }
};

// ---------------------------------------------------------------------------------------------
// WebRTC
// ---------------------------------------------------------------------------------------------

/// Godot's WebRTCDataChannel, an owned Peer: put_packet sends one message (binary, or text in
/// write mode TEXT), get_packet pops one (was_string_packet tells its kind). Messages move in the
/// connection's poll. It stays valid after its connection is freed (it reads CLOSED once the
/// connection is closed).
class WebRTCDataChannel : public Peer {
public:
    using Peer::Peer;
    Status set_write_mode(pp_webrtc_data_channel_write_mode mode) {
        return pp_webrtc_data_channel_set_write_mode(get(), static_cast<int32_t>(mode));
    }
    pp_webrtc_data_channel_write_mode get_write_mode() {
        return static_cast<pp_webrtc_data_channel_write_mode>(pp_webrtc_data_channel_get_write_mode(get()));
    }
    /// Whether the message the last get_packet / get_var returned was text.
    bool was_string_packet() { return pp_webrtc_data_channel_was_string_packet(get()); }
    pp_webrtc_data_channel_state get_ready_state() { return pp_webrtc_data_channel_get_ready_state(get()); }
    Result<std::string> get_label() {
        return detail::text([&](char *b, size_t n, size_t *len) { return pp_webrtc_data_channel_get_label(get(), b, n, len); });
    }
    Result<std::string> get_protocol() {
        return detail::text(
            [&](char *b, size_t n, size_t *len) { return pp_webrtc_data_channel_get_protocol(get(), b, n, len); });
    }
    bool is_ordered() { return pp_webrtc_data_channel_is_ordered(get()); }
    bool is_negotiated() { return pp_webrtc_data_channel_is_negotiated(get()); }
    /// The SCTP stream id; 65535 while unknown.
    int32_t get_id() { return pp_webrtc_data_channel_get_id(get()); }
    /// In ms; 65535 when unset.
    int32_t get_max_packet_life_time() { return pp_webrtc_data_channel_get_max_packet_life_time(get()); }
    /// 65535 when unset.
    int32_t get_max_retransmits() { return pp_webrtc_data_channel_get_max_retransmits(get()); }
    /// Bytes accepted by put_packet and not yet acknowledged.
    int32_t get_buffered_amount() { return pp_webrtc_data_channel_get_buffered_amount(get()); }
    /// Messages refused because the receive queue was over its hard limit.
    uint64_t get_refused_count() { return pp_webrtc_data_channel_get_refused_count(get()); }
    /// Reserved by the engine (the connection's poll does the work).
    Status poll() { return pp_webrtc_data_channel_poll(get()); }
    /// CLOSING, then CLOSED when the remote confirms; received messages stay readable.
    void close() { pp_webrtc_data_channel_close(get()); }
};

/// One signal of a WebRTCPeerConnection (pop_event), with its strings and channel owned here.
struct WebRTCEvent {
    pp_webrtc_event_type type = PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED;
    /// CONNECTION/GATHERING/SIGNALING_STATE_CHANGED: the new state (cast to its enum), else 0.
    int32_t state = 0;
    /// ICE_CANDIDATE_CREATED: the m-line index, else 0.
    int32_t index = 0;
    /// SESSION_DESCRIPTION_CREATED: "offer" or "answer"; ICE_CANDIDATE_CREATED: the media (mid).
    std::string text;
    /// SESSION_DESCRIPTION_CREATED: the SDP; ICE_CANDIDATE_CREATED: the candidate.
    std::string text2;
    /// DATA_CHANNEL_RECEIVED: the new channel (keep it to keep receiving), else empty.
    WebRTCDataChannel channel;

    const std::string &sdp_type() const noexcept { return text; }
    const std::string &sdp() const noexcept { return text2; }
    const std::string &media() const noexcept { return text; }
    const std::string &candidate() const noexcept { return text2; }
};

/// Godot's WebRTCPeerConnection (built in: no plugin, no threads; everything happens in poll).
/// initialize(), create_data_channel() while NEW, then create_offer() or set_remote_description
/// ("offer", ...); move what pop_event() gives (descriptions, candidates) to the remote yourself.
class WebRTCPeerConnection : public detail::Owner<pp_webrtc_peer_connection, pp_webrtc_peer_connection_free> {
public:
    using Owner::Owner;
    static Result<WebRTCPeerConnection> create() {
        return detail::make<WebRTCPeerConnection, pp_webrtc_peer_connection>(
            [](pp_webrtc_peer_connection **o) { return pp_webrtc_peer_connection_new(o); });
    }
    /// (Re)creates the connection from a configuration Dictionary ("iceServers", and beyond the
    /// engine "bindAddresses", "iceTimeout", "iceTransportPolicy": see the C header).
    Status initialize(const Variant &configuration) {
        return pp_webrtc_peer_connection_initialize(get(), configuration.get());
    }
    /// initialize with an empty configuration.
    Status initialize() { return pp_webrtc_peer_connection_initialize(get(), nullptr); }
    /// A data channel (only while NEW); `options`: a Dictionary ("negotiated", "id",
    /// "maxRetransmits", "maxPacketLifeTime", "ordered", "protocol") or nullptr.
    Result<WebRTCDataChannel> create_data_channel(std::string_view label, const Variant *options = nullptr) {
        detail::CStr l(label);
        if (!l.valid()) return PP_ERR_INVALID_PARAMETER;
        return detail::make<WebRTCDataChannel, pp_peer>([&](pp_peer **o) {
            return pp_webrtc_peer_connection_create_data_channel(get(), l.c_str(), options ? options->get() : nullptr, o);
        });
    }
    Result<WebRTCDataChannel> create_data_channel(std::string_view label, const Variant &options) {
        return create_data_channel(label, &options);
    }
    /// The offer arrives from pop_event (SESSION_DESCRIPTION_CREATED), then the candidates.
    Status create_offer() { return pp_webrtc_peer_connection_create_offer(get()); }
    /// `type` "offer" or "answer"; an offer produces the answer at once (an event).
    Status set_remote_description(std::string_view type, std::string_view sdp) {
        detail::CStr t(type), s(sdp);
        if (!t.valid() || !s.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_webrtc_peer_connection_set_remote_description(get(), t.c_str(), s.c_str());
    }
    /// Only checks its arguments (the local description is applied when made).
    Status set_local_description(std::string_view type, std::string_view sdp) {
        detail::CStr t(type), s(sdp);
        if (!t.valid() || !s.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_webrtc_peer_connection_set_local_description(get(), t.c_str(), s.c_str());
    }
    /// A remote candidate (`name` empty: end of candidates).
    Status add_ice_candidate(std::string_view media, int32_t index, std::string_view name) {
        detail::CStr m(media), n(name);
        if (!m.valid() || !n.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_webrtc_peer_connection_add_ice_candidate(get(), m.c_str(), index, n.c_str());
    }
    /// Does the network work: call it often.
    Status poll() { return pp_webrtc_peer_connection_poll(get()); }
    /// Closes the connection and every channel (initialize makes it usable again).
    void close() { pp_webrtc_peer_connection_close(get()); }
    pp_webrtc_connection_state get_connection_state() { return pp_webrtc_peer_connection_get_connection_state(get()); }
    pp_webrtc_gathering_state get_gathering_state() { return pp_webrtc_peer_connection_get_gathering_state(get()); }
    pp_webrtc_signaling_state get_signaling_state() { return pp_webrtc_peer_connection_get_signaling_state(get()); }
    /// The oldest signal; PP_ERR_UNAVAILABLE when none is queued.
    Result<WebRTCEvent> pop_event() {
        pp_webrtc_event ev{};
        pp_error e = pp_webrtc_peer_connection_pop_event(get(), &ev);
        if (e != PP_OK) return e;
        struct Clear {  // frees the C strings whatever happens below
            pp_webrtc_event *ev;
            ~Clear() { pp_webrtc_event_clear(ev); }
        } clear{&ev};
        WebRTCEvent out;
        out.channel = WebRTCDataChannel(ev.channel);  // owned from here on
        out.type = static_cast<pp_webrtc_event_type>(ev.type_);
        out.state = ev.state;
        out.index = ev.index;
        if (ev.text) out.text = ev.text;
        if (ev.text2) out.text2 = ev.text2;
        return out;
    }
    /// Why the last failing call failed (beyond the engine); "" when none has.
    Result<std::string> get_last_error() {
        return detail::text(
            [&](char *b, size_t n, size_t *len) { return pp_webrtc_peer_connection_get_last_error(get(), b, n, len); });
    }
    /// get_last_error as a plain string ("" when none or on error).
    std::string last_error_text() {
        return detail::text_or_empty(
            [&](char *b, size_t n, size_t *len) { return pp_webrtc_peer_connection_get_last_error(get(), b, n, len); });
    }
    Result<pp_webrtc_stats> get_stats() {
        return detail::fill<pp_webrtc_stats>(
            [&](pp_webrtc_stats *o) { return pp_webrtc_peer_connection_get_stats(get(), o); });
    }
    /// A conditioner on the connection's UDP sockets (every ICE, DTLS and SCTP datagram).
    Status set_conditioner(const ConditionerOptions &options) {
        return pp_webrtc_peer_connection_set_conditioner(get(), &options);
    }
    Status remove_conditioner() { return pp_webrtc_peer_connection_set_conditioner(get(), nullptr); }
    /// PP_ERR_UNCONFIGURED when no conditioner is set.
    Result<ConditionerStats> get_conditioner_stats() {
        return detail::fill<ConditionerStats>(
            [&](ConditionerStats *o) { return pp_webrtc_peer_connection_get_conditioner_stats(get(), o); });
    }
};

/// WebRTCMultiplayerPeer::get_peer: the remote's connection (a new owned handle) and whether it is
/// connected (every channel open, announced).
struct WebRTCPeerInfo {
    WebRTCPeerConnection connection;
    bool connected = false;
};

/// Godot's WebRTCMultiplayerPeer. create_server / create_client / create_mesh, then per remote an
/// initialized, NEW WebRTCPeerConnection given to add_peer (do its signalling yourself); poll()
/// polls every connection.
class WebRTCMultiplayerPeer : public MultiplayerPeer {
public:
    using MultiplayerPeer::MultiplayerPeer;
    static Result<WebRTCMultiplayerPeer> create() {
        return detail::make<WebRTCMultiplayerPeer, pp_peer>([](pp_peer **o) { return pp_webrtc_multiplayer_peer_new(o); });
    }
    /// `channels_config`: one transfer mode per extra channel; every remote must list the same.
    Status create_server(const std::vector<pp_multiplayer_peer_transfer_mode> &channels_config = {}) {
        std::vector<int32_t> c = modes(channels_config);
        return pp_webrtc_multiplayer_peer_create_server(get(), c.empty() ? nullptr : c.data(), c.size());
    }
    Status create_client(int32_t peer_id, const std::vector<pp_multiplayer_peer_transfer_mode> &channels_config = {}) {
        std::vector<int32_t> c = modes(channels_config);
        return pp_webrtc_multiplayer_peer_create_client(get(), peer_id, c.empty() ? nullptr : c.data(), c.size());
    }
    Status create_mesh(int32_t peer_id, const std::vector<pp_multiplayer_peer_transfer_mode> &channels_config = {}) {
        std::vector<int32_t> c = modes(channels_config);
        return pp_webrtc_multiplayer_peer_create_mesh(get(), peer_id, c.empty() ? nullptr : c.data(), c.size());
    }
    /// Makes the pre-negotiated channels on `connection` (initialized, NEW); the multiplayer peer
    /// keeps its own reference. `unreliable_lifetime` in ms (honoured only with
    /// set_honor_unreliable_lifetime).
    Status add_peer(const WebRTCPeerConnection &connection, int32_t peer_id, int32_t unreliable_lifetime = 1) {
        return pp_webrtc_multiplayer_peer_add_peer(get(), connection.get(), peer_id, unreliable_lifetime);
    }
    Status remove_peer(int32_t peer_id) { return pp_webrtc_multiplayer_peer_remove_peer(get(), peer_id); }
    bool has_peer(int32_t peer_id) { return pp_webrtc_multiplayer_peer_has_peer(get(), peer_id); }
    /// PP_ERR_DOES_NOT_EXIST for an unknown ID.
    Result<WebRTCPeerInfo> get_peer(int32_t peer_id) {
        pp_webrtc_peer_connection *c = nullptr;
        bool connected = false;
        pp_error e = pp_webrtc_multiplayer_peer_get_peer(get(), peer_id, &c, &connected);
        if (e != PP_OK) return e;
        WebRTCPeerInfo out;
        out.connection = WebRTCPeerConnection(c);
        out.connected = connected;
        return out;
    }
    /// A new handle on one channel of a remote (0 reliable, 1 ordered, 2 unreliable, 3 + i extra).
    Result<WebRTCDataChannel> get_peer_channel(int32_t peer_id, int32_t index) {
        return detail::make<WebRTCDataChannel, pp_peer>(
            [&](pp_peer **o) { return pp_webrtc_multiplayer_peer_get_peer_channel(get(), peer_id, index, o); });
    }
    /// The remotes' IDs, ascending.
    Result<std::vector<int32_t>> get_peers() {
        std::vector<int32_t> ids;
        for (int attempt = 0; attempt < 4; attempt++) {  // the set only changes in poll; retry is a formality
            size_t n = 0;
            pp_error e = pp_webrtc_multiplayer_peer_get_peers(get(), ids.empty() ? nullptr : ids.data(), ids.size(), &n);
            if (e == PP_OK && n <= ids.size()) {
                ids.resize(n);
                return ids;
            }
            if (e != PP_OK && e != PP_ERR_PARAMETER_RANGE_ERROR) return e;
            ids.assign(n, 0);
        }
        return PP_ERR_BUSY;
    }
    /// Opt-in: give the unreliable lanes the lifetime the engine means (later add_peer calls).
    Status set_honor_unreliable_lifetime(bool on) {
        return pp_webrtc_multiplayer_peer_set_honor_unreliable_lifetime(get(), on);
    }
    bool is_honoring_unreliable_lifetime() { return pp_webrtc_multiplayer_peer_is_honoring_unreliable_lifetime(get()); }

private:
    static std::vector<int32_t> modes(const std::vector<pp_multiplayer_peer_transfer_mode> &in) {
        std::vector<int32_t> out;
        out.reserve(in.size());
        for (pp_multiplayer_peer_transfer_mode m : in) out.push_back(static_cast<int32_t>(m));
        return out;
    }
};

/// The library's version ("1.2.3").
inline const char *version_string() noexcept { return pp_version_string(); }
/// The version as a number (see pp_version_number).
inline uint32_t version_number() noexcept { return pp_version_number(); }

/// The CA bundle for TLSOptions::client() without a trusted chain, process-wide (empty: the
/// system's again).
inline Status tls_set_certificate_bundle_override(Bytes pem) {
    return pp_tls_set_certificate_bundle_override(pem.data, pem.size);
}
/// The same from a PEM file, read once now (empty path: the system's again).
inline Status tls_set_certificate_bundle_override_path(std::string_view path) {
    detail::CStr p(path);
    if (!p.valid()) return PP_ERR_INVALID_PARAMETER;
    return pp_tls_set_certificate_bundle_override_path(path.empty() ? nullptr : p.c_str());
}

namespace detail {
/// Runs a SceneMultiplayer builder twice: (NULL, 0) for the size, then into a buffer of that size.
template <typename F>
Result<std::vector<uint8_t>> build(F &&call) {
    size_t n = 0;
    pp_error e = call(nullptr, 0, &n);
    if (e != PP_OK && e != PP_ERR_PARAMETER_RANGE_ERROR) return e;
    std::vector<uint8_t> out(n);
    e = call(out.data(), out.size(), &n);
    if (e != PP_OK) return e;
    out.resize(n);
    return out;
}
} // namespace detail

/// The packet `multiplayer.send_bytes(payload)` sends (SceneMultiplayer RAW).
inline Result<std::vector<uint8_t>> scene_multiplayer_build_raw(Bytes payload) {
    return detail::build([&](uint8_t *b, size_t cap, size_t *n) {
        return pp_scene_multiplayer_build_raw(payload.data, payload.size, b, cap, n);
    });
}
/// A SYS AUTH packet carrying `data`.
inline Result<std::vector<uint8_t>> scene_multiplayer_build_auth(Bytes data) {
    return detail::build(
        [&](uint8_t *b, size_t cap, size_t *n) { return pp_scene_multiplayer_build_auth(data.data, data.size, b, cap, n); });
}
/// A SYS ADD_PEER packet (server to clients when `peer_id` joins).
inline Result<std::vector<uint8_t>> scene_multiplayer_build_add_peer(int32_t peer_id) {
    return detail::build(
        [&](uint8_t *b, size_t cap, size_t *n) { return pp_scene_multiplayer_build_add_peer(peer_id, b, cap, n); });
}
/// A SYS DEL_PEER packet (server to clients when `peer_id` left).
inline Result<std::vector<uint8_t>> scene_multiplayer_build_del_peer(int32_t peer_id) {
    return detail::build(
        [&](uint8_t *b, size_t cap, size_t *n) { return pp_scene_multiplayer_build_del_peer(peer_id, b, cap, n); });
}
/// A SYS RELAY packet wrapping `packet` for (or from) `peer_id`.
inline Result<std::vector<uint8_t>> scene_multiplayer_build_relay(int32_t peer_id, Bytes packet) {
    return detail::build([&](uint8_t *b, size_t cap, size_t *n) {
        return pp_scene_multiplayer_build_relay(peer_id, packet.data, packet.size, b, cap, n);
    });
}

/// A SceneMultiplayer packet taken apart; `payload` points into the parsed bytes.
struct SceneMultiplayerMessage {
    pp_scene_multiplayer_command command{};
    pp_scene_multiplayer_sys_command sys_command{};
    int32_t peer_id = 0;
    uint8_t flags = 0;
    Bytes payload;
};

/// Parses a packet a SceneMultiplayer sends (PP_ERR_INVALID_DATA when malformed).
inline Result<SceneMultiplayerMessage> scene_multiplayer_parse(Bytes packet) {
    pp_scene_multiplayer_message m{};
    pp_error e = pp_scene_multiplayer_parse(packet.data, packet.size, &m);
    if (e != PP_OK) return e;
    SceneMultiplayerMessage out;
    out.command = m.command;
    out.sys_command = m.sys_command;
    out.peer_id = m.peer_id;
    out.flags = m.flags;
    out.payload = Bytes(packet.data + m.payload_offset, m.payload_len);
    return out;
}

} // namespace pp

#endif // PACKETPEER_HPP
