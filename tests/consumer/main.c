/* An outside program using an installed packetpeer: prints the library version and an error name,
 * and checks that the header it was compiled against matches the library it runs with. */
#include <packetpeer.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    const char *version = pp_version_string();
    const char *name = pp_error_name(PP_ERR_BUSY);
    if (version == NULL || name == NULL || strcmp(name, "ERR_BUSY") != 0) {
        fprintf(stderr, "consumer: unexpected answers from the library\n");
        return 1;
    }
    if (pp_version_number() != PP_VERSION_NUMBER) {
        fprintf(stderr, "consumer: header %d but library %u\n", PP_VERSION_NUMBER, (unsigned)pp_version_number());
        return 1;
    }
    printf("packetpeer %s, PP_ERR_BUSY = %s\n", version, name);
    return 0;
}
