//! Error messages: `strerror` texts (as glibc words them) of the errors a file tool meets most,
//! keyed by the OS layer's error numbers (on Windows, the Linux numbers NTSTATUS values are
//! mapped to, so that both builds print the same). The table is the largest part of a small
//! program that prints errors, so it is kept short.

use crate::os::errno::{EACCES, EIO, EISDIR, ENOENT, ENOSPC, ENOTDIR};

const TEXTS: &[(i32, &str)] = &[
    (ENOENT, "No such file or directory"),
    (EACCES, "Permission denied"),
    (EISDIR, "Is a directory"),
    (ENOTDIR, "Not a directory"),
    (EIO, "Input/output error"),
    (ENOSPC, "No space left on device"),
];

/// The message for numbers not in [`TEXTS`].
const UNKNOWN: &str = "Unknown error";

/// The bit set in the key byte of every record: a key never equals a text byte (ASCII), a
/// newline or a NUL, so a search for the key of an error can scan all bytes.
const KEY_BIT: u8 = 0x80;

/// The length of the records of [`TEXTS`] in [`PACKED`]: where the line of [`UNKNOWN`] starts.
pub(crate) const KNOWN_LEN: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < TEXTS.len() {
        assert!(TEXTS[i].0 > 0 && TEXTS[i].0 < KEY_BIT as i32);
        n += TEXTS[i].1.len() + 3;
        i += 1;
    }
    n
};

/// [`TEXTS`] packed as `number | 0x80, text bytes, '\n', 0` records (smaller than a table of
/// slices, and each text is a line ready to print), then the line `"Unknown error\n", 0`
/// without a key: a search for an error that is not there ends at it. The key of an error `n`
/// is `n | 0x80` for `n` below 128; larger numbers have none.
pub(crate) static PACKED: [u8; KNOWN_LEN + UNKNOWN.len() + 2] = {
    let mut out = [0u8; KNOWN_LEN + UNKNOWN.len() + 2];
    let (mut i, mut o) = (0, 0);
    while i <= TEXTS.len() {
        let text = if i < TEXTS.len() {
            out[o] = TEXTS[i].0 as u8 | KEY_BIT;
            o += 1;
            TEXTS[i].1.as_bytes()
        } else {
            UNKNOWN.as_bytes()
        };
        let mut j = 0;
        while j < text.len() {
            out[o + j] = text[j];
            j += 1;
        }
        out[o + text.len()] = b'\n';
        o += text.len() + 2;
        i += 1;
    }
    out
};

/// Where the message line for error `n` starts in [`PACKED`]: after its key, or the
/// [`UNKNOWN`] line.
fn line_offset(n: usize) -> usize {
    if n < usize::from(KEY_BIT) {
        let key = n as u8 | KEY_BIT;
        let mut i = 0;
        while i < KNOWN_LEN {
            if PACKED[i] == key {
                return i + 1;
            }
            i += 1;
        }
    }
    KNOWN_LEN
}

/// The message line for error `n` (its text and a newline), as a pointer to its
/// NUL-terminated bytes; `"Unknown error"` for numbers not in the table.
#[cfg_attr(target_os = "linux", allow(dead_code))] // Linux prints through `os::error`
pub(crate) fn line(n: usize) -> *const u8 {
    // SAFETY: `line_offset` is inside `PACKED`.
    unsafe { PACKED.as_ptr().add(line_offset(n)) }
}

/// The message for error `n`: [`line`] without its newline.
pub(crate) fn message(n: usize) -> &'static str {
    let start = line_offset(n);
    let mut end = start;
    while PACKED[end] != b'\n' {
        end += 1;
    }
    // SAFETY: every text is one of the `&str`s above, copied whole, and the bytes up to its
    // newline are that text.
    unsafe { core::str::from_utf8_unchecked(&PACKED[start..end]) }
}
