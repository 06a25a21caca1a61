//! Splitting the Windows command line into `argv`, with no OS: the runtime first converts the
//! UTF-16 command line to UTF-8 with ntdll's `RtlUnicodeToUTF8N` (an unpaired surrogate becomes
//! U+FFFD), then [`split`] splits the bytes in place. The splitting rules only look at ASCII
//! (space, tab, quote, backslash), which never occur inside a UTF-8 sequence, so working on bytes is
//! the same as working on characters.
//!
//! Plain Rust with no `cfg`: it compiles for every target, so the host tests
//! (`tests/tests/cmdline.rs`, which include this file with `#[path]`) check the same code that
//! the Windows runtime runs.

/// Bytes of UTF-8 that a command line of `units` UTF-16 units converts to, at most, plus the
/// NUL that ends it: each unit gives at most 3 bytes (a BMP character; a surrogate pair gives 4
/// for 2 units; a lone surrogate gives U+FFFD, 3 bytes).
pub const fn split_buffer_len(units: usize) -> usize {
    3 * units + 1
}

/// Entries of the `argv` array that [`split`] may fill for a command line of `units` UTF-16
/// units, the ending NULL included: `argv[0]` may be empty, every later argument needs a
/// separator and at least one unit.
pub const fn split_argv_len(units: usize) -> usize {
    units / 2 + 2
}

/// Splits the UTF-8 command line at `text` (ended by its first NUL byte) into arguments in
/// place, the way the Microsoft C runtime does (learn.microsoft.com, "Parsing C command-line
/// arguments"; the UCRT's `parse_command_line`):
///
/// - `argv[0]`, the program name, ends at the first space or tab outside double quotes; each
///   `"` toggles quoting and is dropped; backslashes are ordinary characters.
/// - Other arguments are separated by spaces and tabs outside quotes. `"` toggles quoting and is
///   dropped; 2n backslashes before a `"` give n backslashes (the quote toggles), 2n+1 give n
///   backslashes and a literal `"`; backslashes not before a `"` are literal; inside quotes,
///   `""` gives a literal `"` and quoting goes on (the rule of the post-2008 runtimes).
///
/// Each argument is rewritten NUL-terminated at or before where it was read (an argument never
/// grows, and its NUL takes the place of the separator after it, or of the text's NUL), and its
/// address goes to `argv`, followed by a NULL entry. Returns the argument count (at least 1:
/// `argv[0]` may be empty).
///
/// Raw pointers and no bounds checks: this runs in every Windows program that reads its
/// arguments, where checked slice accesses cost several hundred bytes.
///
/// # Safety
/// `text` must point to writable bytes that hold a NUL, and `argv` to room for
/// [`split_argv_len`]`(units)` pointers, where `units` is the length of the UTF-16 command line
/// the text was converted from (or the number of bytes before the NUL, if that is larger).
pub unsafe fn split(text: *mut u8, argv: *mut *const u8) -> usize {
    let is_blank = |c: u8| c == b' ' || c == b'\t';
    let (mut r, mut w) = (text, text);
    let mut argc = 0;
    // SAFETY: `r` only moves over bytes before the NUL (it stops at the NUL, and it looks one
    // byte past a `"`, which is not the NUL), `w` never passes `r` (see above), and `argv`
    // gets at most `split_argv_len` entries: every argument after the first needs a separator
    // and at least one character.
    unsafe {
        loop {
            if argc != 0 {
                while is_blank(*r) {
                    r = r.add(1);
                }
                if *r == 0 {
                    break;
                }
            }
            *argv.add(argc) = w;
            argc += 1;
            let mut quoted = false;
            loop {
                let mut slashes = 0usize;
                if argc > 1 {
                    while *r == b'\\' {
                        r = r.add(1);
                        slashes += 1;
                    }
                }
                let c = *r;
                let mut copy = true;
                if c == b'"' {
                    if slashes & 1 == 0 {
                        if argc > 1 && quoted && *r.add(1) == b'"' {
                            r = r.add(1); // `""` inside quotes: the second one is copied below
                        } else {
                            copy = false;
                            quoted = !quoted;
                        }
                    }
                    slashes /= 2;
                }
                while slashes != 0 {
                    *w = b'\\';
                    w = w.add(1);
                    slashes -= 1;
                }
                if c == 0 {
                    break;
                }
                r = r.add(1); // past `c` (a separator too, before its place takes the NUL)
                if !quoted && is_blank(c) {
                    break;
                }
                if copy {
                    *w = c;
                    w = w.add(1);
                }
            }
            *w = 0;
            w = w.add(1);
        }
        *argv.add(argc) = core::ptr::null();
    }
    argc
}
