/* The panic boundary: a Rust panic inside an export never unwinds into C; the call returns PP_ERR_BUG
 * and the library stays usable. Built with -DPP_TEST_PANIC against a copy of the library compiled with
 * `--features test-panic` (CMake does both); the normal, installed library has no pp_test_panic. */
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

#ifndef PP_TEST_PANIC
#error "test_panic.c is compiled with -DPP_TEST_PANIC against the test-panic library"
#endif

int main(void) {
    int i;
    for (i = 0; i < 3; i++) {
        CHECK(pp_test_panic() == PP_ERR_BUG);
    }
    /* Still usable after panics. */
    CHECK(strcmp(pp_error_name(PP_ERR_BUG), "ERR_BUG") == 0);
    CHECK(pp_version_number() == (uint32_t)PP_VERSION_NUMBER);
    printf("test_panic: ok (3 panics caught, each PP_ERR_BUG)\n");
    return 0;
}
