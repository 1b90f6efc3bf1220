/* ABI basics: version macros = Cargo.toml (passed by CMake as PP_CARGO_VERSION_*) = runtime, the
 * computed PP_VERSION_NUMBER, pp_error_name for every code and for unknown ones, and every PP_ERR_*
 * number pinned to Godot's Error value (numbers are ABI: never renumbered, never reused). */
#include <packetpeer.h>

#include <stdio.h>
#include <string.h>

#define CHECK(c)                                                        \
    do {                                                                \
        if (!(c)) {                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); \
            return 1;                                                   \
        }                                                               \
    } while (0)

#ifndef PP_CARGO_VERSION_MAJOR
#error "CMake passes PP_CARGO_VERSION_MAJOR/MINOR/PATCH/STRING (read from Cargo.toml)"
#endif

/* The header's macros must be plain integer constants usable in #if. */
#if PP_VERSION_NUMBER != PP_VERSION_MAJOR * 10000 + PP_VERSION_MINOR * 100 + PP_VERSION_PATCH
#error "PP_VERSION_NUMBER is not MAJOR*10000 + MINOR*100 + PATCH"
#endif

static int check_versions(void) {
    char expected[32];
    const char *runtime = pp_version_string();

    /* header = Cargo.toml */
    CHECK(PP_VERSION_MAJOR == PP_CARGO_VERSION_MAJOR);
    CHECK(PP_VERSION_MINOR == PP_CARGO_VERSION_MINOR);
    CHECK(PP_VERSION_PATCH == PP_CARGO_VERSION_PATCH);
    CHECK(PP_VERSION_NUMBER ==
          PP_CARGO_VERSION_MAJOR * 10000 + PP_CARGO_VERSION_MINOR * 100 + PP_CARGO_VERSION_PATCH);
    CHECK(PP_VERSION_MINOR < 100 && PP_VERSION_PATCH < 100);

    /* runtime = header = Cargo.toml */
    CHECK(pp_version_number() == (uint32_t)PP_VERSION_NUMBER);
    CHECK(runtime != NULL);
    CHECK(strcmp(runtime, PP_CARGO_VERSION_STRING) == 0);
    snprintf(expected, sizeof expected, "%d.%d.%d", PP_VERSION_MAJOR, PP_VERSION_MINOR, PP_VERSION_PATCH);
    CHECK(strcmp(runtime, expected) == 0);
    /* static storage: the same pointer every time */
    CHECK(pp_version_string() == runtime);
    return 0;
}

/* Godot's Error names, indexed by number. */
static const char *const godot_names[] = {
    "OK", "FAILED", "ERR_UNAVAILABLE", "ERR_UNCONFIGURED", "ERR_UNAUTHORIZED",
    "ERR_PARAMETER_RANGE_ERROR", "ERR_OUT_OF_MEMORY", "ERR_FILE_NOT_FOUND", "ERR_FILE_BAD_DRIVE",
    "ERR_FILE_BAD_PATH", "ERR_FILE_NO_PERMISSION", "ERR_FILE_ALREADY_IN_USE", "ERR_FILE_CANT_OPEN",
    "ERR_FILE_CANT_WRITE", "ERR_FILE_CANT_READ", "ERR_FILE_UNRECOGNIZED", "ERR_FILE_CORRUPT",
    "ERR_FILE_MISSING_DEPENDENCIES", "ERR_FILE_EOF", "ERR_CANT_OPEN", "ERR_CANT_CREATE",
    "ERR_QUERY_FAILED", "ERR_ALREADY_IN_USE", "ERR_LOCKED", "ERR_TIMEOUT", "ERR_CANT_CONNECT",
    "ERR_CANT_RESOLVE", "ERR_CONNECTION_ERROR", "ERR_CANT_ACQUIRE_RESOURCE", "ERR_CANT_FORK",
    "ERR_INVALID_DATA", "ERR_INVALID_PARAMETER", "ERR_ALREADY_EXISTS", "ERR_DOES_NOT_EXIST",
    "ERR_DATABASE_CANT_READ", "ERR_DATABASE_CANT_WRITE", "ERR_COMPILATION_FAILED",
    "ERR_METHOD_NOT_FOUND", "ERR_LINK_FAILED", "ERR_SCRIPT_FAILED", "ERR_CYCLIC_LINK",
    "ERR_INVALID_DECLARATION", "ERR_DUPLICATE_SYMBOL", "ERR_PARSE_ERROR", "ERR_BUSY", "ERR_SKIP",
    "ERR_HELP", "ERR_BUG", "ERR_PRINTER_ON_FIRE",
};

