/* echo [-n] [STRING]...: as examples/echo (leading -n/-E options, no -e). */
#include <string.h>
#include <unistd.h>

static int option(const char *a, int *newline) {
    if (a[0] != '-' || !a[1]) return 0;
    int nl = *newline;
    for (const char *p = a + 1; *p; p++) {
        if (*p == 'n') nl = 0;
        else if (*p != 'E') return 0;
    }
    *newline = nl;
    return 1;
}

int main(int argc, char **argv) {
    int newline = 1, i = 1, status = 0;
    while (i < argc && option(argv[i], &newline)) i++;
    for (const char *sep = ""; i < argc; i++, sep = " ") {
        size_t n = strlen(argv[i]);
        if ((*sep && write(1, sep, 1) != 1) || write(1, argv[i], n) != (ssize_t)n) {
            status = 1;
            break;
        }
    }
    if (newline && write(1, "\n", 1) != 1) status = 1;
    return status;
}
