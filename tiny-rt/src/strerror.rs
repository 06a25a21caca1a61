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

/// The bit set in the key byte of every record: a key never equals a text byte (ASCII) or a
/// NUL, so a search for the key of an error can scan all bytes.
const KEY_BIT: u8 = 0x80;

/// The length of the records of [`TEXTS`] in [`PACKED`]: where the text of [`UNKNOWN`] starts.
pub(crate) const KNOWN_LEN: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < TEXTS.len() {
        assert!(TEXTS[i].0 > 0 && TEXTS[i].0 < KEY_BIT as i32);
        n += TEXTS[i].1.len() + 2;
        i += 1;
    }
    n
};

/// [`TEXTS`] packed as `number | 0x80, text bytes, 0` records (smaller than a table of
/// slices, and each text is a C string ready to print), then `"Unknown error", 0` without a
/// key: a search for an error that is not there ends at it. The key of an error `n` is
/// `n | 0x80` for `n` below 128; larger numbers have none.
pub(crate) static PACKED: [u8; KNOWN_LEN + UNKNOWN.len() + 1] = {
    let mut out = [0u8; KNOWN_LEN + UNKNOWN.len() + 1];
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
        o += text.len() + 1;
        i += 1;
    }
    out
};

/// Where the message for error `n` starts in [`PACKED`]: after its key, or the [`UNKNOWN`]
/// text.
fn text_offset(n: usize) -> usize {
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

/// The message for error `n`, as a pointer to its NUL-terminated bytes; `"Unknown error"`
/// for numbers not in the table.
#[cfg_attr(target_os = "linux", allow(dead_code))] // Linux prints through `os::error`
pub(crate) fn c_message(n: usize) -> *const u8 {
    // SAFETY: `text_offset` is inside `PACKED`.
    unsafe { PACKED.as_ptr().add(text_offset(n)) }
}

/// The message for error `n`: [`c_message`] as a `&str`.
pub(crate) fn message(n: usize) -> &'static str {
    let start = text_offset(n);
    let mut end = start;
    while PACKED[end] != 0 {
        end += 1;
    }
    // SAFETY: every text is one of the `&str`s above (none holds a NUL), copied whole, and
    // the bytes up to its NUL are that text.
    unsafe { core::str::from_utf8_unchecked(&PACKED[start..end]) }
}
