/* pwd [-LP]: as examples/pwd (-P the default unless POSIXLY_CORRECT; -L takes $PWD when it is
 * absolute, without . or .. components, and names the current directory). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int good_pwd(const char *p) {
    struct stat a, b;
    if (!p || p[0] != '/') return 0;
    for (const char *s = p; (s = strstr(s, "/.")); s++)
        if (s[2] == 0 || s[2] == '/' || (s[2] == '.' && (s[3] == 0 || s[3] == '/'))) return 0;
    return stat(p, &a) == 0 && stat(".", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int main(int argc, char **argv) {
    int logical = getenv("POSIXLY_CORRECT") != NULL, c;
    while ((c = getopt(argc, argv, "LP")) != -1) {
        if (c == '?') {
            fputs("Try 'pwd --help' for more information.\n", stderr);
            return 1;
        }
        logical = c == 'L';
    }
    if (optind < argc) fputs("pwd: ignoring non-option arguments\n", stderr);
    char buf[PATH_MAX];
    const char *name = getenv("PWD");
    if (!logical || !good_pwd(name)) {
        name = getcwd(buf, sizeof buf);
        if (!name) {
            fprintf(stderr, "pwd: %s\n", strerror(errno));
            return 1;
        }
    }
    if (puts(name) < 0 || fflush(stdout)) {
        fprintf(stderr, "pwd: write error: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
