/* sleep NUMBER[SUFFIX]...: as examples/sleep (strtod numbers, suffixes s m h d, the sum
 * rounded up to whole nanoseconds; GNU's messages). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (getopt(argc, argv, "") != -1) {
        fputs("Try 'sleep --help' for more information.\n", stderr);
        return 1;
    }
    if (optind >= argc) {
        fputs("sleep: missing operand\nTry 'sleep --help' for more information.\n", stderr);
        return 1;
    }
    double total = 0;
    int bad = 0;
    for (int i = optind; i < argc; i++) {
        char *end;
        double s = strtod(argv[i], &end);
        int scale = 1;
        if (*end && !end[1]) {
            switch (*end++) {
            case 's': break;
            case 'm': scale = 60; break;
            case 'h': scale = 3600; break;
            case 'd': scale = 86400; break;
            default: end--;
            }
        }
        if (end == argv[i] || *end || s < 0 || isnan(s)) {
            fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[i]);
            bad = 1;
            continue;
        }
        total += s * scale;
    }
    if (bad) {
        fputs("Try 'sleep --help' for more information.\n", stderr);
        return 1;
    }
    struct timespec t;
    t.tv_sec = total >= 9e18 ? (time_t)9e18 : (time_t)total;
    double ns = (total - t.tv_sec) * 1e9;
    t.tv_nsec = (long)ns;
    if (t.tv_nsec < ns) t.tv_nsec++; /* rounded up */
    if (t.tv_nsec >= 1000000000) t.tv_sec++, t.tv_nsec -= 1000000000;
    while (nanosleep(&t, &t))
        ;
    return 0;
}
