//! Text conversions of the Windows OS layer that need no OS: splitting a UTF-16 command line
//! into UTF-8 `argv` strings, and a UTF-8 path into UTF-16.
//!
//! Plain safe Rust over slices, with no `cfg`: it compiles for every target, so the host tests
//! (`tests/tests/cmdline.rs`, which include this file with `#[path]`) check the same code that
//! the Windows runtime runs. Nothing here can panic: every buffer access is checked.

/// Bytes of UTF-8 output that [`split`] may write for a command line of `units` UTF-16 units.
///
/// Each unit gives at most 3 bytes (a BMP character; a surrogate pair gives 4 for 2 units; a
/// lone surrogate gives U+FFFD, 3 bytes), and each argument's NUL is paid for by the separator
/// (at least one unit that gives no output) that follows it, except the last one: `3 * units + 1`.
pub const fn split_buffer_len(units: usize) -> usize {
    3 * units + 1
}

/// Entries of the `argv` array that [`split`] may fill for a command line of `units` UTF-16
/// units, the ending NULL included: `argv[0]` may be empty, every later argument needs a
/// separator and at least one unit.
pub const fn split_argv_len(units: usize) -> usize {
    units / 2 + 2
}

/// Splits the command line `cmd` into arguments the way the Microsoft C runtime does
/// (learn.microsoft.com, "Parsing C command-line arguments"; the UCRT's `parse_command_line`):
///
/// - `argv[0]`, the program name, ends at the first space or tab outside double quotes; each
///   `"` toggles quoting and is dropped; backslashes are ordinary characters.
/// - Other arguments are separated by spaces and tabs outside quotes. `"` toggles quoting and is
///   dropped; 2n backslashes before a `"` give n backslashes (the quote toggles), 2n+1 give n
///   backslashes and a literal `"`; backslashes not before a `"` are literal; inside quotes,
///   `""` gives a literal `"` and quoting goes on (the rule of the post-2008 runtimes).
/// - The command line ends at its length or at a NUL unit, whichever comes first.
///
/// Each argument is written to `buf` as UTF-8 (an unpaired surrogate becomes U+FFFD) followed by
/// a NUL, and its address `base + offset in buf` to `argv`, followed by a NULL entry. `base` is
/// the address the caller will use to read `buf` (passed separately so that the pointers keep
/// the caller's provenance). Returns the argument count (at least 1: `argv[0]` may be empty).
///
/// `buf` must hold [`split_buffer_len`]`(cmd.len())` bytes and `argv`
/// [`split_argv_len`]`(cmd.len())` entries; with smaller buffers nothing is written and the
/// result is 0.
pub fn split(cmd: &[u16], buf: &mut [u8], argv: &mut [*const u8], base: *const u8) -> usize {
    if buf.len() < split_buffer_len(cmd.len()) || argv.len() < split_argv_len(cmd.len()) {
        return 0;
    }
    let at = |i: usize| cmd.get(i).copied().unwrap_or(0);
    let is_blank = |c: u16| c == b' ' as u16 || c == b'\t' as u16;
    let mut out = Utf8 { buf, len: 0 };
    let (mut argc, mut i) = (0, 0);
    loop {
        if argc != 0 {
            while is_blank(at(i)) {
                i += 1;
            }
            if at(i) == 0 {
                break;
            }
        }
        if let Some(slot) = argv.get_mut(argc) {
            *slot = base.wrapping_add(out.len);
        }
        argc += 1;
        let mut quoted = false;
        loop {
            let mut slashes = 0;
            if argc > 1 {
                while at(i) == b'\\' as u16 {
                    i += 1;
                    slashes += 1;
                }
            }
            let c = at(i);
            let mut copy = true;
            if c == b'"' as u16 {
                if slashes % 2 == 0 {
                    if argc > 1 && quoted && at(i + 1) == b'"' as u16 {
                        i += 1; // `""` inside quotes: the second one is copied below
                    } else {
                        copy = false;
                        quoted = !quoted;
                    }
                }
                slashes /= 2;
            }
            while slashes != 0 {
                out.push(b'\\');
                slashes -= 1;
            }
            if c == 0 || (!quoted && is_blank(c)) {
                break;
            }
            i += 1;
            if copy {
                let mut ch = u32::from(c);
                let next = u32::from(at(i));
                if ch & 0xFC00 == 0xD800 && next & 0xFC00 == 0xDC00 {
                    ch = 0x10000 + ((ch & 0x3FF) << 10) + (next & 0x3FF);
                    i += 1;
                } else if ch & 0xF800 == 0xD800 {
                    ch = 0xFFFD;
                }
                out.push_char(ch);
            }
        }
        out.push(0);
    }
    if let Some(slot) = argv.get_mut(argc) {
        *slot = core::ptr::null();
    }
    argc
}