static int check_error_names(void) {
    int32_t code;
    size_t i;
    const int32_t unknown[] = {-1, 49, 50, 1000, -1000, INT32_MIN, INT32_MAX};

    CHECK(sizeof godot_names / sizeof godot_names[0] == 49);
    for (code = 0; code <= 48; code++) {
        const char *name = pp_error_name(code);
        CHECK(name != NULL);
        if (strcmp(name, godot_names[code]) != 0) {
            fprintf(stderr, "pp_error_name(%d) = \"%s\", expected \"%s\"\n", (int)code, name, godot_names[code]);
            return 1;
        }
        CHECK(pp_error_name(code) == name); /* static storage */
    }
    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *name = pp_error_name(unknown[i]);
        CHECK(name != NULL);
        CHECK(strcmp(name, "ERR_UNKNOWN") == 0);
    }
    return 0;
}

/* Every number written out. A renumbered constant fails at compile time (file-scope array sizes) and
 * again at run time with its name. */
#define PP_ERROR_NUMBERS(X) \
    X(PP_OK, 0) \
    X(PP_FAILED, 1) \
    X(PP_ERR_UNAVAILABLE, 2) \
    X(PP_ERR_UNCONFIGURED, 3) \
    X(PP_ERR_UNAUTHORIZED, 4) \
    X(PP_ERR_PARAMETER_RANGE_ERROR, 5) \
    X(PP_ERR_OUT_OF_MEMORY, 6) \
    X(PP_ERR_FILE_NOT_FOUND, 7) \
    X(PP_ERR_FILE_BAD_DRIVE, 8) \
    X(PP_ERR_FILE_BAD_PATH, 9) \
    X(PP_ERR_FILE_NO_PERMISSION, 10) \
    X(PP_ERR_FILE_ALREADY_IN_USE, 11) \
    X(PP_ERR_FILE_CANT_OPEN, 12) \
    X(PP_ERR_FILE_CANT_WRITE, 13) \
    X(PP_ERR_FILE_CANT_READ, 14) \
    X(PP_ERR_FILE_UNRECOGNIZED, 15) \
    X(PP_ERR_FILE_CORRUPT, 16) \
    X(PP_ERR_FILE_MISSING_DEPENDENCIES, 17) \
    X(PP_ERR_FILE_EOF, 18) \
    X(PP_ERR_CANT_OPEN, 19) \
    X(PP_ERR_CANT_CREATE, 20) \
    X(PP_ERR_QUERY_FAILED, 21) \
    X(PP_ERR_ALREADY_IN_USE, 22) \
    X(PP_ERR_LOCKED, 23) \
    X(PP_ERR_TIMEOUT, 24) \
    X(PP_ERR_CANT_CONNECT, 25) \
    X(PP_ERR_CANT_RESOLVE, 26) \
    X(PP_ERR_CONNECTION_ERROR, 27) \
    X(PP_ERR_CANT_ACQUIRE_RESOURCE, 28) \
    X(PP_ERR_CANT_FORK, 29) \
    X(PP_ERR_INVALID_DATA, 30) \
    X(PP_ERR_INVALID_PARAMETER, 31) \
    X(PP_ERR_ALREADY_EXISTS, 32) \
    X(PP_ERR_DOES_NOT_EXIST, 33) \
    X(PP_ERR_DATABASE_CANT_READ, 34) \
    X(PP_ERR_DATABASE_CANT_WRITE, 35) \
    X(PP_ERR_COMPILATION_FAILED, 36) \
    X(PP_ERR_METHOD_NOT_FOUND, 37) \
    X(PP_ERR_LINK_FAILED, 38) \
    X(PP_ERR_SCRIPT_FAILED, 39) \
    X(PP_ERR_CYCLIC_LINK, 40) \
    X(PP_ERR_INVALID_DECLARATION, 41) \
    X(PP_ERR_DUPLICATE_SYMBOL, 42) \
    X(PP_ERR_PARSE_ERROR, 43) \
    X(PP_ERR_BUSY, 44) \
    X(PP_ERR_SKIP, 45) \
    X(PP_ERR_HELP, 46) \
    X(PP_ERR_BUG, 47) \
    X(PP_ERR_PRINTER_ON_FIRE, 48)

#define PIN_AT_COMPILE_TIME(constant, value) typedef char pin_##constant[((constant) == (value)) ? 1 : -1];
PP_ERROR_NUMBERS(PIN_AT_COMPILE_TIME)

#define PIN_AT_RUN_TIME(constant, value)                                  \
    do {                                                                  \
        pp_error e = constant;                                            \
        CHECK((int32_t)e == (value));                                     \
        CHECK(strcmp(pp_error_name(constant), #constant + 3) == 0);       \
    } while (0);

static int check_error_numbers(void) {
    CHECK(sizeof(pp_error) == sizeof(int32_t));
    PP_ERROR_NUMBERS(PIN_AT_RUN_TIME)
    return 0;
}

int main(void) {
    if (check_versions() != 0) return 1;
    if (check_error_names() != 0) return 1;
    if (check_error_numbers() != 0) return 1;
    printf("test_abi: ok (packetpeer %s)\n", pp_version_string());
    return 0;
}
