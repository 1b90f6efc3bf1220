/* error_names: the smallest packetpeer program. Prints the library version, checks it matches the
 * header this program was compiled against, and prints the Godot Error name of each number given on the
 * command line (pp_error values are Godot's Error numbers).
 *
 * Run:  scripts/run-example.sh error_names 31 44 47
 */
// ctest-args: 0 31 44 47 999
#include <packetpeer.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int i;
    printf("packetpeer %s (header %d.%d.%d)\n", pp_version_string(), PP_VERSION_MAJOR, PP_VERSION_MINOR,
           PP_VERSION_PATCH);
    if (pp_version_number() != PP_VERSION_NUMBER) {
        fprintf(stderr, "library %u does not match header %d\n", (unsigned)pp_version_number(),
                PP_VERSION_NUMBER);
        return 1;
    }
    for (i = 1; i < argc; i++) {
        long code = strtol(argv[i], NULL, 10);
        printf("%6ld  %s\n", code, pp_error_name((int32_t)code));
    }
    return 0;
}