/// A UTF-8 writer into a byte buffer; bytes past its end are dropped (never happens with the
/// buffer sizes [`split`] checks).
struct Utf8<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl Utf8<'_> {
    fn push(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    /// Writes the scalar value `c` (not a surrogate, at most U+10FFFF).
    fn push_char(&mut self, c: u32) {
        if c < 0x80 {
            return self.push(c as u8);
        }
        // The number of continuation bytes, and the marker bits of the leading byte.
        let (extra, lead) = match c {
            0..0x800 => (1, 0xC0),
            0x800..0x10000 => (2, 0xE0),
            _ => (3, 0xF0),
        };
        self.push(lead | (c >> (6 * extra)) as u8);
        let mut shift = 6 * extra;
        while shift != 0 {
            shift -= 6;
            self.push(0x80 | ((c >> shift) & 0x3F) as u8);
        }
    }
}

/// Converts the UTF-8 text `src` to UTF-16 in `dst`, followed by a NUL unit; returns the number
/// of units before the NUL, or `None` if they do not fit (the NUL included).
///
/// Malformed UTF-8 becomes U+FFFD: one for each stray continuation byte or leading byte above
/// 0xF4, one for each truncated sequence. Overlong forms and encoded surrogates are decoded as
/// they are written, so a WTF-8 path reaches a file whose name holds an unpaired surrogate.
/// A NUL byte in `src` ends the text.
pub fn utf8_to_utf16(src: &[u8], dst: &mut [u16]) -> Option<usize> {
    let mut n = 0;
    let mut i = 0;
    while let Some(&b) = src.get(i) {
        if b == 0 {
            break;
        }
        i += 1;
        let (extra, mut c) = match b {
            0..0x80 => (0, u32::from(b)),
            0xC0..0xE0 => (1, u32::from(b & 0x1F)),
            0xE0..0xF0 => (2, u32::from(b & 0x0F)),
            0xF0..0xF5 => (3, u32::from(b & 0x07)),
            _ => (0, 0xFFFD),
        };
        let mut k = 0;
        while k < extra {
            match src.get(i) {
                Some(&t) if t & 0xC0 == 0x80 => c = (c << 6) | u32::from(t & 0x3F),
                _ => {
                    c = 0xFFFD; // truncated: the next byte starts over
                    break;
                }
            }
            i += 1;
            k += 1;
        }
        if c >= 0x10000 {
            if c > 0x10FFFF {
                c = 0xFFFD;
            } else {
                put(dst, &mut n, 0xD800 | ((c - 0x10000) >> 10))?;
                c = 0xDC00 | (c & 0x3FF);
            }
        }
        put(dst, &mut n, c)?;
    }
    let end = n;
    put(dst, &mut n, 0)?;
    Some(end)
}

/// Stores the unit `u` at `dst[*n]` and counts it; `None` when `dst` is full.
fn put(dst: &mut [u16], n: &mut usize, u: u32) -> Option<()> {
    *dst.get_mut(*n)? = u as u16;
    *n += 1;
    Some(())
}
