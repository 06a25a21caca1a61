/* cat [FILE]...: as examples/cat (no options; `-` is standard input), read/write through a
 * 64 KiB buffer; GNU's messages: `cat: NAME: ERROR`, `cat: write error: ERROR` (exit 1). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static char buf[65536];

static void say(const char *what, int e) {
    const char *parts[] = {"cat: ", what, ": ", strerror(e), "\n"};
    for (int i = 0; i < 5; i++) write(2, parts[i], strlen(parts[i]));
}

static int cat(const char *name) {
    int fd = strcmp(name, "-") ? open(name, O_RDONLY) : 0;
    if (fd < 0) return errno;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(1, buf + off, n - off);
            if (w < 0) {
                say("write error", errno);
                _exit(1);
            }
            off += w;
        }
    }
    int e = n < 0 ? errno : 0;
    if (fd) close(fd);
    return e;
}

int main(int argc, char **argv) {
    int status = 0;
    if (argc < 2) argv[argc++] = "-"; /* argv[argc] is the NULL slot */
    for (int i = 1; i < argc; i++) {
        int e = cat(argv[i]);
        if (e) {
            say(argv[i], e);
            status = 1;
        }
    }
    return status;
}
