/*
 * packetpeer.hpp: a header-only C++17 layer over packetpeer.h (written by hand, not generated).
 *
 * - Every handle type has a move-only RAII owner: Variant, Codec, Peer (and the classes built on it:
 *   PacketPeerUDP, PacketPeerStream, ENetMultiplayerPeer, WebSocketPeer, ...), StreamPeer
 *   (StreamPeerTCP, ...), UDPServer, TCPServer, ENetConnection, DTLSServer, CryptoKey,
 *   X509Certificate, TLSOptions. The destructor calls the matching pp_*_free. `get()` lends the C
 *   handle to any pp_* call not wrapped here; `release()` gives it up.
 * - Peers lent by their owner (the ENetPacketPeers of an ENetConnection) are ENetPacketPeer views,
 *   never freed by this header.
 * - Inputs: std::string_view for text, pp::Bytes (pointer + size; built from a std::vector, a
 *   std::string_view, a std::array, a C array, or a std::span in C++20) for bytes. Inputs are copied
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
};

/// Godot's StreamPeerTCP.
class StreamPeerTCP : public StreamPeer {
public:
    using StreamPeer::StreamPeer;
    static Result<StreamPeerTCP> create() {
        return detail::make<StreamPeerTCP, pp_stream_peer>([](pp_stream_peer **o) { return pp_stream_peer_tcp_new(o); });
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
    Status set_no_delay(bool on) { return pp_stream_peer_tcp_set_no_delay(get(), on); }
    /// Why the last connect failed, in words ("connect: Connection refused (os error 111)"), or "".
    Result<std::string> get_last_error_text() {
        return detail::text(
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
};

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
    /// Waits up to `timeout_ms` for a packet (PP_ERR_TIMEOUT past it).
    Status wait(int32_t timeout_ms) { return pp_packet_peer_udp_wait_timeout(get(), timeout_ms); }
    int32_t get_local_port() { return pp_packet_peer_udp_get_local_port(get()); }
    int32_t get_packet_port() { return pp_packet_peer_udp_get_packet_port(get()); }
    Result<std::string> get_packet_ip() {
        return detail::text([&](char *b, size_t n, size_t *len) { return pp_packet_peer_udp_get_packet_ip(get(), b, n, len); });
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
    /// (31.5 s with ENet's defaults): shorten it right after connecting.
    Status set_timeout(int32_t timeout, int32_t timeout_min, int32_t timeout_max) {
        return pp_enet_packet_peer_set_timeout(p_, timeout, timeout_min, timeout_max);
    }
    Status peer_disconnect(int32_t data = 0) { return pp_enet_packet_peer_peer_disconnect(p_, data); }
    pp_enet_peer_state get_state() { return pp_enet_packet_peer_get_state(p_); }
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
    Status create_host_bound(std::string_view bind_address, int32_t port, int32_t max_peers = 32,
                             int32_t max_channels = 0, int32_t in_bandwidth = 0, int32_t out_bandwidth = 0) {
        detail::CStr a(bind_address);
        if (!a.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_enet_connection_create_host_bound(get(), a.c_str(), port, max_peers, max_channels, in_bandwidth,
                                                    out_bandwidth);
    }
    Result<ENetPacketPeer> connect_to_host(std::string_view address, int32_t port, int32_t channels = 0,
                                           int32_t data = 0) {
        detail::CStr a(address);
        if (!a.valid()) return PP_ERR_INVALID_PARAMETER;
        pp_peer *p = nullptr;
        pp_error e = pp_enet_connection_connect_to_host(get(), a.c_str(), port, channels, data, &p);
        return e == PP_OK ? Result<ENetPacketPeer>(ENetPacketPeer(p)) : Result<ENetPacketPeer>(e);
    }
    Result<ENetEvent> service(int32_t timeout_ms = 0) {
        pp_enet_event ev{};
        pp_error e = pp_enet_connection_service(get(), timeout_ms, &ev);
        if (e != PP_OK) return e;
        ENetEvent out;
        out.type = ev.type;
        out.peer = ENetPacketPeer(ev.peer);
        out.data = ev.data;
        out.channel = ev.channel;
        return out;
    }
    Status flush() { return pp_enet_connection_flush(get()); }
    int32_t get_local_port() { return pp_enet_connection_get_local_port(get()); }
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
    Result<int32_t> get_packet_peer() {
        int32_t id = 0;
        pp_error e = pp_multiplayer_peer_get_packet_peer(get(), &id);
        return e == PP_OK ? Result<int32_t>(id) : Result<int32_t>(e);
    }
    Result<int32_t> get_unique_id() {
        int32_t id = 0;
        pp_error e = pp_multiplayer_peer_get_unique_id(get(), &id);
        return e == PP_OK ? Result<int32_t>(id) : Result<int32_t>(e);
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
    Status close() { return pp_multiplayer_peer_close(get()); }
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
};

// ---------------------------------------------------------------------------------------------
// WebSocket
// ---------------------------------------------------------------------------------------------

/// Godot's WebSocketPeer.
class WebSocketPeer : public Peer {
public:
    using Peer::Peer;
    static Result<WebSocketPeer> create() {
        return detail::make<WebSocketPeer, pp_peer>([](pp_peer **o) { return pp_websocket_peer_new(o); });
    }
    /// `tls_client_options` (a TLSOptions' get()) for wss://; nullptr: the library's defaults.
    Status connect_to_url(std::string_view url, const pp_tls_options *tls_client_options = nullptr) {
        detail::CStr u(url);
        if (!u.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_peer_connect_to_url(get(), u.c_str(), tls_client_options);
    }
    Status accept_stream(const StreamPeer &s) { return pp_websocket_peer_accept_stream(get(), s.get()); }
    Status poll() { return pp_websocket_peer_poll(get()); }
    Status send_text(std::string_view text) {
        detail::CStr t(text);
        if (!t.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_peer_send_text(get(), t.c_str());
    }
    pp_websocket_peer_state get_ready_state() { return pp_websocket_peer_get_ready_state(get()); }
    Status close(int32_t code = 1000, std::string_view reason = "") {
        detail::CStr r(reason);
        if (!r.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_peer_close(get(), code, r.c_str());
    }
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
    Status create_client(std::string_view url, const pp_tls_options *tls_client_options = nullptr) {
        detail::CStr u(url);
        if (!u.valid()) return PP_ERR_INVALID_PARAMETER;
        return pp_websocket_multiplayer_peer_create_client(get(), u.c_str(), tls_client_options);
    }
    int32_t get_local_port() { return pp_websocket_multiplayer_peer_get_local_port(get()); }
};

// ---------------------------------------------------------------------------------------------
// TLS / DTLS handles (owners; use get() with the pp_* calls)
// ---------------------------------------------------------------------------------------------

class CryptoKey : public detail::Owner<pp_crypto_key, pp_crypto_key_free> {
public:
    using Owner::Owner;
    static Result<CryptoKey> generate_rsa(int32_t bits) {
        return detail::make<CryptoKey, pp_crypto_key>([&](pp_crypto_key **o) { return pp_crypto_generate_rsa(bits, o); });
    }
    static Result<CryptoKey> load_pem(Bytes pem, bool public_only = false) {
        return detail::make<CryptoKey, pp_crypto_key>(
            [&](pp_crypto_key **o) { return pp_crypto_key_load_pem(pem.data, pem.size, public_only, o); });
    }
};

class X509Certificate : public detail::Owner<pp_x509_certificate, pp_x509_certificate_free> {
public:
    using Owner::Owner;
    static Result<X509Certificate> load_pem(Bytes pem) {
        return detail::make<X509Certificate, pp_x509_certificate>(
            [&](pp_x509_certificate **o) { return pp_x509_certificate_load_pem(pem.data, pem.size, o); });
    }
};

class TLSOptions : public detail::Owner<pp_tls_options, pp_tls_options_free> {
public:
    using Owner::Owner;
    static Result<TLSOptions> server(const CryptoKey &key, const X509Certificate &cert) {
        return detail::make<TLSOptions, pp_tls_options>(
            [&](pp_tls_options **o) { return pp_tls_options_server(key.get(), cert.get(), o); });
    }
    static Result<TLSOptions> client_unsafe(const X509Certificate *trusted = nullptr) {
        return detail::make<TLSOptions, pp_tls_options>(
            [&](pp_tls_options **o) { return pp_tls_options_client_unsafe(trusted ? trusted->get() : nullptr, o); });
    }
};

class DTLSServer : public detail::Owner<pp_dtls_server, pp_dtls_server_free> {
public:
    using Owner::Owner;
    static Result<DTLSServer> create() {
        return detail::make<DTLSServer, pp_dtls_server>([](pp_dtls_server **o) { return pp_dtls_server_new(o); });
    }
    Status setup(const TLSOptions &options) { return pp_dtls_server_setup(get(), options.get()); }
};

/// The packet `multiplayer.send_bytes(payload)` sends (SceneMultiplayer RAW).
inline Result<std::vector<uint8_t>> scene_multiplayer_build_raw(Bytes payload) {
    std::vector<uint8_t> out(payload.size + 16);
    size_t n = 0;
    pp_error e = pp_scene_multiplayer_build_raw(payload.data, payload.size, out.data(), out.size(), &n);
    if (e != PP_OK) return e;
    out.resize(n);
    return out;
}

} // namespace pp

#endif // PACKETPEER_HPP
