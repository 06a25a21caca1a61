//! `yes [STRING]...`: writes the arguments separated by spaces, and a newline, over and over
//! (`y` when there are none), until the output is closed.
//!
//! As GNU yes: the line is copied as many times as fit into a 64 KiB buffer (`tiny::buffer`),
//! and the buffer is written again and again, one `write(2)` a time. A line longer than the
//! buffer is written piece by piece. The words are the operands: options may come anywhere
//! before `--` (which is left out), and any is a bad option (GNU's message, exit code 1,
//! nothing written; GNU's `--help` and `--version` are not implemented: they are unrecognized
//! options here).
//!
//! A closed pipe ends yes as it ends GNU yes: the kernel's `SIGPIPE` kills it, quietly; when
//! `SIGPIPE` is ignored, the write fails with `EPIPE`, reported as GNU does
//! (`yes: standard output: Broken pipe`, exit code 1), and so is any other write error
//! (`yes: standard output: No space left on device` on `/dev/full`). On Windows, where there
//! is no `SIGPIPE`, a failed write (a closed pipe, which the runtime reports as an I/O error)
//! ends yes quietly with exit code 1.
#![no_std]
#![no_main]

use core::num::NonZeroUsize;

use tiny::opt::Options;
use tiny::{BUFFER_SIZE, Errno, STDERR, STDOUT, ZStr, write_all, write_z};

/// `EPIPE` (32 on every Linux architecture).
const EPIPE: Errno = Errno::new(32);

/// Reports the write error `e` as GNU yes does and returns the exit code, 1; see the crate
/// documentation.
#[cold]
fn failed(e: Errno) -> u8 {
    if cfg!(windows) {
        // no SIGPIPE: a closed pipe (which the runtime reports as an I/O error) ends yes
        // quietly, as SIGPIPE ends GNU yes
    } else if e == EPIPE {
        // not in the runtime's table of messages: written here, for this one case
        if let Some(program) = tiny::args().next_z() {
            let _ = write_z(STDERR, program);
        }
        let _ = write_all(STDERR, b": standard output: Broken pipe\n");
    } else {
        tiny::error(ZStr::new(c"standard output"), e);
    }
    1
}

#[tiny::main]
fn main() -> u8 {
    let Some(buf) = tiny::buffer() else {
        return 1;
    };
    // The words: the operands, with options (none are known: any is a bad one) anywhere
    // before `--`, which is left out; all read before anything is written.
    let words = Options::new(c"");
    let some = words.clone().count() != 0;
    // The line, copied to the start of the buffer: each word and a space, the last space then
    // a newline; `y` and a newline when there are no words.
    let mut len = 2;
    buf[0] = b'y';
    if some {
        len = 0;
        for mut rest in words.clone() {
            // the word's bytes, then a space (a walk to the NUL: no length needed)
            loop {
                let (b, more) = rest.split_first().unwrap_or((b' ', rest));
                if let Some(slot) = buf.get_mut(len) {
                    *slot = b;
                }
                len += 1;
                if more == rest {
                    break;
                }
                rest = more;
            }
        }
    }
    if let Some(last) = buf.get_mut(len - 1) {
        *last = b'\n';
    }
    // (never zero: at least one word, or `y`)
    let line = NonZeroUsize::new(len).unwrap_or(NonZeroUsize::MIN);
    if len <= BUFFER_SIZE {
        // as many copies as fit, then that part of the buffer, over and over
        let total = BUFFER_SIZE - BUFFER_SIZE % line;
        for i in len..total {
            if let Some(&b) = buf.get(i - len)
                && let Some(slot) = buf.get_mut(i)
            {
                *slot = b;
            }
        }
        let out = buf.get(..total).unwrap_or_default();
        loop {
            if let Err(e) = write_all(STDOUT, out) {
                return failed(e);
            }
        }
    }
    // a line longer than the buffer: its words, one write each
    loop {
        let mut sep = c"";
        for word in words.clone() {
            if let Err(e) = write_z(STDOUT, sep.into()).and(write_z(STDOUT, word)) {
                return failed(e);
            }
            sep = c" ";
        }
        if let Err(e) = write_all(STDOUT, b"\n") {
            return failed(e);
        }
    }
}
