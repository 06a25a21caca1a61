/* mkdir [-p] [-m MODE] DIRECTORY...: as examples/mkdir (MODE octal or symbolic, applied to
 * a=rwx and not masked by the umask, special bits set with chmod; -p makes missing parents
 * u+wx and accepts existing directories; GNU's messages, names quoted as '%s'). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* `spec` applied to a=rwx as GNU's mode_adjust does for a directory under `umask_bits`, and in
 * `changed` the bits it sets or clears; -1 when it is not a mode. */
static long parse_mode(const char *p, mode_t umask_bits, mode_t *changed) {
    if (*p >= '0' && *p <= '7') {
        char *end;
        long m = strtol(p, &end, 8);
        if (*end || m > 07777) return -1;
        *changed = end - p > 4 ? 07777 : (m & 06000) | 01777;
        return m;
    }
    mode_t mode = 0777;
    *changed = 0;
    for (;;) {
        mode_t who = 0;
        for (; *p && strchr("ugoa", *p); p++)
            who |= *p == 'u' ? 04700 : *p == 'g' ? 02070 : *p == 'o' ? 01007 : 07777;
        do {
            char op = *p;
            if (!op || !strchr("+-=", op)) return -1;
            mode_t value = 0;
            p++;
            if (*p && strchr("ugo", *p)) {
                mode_t src = mode & (*p == 'u' ? 0700 : *p == 'g' ? 070 : 07);
                value = (src & 0444 ? 0444 : 0) | (src & 0222 ? 0222 : 0) | (src & 0111 ? 0111 : 0);
                p++;
            } else
                for (; *p && strchr("rwxXst", *p); p++)
                    value |= *p == 'r' ? 0444 : *p == 'w' ? 0222 : *p == 's' ? 06000
                           : *p == 't' ? 01000 : 0111;
            mode_t omit = 06000 & ~(who ? who & value : value);
            value &= (who ? who : ~umask_bits) & ~omit;
            if (op == '=') {
                mode_t keep = (who ? ~who : 0) | omit;
                *changed |= 07777 & ~keep;
                mode = (mode & keep) | value;
            } else {
                *changed |= value;
                mode = op == '+' ? mode | value : mode & ~value;
            }
        } while (*p && strchr("+-=", *p));
        if (!*p) return mode;
        if (*p++ != ',') return -1;
    }
}

static int report(const char *path) {
    fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", path, strerror(errno));
    return 1;
}

/* mkdir(path, mode); as GNU's make_dir_parents when -m names special bits: made without
 * group and other write permission, then changed to `mode` with chmod if the named bits are
 * not as asked (special bits -m does not name stay as they came). */
static int make_one(const char *path, mode_t mode, mode_t changed) {
    int special = changed & 06000 || mode & 01000;
    if (mkdir(path, special ? mode & ~022 : mode)) return -1;
    struct stat st;
    if (special && !stat(path, &st) && (st.st_mode ^ mode) & changed)
        chmod(path, (mode & ~(06000 & ~changed)) | (st.st_mode & 06000 & ~changed));
    return 0;
}

static int make(char *path, mode_t mode, mode_t changed, int parents, mode_t umask_bits) {
    struct stat st;
    if (parents)
        for (char *s = path + 1; (s = strchr(s, '/')); s++) {
            *s = 0;
            umask(umask_bits & ~0300);
            int failed = mkdir(path, 0777) && (errno != EEXIST || stat(path, &st) || !S_ISDIR(st.st_mode));
            umask(changed ? 0 : umask_bits);
            if (failed) {
                report(path);
                *s = '/';
                return 1;
            }
            *s = '/';
        }
    if (make_one(path, mode, changed)) {
        int e = errno;
        if (parents && e == EEXIST && !stat(path, &st) && S_ISDIR(st.st_mode)) return 0;
        errno = e;
        return report(path);
    }
    return 0;
}

int main(int argc, char **argv) {
    int parents = 0, c;
    const char *spec = NULL;
    while ((c = getopt(argc, argv, "pm:")) != -1) {
        if (c == '?') goto usage;
        if (c == 'p') parents = 1;
        else spec = optarg;
    }
    if (optind >= argc) {
        fputs("mkdir: missing operand\n", stderr);
    usage:
        fputs("Try 'mkdir --help' for more information.\n", stderr);
        return 1;
    }
    mode_t mask = umask(0), changed = 0;
    long mode = 0777;
    if (spec && (mode = parse_mode(spec, mask, &changed)) < 0) {
        fprintf(stderr, "mkdir: invalid mode '%s'\n", spec);
        return 1;
    }
    umask(spec ? 0 : mask);
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= make(argv[i], mode, changed, parents, mask);
    return status;
}
