/* wc [-lwc] [FILE]...: as examples/wc (GNU wc in the C locale: a word is a run of non-space
 * bytes holding a printable one; GNU's column width from the regular files' sizes). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[65536];
static unsigned long long total[3];
static int show, width, status;

static int open_name(const char *name) {
    return strcmp(name, "-") ? open(name, O_RDONLY) : 0;
}

static void print(const unsigned long long *n, const char *name) {
    const char *sep = "";
    for (int i = 0; i < 3; i++)
        if (show & 1 << i) {
            printf("%s%*llu", sep, width, n[i]);
            sep = " ";
        }
    if (name) printf(" %s", name);
    putchar('\n');
}

static void count(const char *name, int named) {
    int fd = open_name(name);
    if (fd < 0) {
        fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
        status = 1;
        return;
    }
    unsigned long long n[3] = {0, 0, 0};
    int in_word = 0;
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        n[2] += got;
        for (ssize_t i = 0; i < got; i++) {
            unsigned char c = buf[i];
            n[0] += c == '\n';
            int printable = (unsigned char)(c - '!') < 94;
            int space = c == ' ' || (unsigned char)(c - '\t') < 5;
            n[1] += printable && !in_word;
            in_word = (in_word || printable) && !space;
        }
    }
    if (got < 0) {
        fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
        status = 1;
    }
    if (fd) close(fd);
    print(n, named ? name : NULL);
    for (int i = 0; i < 3; i++) total[i] += n[i];
}

int main(int argc, char **argv) {
    int c;
    while ((c = getopt(argc, argv, "lwc")) != -1) {
        if (c == '?') return 1;
        show |= c == 'l' ? 1 : c == 'w' ? 2 : 4;
    }
    if (!show) show = 7;
    char *stdin_only[] = {"-", NULL};
    char **files = optind < argc ? argv + optind : stdin_only;
    int nfiles = optind < argc ? argc - optind : 1;
    unsigned long long size = 0;
    int min = 1;
    for (int i = 0; i < nfiles; i++) {
        int fd = open_name(files[i]);
        struct stat st;
        if (fd < 0) continue;
        if (fstat(fd, &st) == 0) {
            if (S_ISREG(st.st_mode)) size += st.st_size;
            else min = 7;
        }
        if (fd) close(fd);
    }
    width = 1;
    if (nfiles > 1 || (show & (show - 1))) {
        width = snprintf(NULL, 0, "%llu", size);
        if (width < min) width = min;
    }
    for (int i = 0; i < nfiles; i++) count(files[i], optind < argc);
    if (nfiles > 1) print(total, "total");
    return status;
}
